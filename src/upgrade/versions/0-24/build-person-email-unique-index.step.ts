import { EntityManager } from 'typeorm';

import { getVersionSnapshot } from '../../../standard-objects/version-snapshots';
import { qualified, quoteIdentifier } from '../../../database/sql';
import { deterministicUuid } from '../../../sync/deterministic-id';
import { PERSON_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from '../../../standard-objects/standard-ids.constant';
import { ensureIndex } from '../../steps/index-build';
import { FieldType } from '../../../declarations/field-type';
import { compositeColumnName } from '../../../metadata/column-layout';
import { StepReport, UpgradePreflightContext, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';

export const PERSON_EMAIL_INDEX = 'IDX_UNIQUE_person_emailsPrimaryEmail';
const COLUMN = 'emailsPrimaryEmail';
const WHERE = `"${COLUMN}" IS NOT NULL AND "${COLUMN}" <> ''`;

/**
 * The longest value a btree index entry holds: 2704 bytes per entry (btree version 4), less the
 * entry's 8-byte header and the value's 4-byte length. Longer values fail the index build.
 */
export const MAX_INDEXED_EMAIL_BYTES = 2692;

interface Duplicate {
  value: string;
  ids: string[];
}

/** `john@x.com` -> `john+duplicate-2@x.com`; the original value is kept in additionalEmails. */
export const duplicateEmail = (email: string, rank: number): string => {
  const at = email.lastIndexOf('@');
  return at > 0 ? `${email.slice(0, at)}+duplicate-${rank}${email.slice(at)}` : `${email}+duplicate-${rank}`;
};

/** Emails (in `column` of `table`, both quoted) too long for the index: the report naming them, or null. */
const tooLongEmails = async (manager: EntityManager, table: string, column: string): Promise<string | null> => {
  const rows: Array<{ id: string; bytes: number; total: number }> = await manager.query(
    `SELECT "id"::text AS "id", octet_length(${column}) AS "bytes", count(*) OVER ()::int AS "total"
       FROM ${table} WHERE octet_length(${column}) > $1 ORDER BY "id" LIMIT 20`,
    [MAX_INDEXED_EMAIL_BYTES],
  );
  if (rows.length === 0) return null;
  const shown = rows.map((row) => `person ${row.id} has a primary email of ${row.bytes} bytes`).join('; ');
  const more = rows[0].total > rows.length ? `; and ${rows[0].total - rows.length} more` : '';
  return (
    `${shown}${more}; the unique index on it holds at most ${MAX_INDEXED_EMAIL_BYTES} bytes. ` +
    'Shorten or clear these emails (docs/upgrading.md, "Over-long emails"), then rerun'
  );
};

/** Values of `column` (quoted) held by more than one person, NULL and empty ignored, each with its ids oldest first. */
const duplicatesOf = (manager: EntityManager, table: string, column: string): Promise<Duplicate[]> =>
  manager.query(
    `SELECT ${column} AS "value", array_agg("id"::text ORDER BY "createdAt", "id") AS "ids"
       FROM ${table} WHERE ${column} IS NOT NULL AND ${column} <> '' GROUP BY ${column} HAVING count(*) > 1 ORDER BY ${column}`,
  );

/** The report when `email` renamed by keep-oldest (`rank` its highest suffix) would be too long for the index, or null. */
const renamedTooLong = (email: string, rank: number): string | null => {
  const bytes = Buffer.byteLength(duplicateEmail(email, rank));
  return bytes > MAX_INDEXED_EMAIL_BYTES
    ? `the duplicated email "${email.slice(0, 40)}..." renamed by keep-oldest would be ${bytes} bytes; the unique index on it holds at most ${MAX_INDEXED_EMAIL_BYTES} bytes. Shorten these emails, then rerun`
    : null;
};

const duplicatesReport = (found: Duplicate[]): string => {
  const shown = found
    .slice(0, 20)
    .map((group) => `"${group.value}" (ids ${group.ids.join(', ')})`)
    .join('; ');
  return (
    `${found.length} duplicated primary email(s) on person, the unique index cannot be built: ${shown}${found.length > 20 ? `; and ${found.length - 20} more` : ''}. ` +
    "Resolve them, or pass --dedupe keep-oldest to keep the email on the oldest record and rename the others'."
  );
};

/**
 * The unique index on Person `emailsPrimaryEmail` (ignoring NULL and empty). Duplicates are found
 * first: the workspace stops with a report of ids and values, unless the operator chose a rule
 * (`--dedupe keep-oldest`: the oldest record keeps the email, the others get a suffixed one, their
 * original kept in additionalEmails, every change in the ledger). On a large table the index is
 * built CONCURRENTLY so that writers go on; a half-built (invalid) index is dropped and rebuilt.
 * Runs before sync, which then finds the index in place.
 */
export const buildPersonEmailUniqueIndex: UpgradeStep = {
  version: '0.24',
  name: 'build-person-email-unique-index',
  phase: 'before-sync',
  description:
    'Find duplicate person emails (or resolve them with --dedupe keep-oldest), then build the unique index on emailsPrimaryEmail',
  definition: {
    revision: 1,
    index: PERSON_EMAIL_INDEX,
    column: COLUMN,
    where: WHERE,
    dedupe: { 'keep-oldest': 'suffix +duplicate-<n>, original kept in additionalEmails' },
  },
  claims: [PERSON_STANDARD_FIELD_IDS.emails],
  /**
   * Values too long for the index, and duplicates without a rule, found before anything is
   * written: before 0.23 the emails are in the EMAIL column `email`, after it in `emailsPrimaryEmail`.
   */
  async preflight({ state, manager, options }: UpgradePreflightContext): Promise<string[]> {
    const person = state.objects.find((object) => object.standardId === STANDARD_OBJECT_IDS.person && !object.isCustom);
    const field = person?.fields.find((candidate) => candidate.standardId === PERSON_STANDARD_FIELD_IDS.emails && !candidate.isCustom);
    if (!person || !field || (field.type !== FieldType.EMAIL && field.type !== FieldType.EMAILS)) return [];
    const table = qualified(state.schemaName, person.tableName);
    const column = quoteIdentifier(field.type === FieldType.EMAIL ? field.name : compositeColumnName(field.name, 'primaryEmail'));
    const tooLong = await tooLongEmails(manager, table, column);
    const found = await duplicatesOf(manager, table, column);
    // Without a rule, duplicates stop the step: found here, before an upgrade:latest from 0.22 moves anything.
    if (!options.dedupe) return [...(tooLong ? [tooLong] : []), ...(found.length > 0 ? [duplicatesReport(found)] : [])];
    const overLong = found.map((group) => renamedTooLong(group.value, group.ids.length - 1)).filter((problem) => problem !== null);
    return [...(tooLong ? [tooLong] : []), ...overLong];
  },
  async run(context: UpgradeStepContext): Promise<StepReport> {
    const declared = getVersionSnapshot('0.24')
      .objects.find((object) => object.standardId === STANDARD_OBJECT_IDS.person)
      ?.indexes.find((index) => index.name === PERSON_EMAIL_INDEX);
    if (!declared || declared.where !== WHERE) {
      throw new Error(`the 0.24 snapshot does not declare ${PERSON_EMAIL_INDEX} as this step builds it`);
    }
    const { connection, workspace } = context;
    const [person]: Array<{ id: string; tableName: string }> = await connection.query(
      `SELECT o."id", o."tableName" FROM metadata."objectMetadata" o
         JOIN metadata."fieldMetadata" f ON f."objectMetadataId" = o."id" AND f."standardId" = $3 AND NOT f."isCustom" AND f."type" = 'EMAILS'
        WHERE o."workspaceId" = $1 AND o."standardId" = $2 AND NOT o."isCustom"`,
      [workspace.id, STANDARD_OBJECT_IDS.person, PERSON_STANDARD_FIELD_IDS.emails],
    );
    if (!person) {
      throw new Error('person has no EMAILS field: run upgrade-0.23 first');
    }
    const table = qualified(workspace.schemaName, person.tableName);
    const report: StepReport = { rowsAffected: 0, notes: [], maxBatchMs: 0 };

    const duplicates = (manager: EntityManager): Promise<Duplicate[]> => duplicatesOf(manager, table, quoteIdentifier(COLUMN));

    // Checked again here: writers may have changed the values since the pre-flight.
    const tooLong = await tooLongEmails(connection.manager, table, quoteIdentifier(COLUMN));
    if (tooLong) throw new Error(tooLong);
    const found = await duplicates(connection.manager);
    if (found.length > 0) {
      if (context.options.dedupe !== 'keep-oldest') throw new Error(duplicatesReport(found));
      const changes = await context.transaction(async (manager) => {
        const log: Array<{ personId: string; from: string; to: string }> = [];
        // Read again under the transaction: the resolution applies to what is there now.
        const taken = async (email: string): Promise<boolean> =>
          (await manager.query(`SELECT 1 FROM ${table} WHERE "${COLUMN}" = $1 LIMIT 1`, [email])).length > 0;
        for (const group of await duplicates(manager)) {
          let rank = 0;
          for (const id of group.ids.slice(1)) {
            // The next suffix nobody holds yet, so the renamed emails are unique too.
            let renamed: string;
            do {
              rank += 1;
              renamed = duplicateEmail(group.value, rank);
            } while (await taken(renamed));
            // Thrown inside the transaction: no rename is kept that the index could not hold.
            const tooLongRenamed = renamedTooLong(group.value, rank);
            if (tooLongRenamed) throw new Error(tooLongRenamed);
            await manager.query(
              `UPDATE ${table} SET "${COLUMN}" = $1,
                      "emailsAdditionalEmails" = coalesce("emailsAdditionalEmails", '[]'::jsonb) || jsonb_build_array($2::text)
                WHERE "id" = $3`,
              [renamed, group.value, id],
            );
            log.push({ personId: id, from: group.value, to: renamed });
          }
        }
        await context.ledger(manager).appendLog(
          context.entry.id,
          log.map((change) => ({ dedupe: 'keep-oldest', ...change })),
        );
        // Counted with the renames themselves, so a run resumed after them still reports them.
        await context.ledger(manager).checkpoint(context.entry.id, { ...context.entry.checkpoint, deduped: log.length }, log.length);
        return log;
      });
      report.rowsAffected += changes.length;
      report.notes.push(
        `keep-oldest: renamed ${changes.length} duplicate email(s), originals kept in additionalEmails and listed in the ledger`,
      );
    }

    context.options.crashPoint?.('before-index-build');
    const build = await ensureIndex(context, {
      schema: workspace.schemaName,
      table: person.tableName,
      name: PERSON_EMAIL_INDEX,
      isUnique: true,
      keys: quoteIdentifier(COLUMN),
      where: WHERE,
    });
    if (build.droppedInvalid) report.notes.push(`dropped the invalid ${PERSON_EMAIL_INDEX} left by an interrupted build`);
    if (build.built) {
      report.notes.push(`built ${PERSON_EMAIL_INDEX}${build.concurrently ? ' CONCURRENTLY' : ''}`);
      context.options.crashPoint?.('index-built');
    }
    await context.transaction((manager) =>
      manager.query(
        `INSERT INTO metadata."indexMetadata" ("id", "workspaceId", "objectMetadataId", "name", "columns", "isUnique", "whereClause", "isCustom")
         SELECT $6, $1, $2, $3, $4, true, $5, false
          WHERE NOT EXISTS (SELECT 1 FROM metadata."indexMetadata" WHERE "workspaceId" = $1 AND "name" = $3)`,
        // The id sync would give it, so an upgraded workspace's metadata equals a fresh one's.
        [
          workspace.id,
          person.id,
          PERSON_EMAIL_INDEX,
          [COLUMN],
          WHERE,
          deterministicUuid(workspace.id, 'index', STANDARD_OBJECT_IDS.person, PERSON_EMAIL_INDEX),
        ],
      ),
    );
    if (report.notes.length === 0) report.notes.push(`${PERSON_EMAIL_INDEX} already in place`);
    return report;
  },
};
