import { performance } from 'node:perf_hooks';

import { qualified, quoteIdentifier } from '../../../database/sql';
import {
  OPPORTUNITY_STANDARD_FIELD_IDS,
  PERSON_STANDARD_FIELD_IDS,
  STANDARD_OBJECT_IDS,
} from '../../../standard-objects/standard-ids.constant';
import { BatchSizer } from '../../steps/batched-move';
import { dropIndex, ensureIndex } from '../../steps/index-build';
import { StepReport, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';

const MATCH_INDEX = 'wms_backfill_person_email_lower';
const MAX_LISTED = 1000;

interface Counts {
  matched: number;
  unmatched: number;
  ambiguous: number;
  empty: number;
}

/**
 * Opportunity `pointOfContactEmail` (a person matched by value) becomes the relation
 * `pointOfContact` with a real foreign key. Counts matched, unmatched and ambiguous rows first and
 * records them; backfills in keyset batches with a checkpoint each, only where exactly one person
 * has the email (case-insensitive) and the relation is still unset; ambiguous rows are left unset
 * and listed, never resolved by picking one. The email text stays in its (now custom) field.
 */
export const backfillOpportunityPointOfContact: UpgradeStep = {
  version: '0.24',
  name: 'backfill-opportunity-point-of-contact',
  phase: 'after-sync',
  description: 'Set opportunity.pointOfContact from pointOfContactEmail where exactly one person has that email',
  definition: {
    revision: 1,
    from: OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContactEmail,
    to: OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContact,
    match: 'lower(btrim(email)) = lower(btrim(person.emailsPrimaryEmail)), exactly one live person',
  },
  async run(context: UpgradeStepContext): Promise<StepReport> {
    const { connection, workspace } = context;
    const tables: Array<{ standardId: string; tableName: string }> = await connection.query(
      `SELECT "standardId", "tableName" FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "standardId" = ANY($2::uuid[]) AND NOT "isCustom"`,
      [workspace.id, [STANDARD_OBJECT_IDS.opportunity, STANDARD_OBJECT_IDS.person]],
    );
    const fields: Array<{ standardId: string; name: string; type: string }> = await connection.query(
      `SELECT f."standardId", f."name", f."type" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
        WHERE f."workspaceId" = $1 AND o."standardId" = ANY($2::uuid[]) AND NOT o."isCustom" AND f."standardId" = ANY($3::uuid[])`,
      [
        workspace.id,
        [STANDARD_OBJECT_IDS.opportunity, STANDARD_OBJECT_IDS.person],
        [
          OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContactEmail,
          OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContact,
          PERSON_STANDARD_FIELD_IDS.emails,
        ],
      ],
    );
    const tableOf = (id: string) => tables.find((table) => table.standardId === id)?.tableName;
    const fieldOf = (id: string) => fields.find((field) => field.standardId === id);
    const emailField = fieldOf(OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContactEmail);
    const relation = fieldOf(OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContact);
    const personEmails = fieldOf(PERSON_STANDARD_FIELD_IDS.emails);
    if (!emailField) {
      return { rowsAffected: 0, notes: ['opportunity has no pointOfContactEmail: nothing to backfill'], maxBatchMs: 0 };
    }
    if (!relation || personEmails?.type !== 'EMAILS' || !tableOf(STANDARD_OBJECT_IDS.opportunity) || !tableOf(STANDARD_OBJECT_IDS.person)) {
      throw new Error('opportunity.pointOfContact or person.emails is missing: the sync to 0.24 must run before this step');
    }
    const opportunity = qualified(workspace.schemaName, tableOf(STANDARD_OBJECT_IDS.opportunity)!);
    const person = qualified(workspace.schemaName, tableOf(STANDARD_OBJECT_IDS.person)!);
    const email = `${quoteIdentifier(emailField.name)}`;
    const target = quoteIdentifier(`${relation.name}Id`);
    const personEmail = quoteIdentifier(`${personEmails.name}PrimaryEmail`);
    // A blank email matches nobody, whatever blank emails people may have.
    const matchesOf = (row: string) =>
      `(SELECT count(*) FROM ${person} p WHERE coalesce(btrim(${row}.${email}), '') <> '' AND lower(btrim(p.${personEmail})) = lower(btrim(${row}.${email})) AND p."deletedAt" IS NULL)`;

    // An expression index makes each lookup an index probe; dropped again at the end.
    await ensureIndex(context, {
      schema: workspace.schemaName,
      table: tableOf(STANDARD_OBJECT_IDS.person)!,
      name: MATCH_INDEX,
      isUnique: false,
      keys: `lower(btrim(${personEmail}))`,
    });

    const checkpoint = (context.entry.checkpoint ??= {});
    if (!checkpoint.counts) {
      const [counts]: Counts[] = await connection.query(
        `SELECT count(*) FILTER (WHERE n = 1)::int AS "matched", count(*) FILTER (WHERE n = 0 AND NOT blank)::int AS "unmatched",
                count(*) FILTER (WHERE n > 1)::int AS "ambiguous", count(*) FILTER (WHERE blank)::int AS "empty"
           FROM (SELECT ${matchesOf('o')} AS n, coalesce(btrim(o.${email}), '') = '' AS blank FROM ${opportunity} o) s`,
      );
      const ambiguous: Array<{ id: string; email: string }> = await connection.query(
        `SELECT o."id"::text AS "id", o.${email} AS "email" FROM ${opportunity} o WHERE ${matchesOf('o')} > 1 ORDER BY o."id" LIMIT ${MAX_LISTED}`,
      );
      await context.transaction(async (manager) => {
        checkpoint.counts = counts;
        await context.ledger(manager).checkpoint(context.entry.id, checkpoint, 0);
        await context
          .ledger(manager)
          .appendLog(context.entry.id, [{ counts }, { ambiguous, listed: ambiguous.length, total: counts.ambiguous }]);
      });
    }
    const counts = checkpoint.counts as Counts;

    const state = ((checkpoint.backfill as { lastId: string | null; done?: boolean } | undefined) ??= { lastId: null });
    let updated = 0;
    let maxBatchMs = 0;
    let batches = 0;
    const sizer = new BatchSizer(context.options.batchSize, context.options.batchTargetMs);
    const { onProgress } = context.options;
    const [counted]: Array<{ total: number; done: number }> = onProgress
      ? await context.connection.query(
          `SELECT count(*)::float8 AS "total", count(*) FILTER (WHERE "id" <= $1::uuid)::float8 AS "done" FROM ${opportunity}`,
          [state.lastId],
        )
      : [{ total: 0, done: 0 }];
    let scannedSoFar = counted.done;
    const report = (finished: boolean) =>
      onProgress?.({ task: 'backfill', done: scannedSoFar, total: Math.max(counted.total, scannedSoFar), finished });
    report(false);
    while (!state.done) {
      const started = performance.now();
      const size = sizer.next;
      const scanned = await context.batch(async (manager) => {
        const [result]: Array<{ lastId: string | null; scanned: number; updated: number }> = await manager.query(
          `WITH batch AS (
             SELECT o."id", o.${email} AS "email" FROM ${opportunity} o
              WHERE ($1::uuid IS NULL OR o."id" > $1::uuid) ORDER BY o."id" LIMIT $2
           ), matches AS (
             SELECT b."id", min(p."id"::text)::uuid AS "personId" FROM batch b
               JOIN ${person} p ON btrim(b."email") <> '' AND lower(btrim(p.${personEmail})) = lower(btrim(b."email")) AND p."deletedAt" IS NULL
              GROUP BY b."id" HAVING count(*) = 1
           ), updated AS (
             UPDATE ${opportunity} o SET ${target} = m."personId" FROM matches m WHERE o."id" = m."id" AND o.${target} IS NULL RETURNING o."id"
           )
           SELECT (SELECT max("id"::text) FROM batch) AS "lastId", (SELECT count(*)::int FROM batch) AS "scanned", (SELECT count(*)::int FROM updated) AS "updated"`,
          [state.lastId, size],
        );
        if (result.lastId === null) {
          state.done = true;
        } else {
          state.lastId = result.lastId;
        }
        updated += result.updated;
        await context.ledger(manager).checkpoint(context.entry.id, checkpoint, result.updated);
        if (result.lastId !== null) await context.options.beforeBatchCommit?.('backfill', batches + 1, manager);
        return result.scanned;
      });
      if (!state.done) {
        scannedSoFar += scanned;
        report(false);
        const elapsed = performance.now() - started;
        sizer.record(scanned, elapsed);
        batches += 1;
        maxBatchMs = Math.max(maxBatchMs, elapsed);
        await context.options.onBatch?.('backfill', batches, elapsed);
      }
    }
    report(true);
    await dropIndex(context, workspace.schemaName, MATCH_INDEX);
    return {
      rowsAffected: updated,
      notes: [
        `matched ${counts.matched}, unmatched ${counts.unmatched}, ambiguous ${counts.ambiguous} (left unset, listed in the ledger), empty ${counts.empty}`,
        `set pointOfContact on ${updated} opportunit${updated === 1 ? 'y' : 'ies'} in ${batches} batch(es)`,
      ],
      maxBatchMs,
    };
  },
};
