import { performance } from 'node:perf_hooks';

import { qualified } from '../src/database/sql';
import { DeclarationSetBuilder } from '../src/declarations/declaration-set.builder';
import { DeclaredSchema } from '../src/declarations/declared-schema';
import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIsNullable,
  WorkspaceIsSystem,
} from '../src/declarations/decorators/workspace.decorators';
import { FieldType } from '../src/declarations/field-type';
import { RecordService } from '../src/records/record.service';
import { BaseWorkspaceEntity } from '../src/standard-objects/base.workspace-entity';
import { Hazard } from '../src/sync/plan';
import { WorkspaceSyncService } from '../src/sync/workspace-sync.service';
import { WorkspaceCreationService } from '../src/workspace/workspace-creation.service';
import { median, openBenchDatabase, round } from './bench-database';

const LEAD = {
  standardId: '2b7e4c10-6d3f-4a5e-8b91-000000000001',
  nameSingular: 'lead',
  namePlural: 'leads',
  labelSingular: 'Lead',
  labelPlural: 'Leads',
};

abstract class BenchLeadFields extends BaseWorkspaceEntity {
  @WorkspaceField({ standardId: '2b7e4c10-6d3f-4a5e-8b91-000000000101', type: FieldType.TEXT, label: 'Name', defaultValue: '' })
  name: string;

  @WorkspaceField({ standardId: '2b7e4c10-6d3f-4a5e-8b91-000000000102', type: FieldType.EMAILS, label: 'Emails' })
  @WorkspaceIsNullable()
  emails: unknown;

  @WorkspaceField({ standardId: '2b7e4c10-6d3f-4a5e-8b91-000000000103', type: FieldType.TEXT, label: 'Job title', defaultValue: '' })
  jobTitle: string;
}

@WorkspaceEntity(LEAD)
class BenchLeadWithSearch extends BenchLeadFields {
  @WorkspaceField({
    standardId: '2b7e4c10-6d3f-4a5e-8b91-000000000104',
    type: FieldType.TS_VECTOR,
    label: 'Search vector',
    settings: {
      searchFields: [
        { field: 'name', weight: 'A' },
        { field: 'emails', weight: 'B' },
        { field: 'jobTitle', weight: 'C' },
      ],
    },
  })
  @WorkspaceIsNullable()
  @WorkspaceIsSystem()
  searchVector: string | null;
}

@WorkspaceEntity(LEAD)
class BenchLeadWithoutSearch extends BenchLeadFields {}

const declarations = (entity: typeof BenchLeadFields): DeclaredSchema => DeclarationSetBuilder.build({ entities: [entity] });

/** The vector the trigger computes, as the raw baseline writes it. */
const RAW_VECTOR = `setweight(to_tsvector('simple', coalesce("name", '')), 'A')
  || setweight(to_tsvector('simple', coalesce("emailsPrimaryEmail", '') || ' ' || translate(coalesce("emailsPrimaryEmail", ''), '@.:/_-+', '       ')), 'B')
  || setweight(to_tsvector('simple', coalesce("jobTitle", '')), 'C')`;

const LEADS = (from: number, to: number): string =>
  `SELECT 'Company ' || n AS "name", 'lead.' || n || '@company' || (n % 1000) || '.com' AS "emailsPrimaryEmail", '[]'::jsonb AS "emailsAdditionalEmails",
          (ARRAY['Engineer', 'Designer', 'Founder', 'Analyst'])[1 + n % 4] AS "jobTitle"
     FROM generate_series(${from}, ${to}) AS n`;

const insertLeads = (table: string, from: number, to: number): string =>
  `INSERT INTO ${table} ("name", "emailsPrimaryEmail", "emailsAdditionalEmails", "jobTitle") ${LEADS(from, to)}`;

/** The same rows with their vector computed in the statement itself, as a table without a trigger would take them. */
const insertLeadsWithVector = (table: string, from: number, to: number): string =>
  `INSERT INTO ${table} ("name", "emailsPrimaryEmail", "emailsAdditionalEmails", "jobTitle", "searchVector")
   SELECT *, ${RAW_VECTOR} FROM (${LEADS(from, to)}) leads`;

/**
 * A search field on a table of `rows` leads (default 100,000), three ways against raw SQL doing
 * the same work in the same run: the sync that adds it (column, trigger, one UPDATE filling the
 * rows, GIN index) against ALTER TABLE + UPDATE + CREATE INDEX; inserting `rows` more rows through
 * the trigger against the same insert computing the same vector itself, into a table without a
 * trigger (both with the GIN index); `?search=` through the records
 * service (median of `queries`) against the same tsquery, rank and count in raw SQL.
 */
