import { EntityManager } from 'typeorm';

import { FieldType } from '../../../declarations/field-type';
import { qualified, quoteIdentifier } from '../../../database/sql';
import { ActualField, ActualObject, ActualState } from '../../../metadata/actual-state';
import { ActualStateRepository } from '../../../metadata/actual-state.repository';
import { compositeColumnName } from '../../../metadata/column-layout';
import { getVersionSnapshot } from '../../../standard-objects/version-snapshots';
import { type CountryCode, parsePhone, parsePhones, PHONE_UNPARSED_REASONS } from '../../converters/phone.converter';
import { moveConverted, refillSearchColumns, searchFilledNotes } from '../../steps/converted-move';
import { fieldInTheWay } from '../../steps/field-in-the-way';
import { StepReport, UpgradePreflightContext, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';
import { PERSON, snapshotField, snapshotFieldNamed } from './snapshot-shapes';

const from = snapshotFieldNamed('0.24', PERSON, 'phone');
const to = snapshotField('0.25', PERSON, from.standardId);

/** How many of the values kept verbatim the ledger lists by record (all of them are counted). */
export const UNPARSED_LISTED = 100;

const SUBFIELDS = ['primaryPhoneNumber', 'primaryPhoneCountryCode', 'additionalPhones'] as const;

/** The PHONES field a PHONE field becomes, and the step's error when another field is in its way. */
const target = (object: ActualObject, field: ActualField) => {
  const isStandardPhone = !field.isCustom && field.standardId === from.standardId && object.standardId === PERSON;
  const newName = isStandardPhone ? to.name : field.name;
  const columns = SUBFIELDS.map((subfield) => compositeColumnName(newName, subfield));
  const error = fieldInTheWay(object, field, newName, FieldType.PHONES, columns);
  return { newName, columns, error };
};

const clashes = (state: ActualState): Error[] =>
  state.objects.flatMap((object) =>
    object.fields.filter((field) => field.type === FieldType.PHONE).flatMap((field) => target(object, field).error ?? []),
  );

/** A field whose values kept verbatim are still to be counted and listed in the ledger (queued by its switch). */
interface PendingUnparsedLog {
  table: string;
  columns: string[];
  label: string;
}

/**
 * Counts and lists the values kept verbatim of every field whose switch queued it, each in a
 * transaction of its own after the switch: reading the whole table under the switch's lock would
 * hold the table's writers for as long as the read takes. A run killed after a switch finds the
 * field still queued in the checkpoint and writes its log then. Returns the count per field.
 */
const writeUnparsedLogs = async (context: UpgradeStepContext, defaultCountry: CountryCode | undefined): Promise<Map<string, number>> => {
  const counts = new Map<string, number>();
  const checkpoint = (context.entry.checkpoint ??= {});
  const queue = (checkpoint.unparsedLogs as PendingUnparsedLog[] | undefined) ?? [];
  while (queue.length > 0) {
    const [next] = queue;
    await context.transaction(async (manager) => {
      const unparsed = await unparsedLog(
        manager,
        qualified(context.workspace.schemaName, next.table),
        next.columns,
        next.label,
        defaultCountry,
      );
      counts.set(next.label, unparsed.count);
      queue.shift();
      checkpoint.unparsedLogs = queue;
      await context.ledger(manager).appendLog(context.entry.id, [unparsed.entry]);
      await context.ledger(manager).checkpoint(context.entry.id, checkpoint, 0);
    });
  }
  return counts;
};

/** The values kept verbatim after the move: how many, and the first ones with their record and why. */
const unparsedLog = async (
  manager: EntityManager,
  table: string,
  columns: string[],
  label: string,
  defaultCountry: CountryCode | undefined,
): Promise<{ count: number; entry: Record<string, unknown> }> => {
  const [number, countryCode] = columns.map(quoteIdentifier);
  const verbatim = `${countryCode} = '' AND btrim(${number}) <> ''`;
  const [{ count }] = await manager.query(`SELECT count(*)::int AS "count" FROM ${table} WHERE ${verbatim}`);
  const listed: Array<{ id: string; value: string }> = await manager.query(
    `SELECT "id"::text AS "id", ${number} AS "value" FROM ${table} WHERE ${verbatim} ORDER BY "id" LIMIT $1`,
    [UNPARSED_LISTED],
  );
  const entry = {
    field: label,
    keptVerbatim: count,
    listed: listed.map(({ id, value }) => {
      const reason = parsePhone(value, defaultCountry).reason ?? 'INVALID_NUMBER';
      return { id, value, reason, why: PHONE_UNPARSED_REASONS[reason] };
    }),
  };
  return { count, entry };
};

/**
 * PHONE -> PHONES for Person `phone` (which becomes `phones`) and every custom PHONE field (same
 * name). Each value is parsed in Node: a valid number gives its national number and `+` country
 * code, read in the workspace's default country when written without an international prefix;
 * anything else is kept verbatim with an empty country code, counted, and the first ones listed in
 * the ledger. NULL stays NULL; `additionalPhones` is empty beside a value. The field row keeps its
 * id, so views, filters and sorts keep pointing at it; the old column is dropped at the end.
 */
export const migratePhoneFieldsToPhones: UpgradeStep = {
  version: '0.25',
  name: 'migrate-phone-fields-to-phones',
  phase: 'before-sync',
  description: 'Move PHONE fields (Person phone and custom ones) to the PHONES type, each number parsed into country code and number',
  definition: {
    revision: 2,
    from: { standardId: from.standardId, name: from.name, type: from.type },
    to: { name: to.name, type: to.type, subfields: [...SUBFIELDS] },
    custom: { type: FieldType.PHONE },
    conversion: 'libphonenumber-js max metadata, national number and +country code; unparsed kept verbatim',
    search: 'the 0.25 search field of person, when missing, added before the batches of phones, which fill it',
  },
  claims: [from.standardId],
  async preflight({ state }: UpgradePreflightContext): Promise<string[]> {
    return clashes(state).map((error) => error.message);
  },
  async run(context: UpgradeStepContext): Promise<StepReport> {
    const report: StepReport = { rowsAffected: 0, notes: [], maxBatchMs: 0 };
    const schema = context.workspace.schemaName;
    const actual = await new ActualStateRepository(context.connection.manager).readForPlanning(context.workspace.id, schema);
    const [clash] = clashes(actual);
    if (clash) throw clash;
    const defaultCountry = (context.workspace.defaultCountry ?? undefined) as CountryCode | undefined;
    // Fields switched by a run killed before it wrote their log.
    for (const [label, count] of await writeUnparsedLogs(context, defaultCountry)) {
      report.notes.push(`${label}: ${count} kept verbatim`);
    }
    for (const object of actual.objects) {
      for (const field of object.fields.filter((candidate) => candidate.type === FieldType.PHONE)) {
        const { newName, columns } = target(object, field);
        const [number, countryCode, additional] = columns.map((column) => `NEW.${quoteIdentifier(column)}`);
        const old = `NEW.${quoteIdentifier(field.name)}`;
        const label = `${object.nameSingular}.${field.name}`;
        const moved = await moveConverted(
          context,
          {
            object,
            field,
            newName,
            newType: FieldType.PHONES,
            newLabel: to.label,
            newColumns: [
              { name: columns[0], type: 'text' },
              { name: columns[1], type: 'text' },
              { name: columns[2], type: 'jsonb' },
            ],
            convert: (rows) => {
              const batch = parsePhones(
                rows.map((row) => row.value),
                defaultCountry,
              );
              return [batch.primaryPhoneNumbers, batch.primaryPhoneCountryCodes, rows.map((row) => (row.value === null ? null : '[]'))];
            },
            rawAssignments: `${number} := ${old}; ${countryCode} := CASE WHEN ${old} IS NULL THEN NULL ELSE '' END; ${additional} := CASE WHEN ${old} IS NULL THEN NULL ELSE '[]'::jsonb END;`,
            searchFieldsOf: getVersionSnapshot('0.25'),
          },
          async () => {
            // Queued with the switch, written right after it (writeUnparsedLogs).
            const checkpoint = (context.entry.checkpoint ??= {});
            const queue = ((checkpoint.unparsedLogs as PendingUnparsedLog[] | undefined) ??= []);
            queue.push({ table: object.tableName, columns, label });
            return [];
          },
        );
        const verbatim = (await writeUnparsedLogs(context, defaultCountry)).get(label) ?? 0;
        report.rowsAffected += moved.rows;
        report.maxBatchMs = Math.max(report.maxBatchMs, moved.maxBatchMs);
        report.notes.push(
          `${label} -> ${newName} (PHONES): ${moved.rows} row(s) in ${moved.batches} batch(es), ${verbatim} kept verbatim` +
            (moved.rewritten > 0 ? `, ${moved.rewritten} written during the move converted again` : ''),
        );
        report.notes.push(...searchFilledNotes(moved));
      }
    }
    report.notes.push(...(await refillSearchColumns(context)));
    if (report.notes.length === 0) report.notes.push('no PHONE field left');
    return report;
  },
};