export const searchBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const rows = Number(args[0] ?? 100_000);
  const queries = Number(args[1] ?? 50);
  const database = await openBenchDatabase();
  try {
    const before = declarations(BenchLeadWithoutSearch);
    const after = declarations(BenchLeadWithSearch);
    const creation = new WorkspaceCreationService(database.dataSource, before);
    const { workspace } = await creation.createFrom(before, { displayName: 'searched', prefill: false });
    const { workspace: raw } = await creation.createFrom(before, { displayName: 'raw', prefill: false });
    const table = qualified(workspace.schemaName, 'lead');
    const rawTable = qualified(raw.schemaName, 'lead');
    await database.dataSource.query(insertLeads(table, 1, rows));
    await database.dataSource.query(insertLeads(rawTable, 1, rows));
    await database.dataSource.query(`VACUUM ANALYZE ${table}`);
    await database.dataSource.query(`VACUUM ANALYZE ${rawTable}`);

    const syncStart = performance.now();
    const outcome = await new WorkspaceSyncService(database.dataSource, after).sync(workspace, {
      allowHazards: new Set([Hazard.REWRITES_TABLE, Hazard.BLOCKS_WRITES]),
    });
    const syncMs = performance.now() - syncStart;
    if (outcome.status !== 'applied') throw new Error(`the sync adding the search field ended ${outcome.status}: ${outcome.message}`);
    const rawStart = performance.now();
    await database.dataSource.transaction(async (manager) => {
      await manager.query(`ALTER TABLE ${rawTable} ADD COLUMN "searchVector" tsvector`);
      await manager.query(`UPDATE ${rawTable} SET "searchVector" = ${RAW_VECTOR}`);
      await manager.query(`CREATE INDEX "IDX_lead_searchVector" ON ${rawTable} USING GIN ("searchVector")`);
    });
    const rawFillMs = performance.now() - rawStart;

    const insertStart = performance.now();
    await database.dataSource.query(insertLeads(table, rows + 1, 2 * rows));
    const insertMs = performance.now() - insertStart;
    const rawInsertStart = performance.now();
    await database.dataSource.query(insertLeadsWithVector(rawTable, rows + 1, 2 * rows));
    const rawInsertMs = performance.now() - rawInsertStart;
    await database.dataSource.query(`ANALYZE ${table}`);
    await database.dataSource.query(`ANALYZE ${rawTable}`);

    const records = new RecordService(database.dataSource);
    const words = ['company12', 'company42 founder', 'designer', 'company999', 'analyst company7'];
    const measured: number[] = [];
    const baseline: number[] = [];
    let matches = 0;
    for (let i = 0; i < queries + 2; i += 1) {
      const search = words[i % words.length];
      const start = performance.now();
      const page = await records.list(workspace.id, 'lead', { search, limit: 50 });
      const listMs = performance.now() - start;
      const query = search
        .split(' ')
        .map((word) => `'${word}':*`)
        .join(' & ');
      const rawQueryStart = performance.now();
      await database.dataSource.transaction('REPEATABLE READ', async (manager) => {
        await manager.query(
          `SELECT "id", "name", "emailsPrimaryEmail", "emailsAdditionalEmails", "jobTitle", "createdAt", "updatedAt", "deletedAt" FROM ${rawTable}
            WHERE "deletedAt" IS NULL AND "searchVector" @@ to_tsquery('simple', $1)
            ORDER BY ts_rank("searchVector", to_tsquery('simple', $1)) DESC, "id" LIMIT 50`,
          [query],
        );
        await manager.query(
          `SELECT count(*)::int FROM ${rawTable} WHERE "deletedAt" IS NULL AND "searchVector" @@ to_tsquery('simple', $1)`,
          [query],
        );
      });
      const rawQueryMs = performance.now() - rawQueryStart;
      if (i >= 2) {
        measured.push(listMs);
        baseline.push(rawQueryMs);
        matches += page.pageInfo.totalCount;
      }
    }
    return {
      rows,
      addFieldSyncMs: round(syncMs),
      baselineRawFillMs: round(rawFillMs),
      addFieldRatio: round(syncMs / rawFillMs),
      insertWithTriggerMs: round(insertMs),
      baselineInsertComputingVectorMs: round(rawInsertMs),
      insertRatio: round(insertMs / rawInsertMs),
      searchQueries: queries,
      averageMatches: Math.round(matches / queries),
      searchMedianMs: round(median(measured)),
      baselineRawSearchMedianMs: round(median(baseline)),
      searchRatio: round(median(measured) / median(baseline)),
    };
  } finally {
    await database.drop();
  }
};
