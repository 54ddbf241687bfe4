import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { FieldType } from '../../../src/declarations/field-type';
import { ActualStateRepository } from '../../../src/metadata/actual-state.repository';
import { searchFunctionName, searchTriggerName } from '../../../src/metadata/search-vector';
import { checkWorkspaceHealth } from '../../../src/sync/workspace-health';
import {
  CatalogSnapshot,
  catalogSnapshot,
  ComparableMetadata,
  comparableMetadata,
  TableData,
  tableData,
  viewLayout,
} from '../../utils/schema-snapshot';

const VIEW_TABLES = new Set(['view', 'viewField', 'viewFilter', 'viewSort']);

export interface EndState {
  metadata: ComparableMetadata;
  catalog: CatalogSnapshot;
  /** The records of every table but the view tables, by id, value by value. */
  records: TableData;
  views: Array<Record<string, unknown>>;
}

/** What two workspaces brought to the same state by the same commands must share. */
export const endState = async (client: Client, workspaceId: string, schema: string): Promise<EndState> => {
  const data = await tableData(client, schema);
  return {
    metadata: await comparableMetadata(client, workspaceId),
    catalog: await catalogSnapshot(client, schema),
    records: Object.fromEntries(Object.entries(data).filter(([table]) => !VIEW_TABLES.has(table))),
    views: await viewLayout(client, schema),
  };
};

/**
 * Records compared without their ids and timestamps (rows created by the service get new ones in
 * every workspace): each table as its sorted rows of the other values.
 */
export const recordsWithoutIds = async (client: Client, schema: string): Promise<Record<string, string[]>> => {
  const columns = await client.query<{ table: string; column: string }>(
    `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
      WHERE table_schema = $1 AND data_type NOT IN ('uuid', 'timestamp with time zone') ORDER BY table_name, ordinal_position`,
    [schema],
  );
  const byTable = new Map<string, string[]>();
  for (const { table, column } of columns.rows) byTable.set(table, [...(byTable.get(table) ?? []), column]);
  const result: Record<string, string[]> = {};
  for (const [table, names] of byTable) {
    if (VIEW_TABLES.has(table)) continue;
    const { rows } = await client.query(
      `SELECT ${names.map((name) => `"${name}"::text AS "${name}"`).join(', ')} FROM "${schema}"."${table}"`,
    );
    result[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return result;
};

/** Non-null values in a set of records: what a comparison of them verified. */
export const valueCount = (records: TableData): number =>
  Object.values(records).reduce(
    (sum, rows) => sum + Object.values(rows).reduce((inner, row) => inner + Object.values(row).filter((value) => value !== null).length, 0),
    0,
  );

/**
 * What must never be left behind, by a finished run or by a killed one once rerun: drift between
 * metadata and tables (orphan field rows, orphan columns, missing tables), temporary triggers and
 * functions, unfinished ledger entries, metadata of workspaces that do not exist, schemas without
 * a workspace. Empty when clean.
 */
export const integrityProblems = async (
  client: Client,
  dataSource: DataSource,
  workspaceId: string | null,
  schema: string | null,
): Promise<string[]> => {
  const problems: string[] = [];
  if (workspaceId && schema) {
    const actual = await new ActualStateRepository(dataSource.manager).read(workspaceId, schema);
    problems.push(...checkWorkspaceHealth(actual).map((issue) => `${issue.kind}: ${issue.message}`));
    // Search fields are kept by a trigger and its function: those must be there, and nothing else.
    const searchFields = actual.objects.flatMap((object) =>
      object.fields.filter((field) => field.type === FieldType.TS_VECTOR).map((field) => ({ table: object.tableName, field: field.name })),
    );
    const expectedTriggers = new Set(searchFields.map(({ table, field }) => `${table}.${searchTriggerName(field)}`));
    const expectedFunctions = new Set(searchFields.map(({ table, field }) => searchFunctionName(table, field)));
    const triggers = await client.query(
      `SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal`,
      [schema],
    );
    const liveTriggers = new Set(triggers.rows.map((row) => `${row.relname}.${row.tgname}`));
    problems.push(
      ...triggers.rows
        .filter((row) => !expectedTriggers.has(`${row.relname}.${row.tgname}`))
        .map((row) => `leftover trigger ${row.tgname}`),
    );
    problems.push(...[...expectedTriggers].filter((name) => !liveTriggers.has(name)).map((name) => `missing search trigger ${name}`));
    const functions = await client.query(
      `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1`,
      [schema],
    );
    const liveFunctions = new Set(functions.rows.map((row) => row.proname));
    problems.push(...functions.rows.filter((row) => !expectedFunctions.has(row.proname)).map((row) => `leftover function ${row.proname}`));
    problems.push(...[...expectedFunctions].filter((name) => !liveFunctions.has(name)).map((name) => `missing search function ${name}`));
    const ledger = await client.query(
      `SELECT "step", "status" FROM core."upgradeLedger" WHERE "workspaceId" = $1 AND "status" NOT IN ('DONE', 'BASELINED')`,
      [workspaceId],
    );
    problems.push(...ledger.rows.map((row) => `ledger step ${row.step} is ${row.status}`));
  }
  const orphans = await client.query(
    `SELECT 'objectMetadata' AS "table", count(*)::int AS count FROM metadata."objectMetadata" o WHERE NOT EXISTS (SELECT 1 FROM core.workspace w WHERE w."id" = o."workspaceId")
     UNION ALL SELECT 'fieldMetadata', count(*)::int FROM metadata."fieldMetadata" f
       WHERE NOT EXISTS (SELECT 1 FROM metadata."objectMetadata" o WHERE o."id" = f."objectMetadataId" AND o."workspaceId" = f."workspaceId")
     UNION ALL SELECT 'indexMetadata', count(*)::int FROM metadata."indexMetadata" i
       WHERE NOT EXISTS (SELECT 1 FROM metadata."objectMetadata" o WHERE o."id" = i."objectMetadataId" AND o."workspaceId" = i."workspaceId")
     UNION ALL SELECT 'upgradeLedger', count(*)::int FROM core."upgradeLedger" l WHERE NOT EXISTS (SELECT 1 FROM core.workspace w WHERE w."id" = l."workspaceId")`,
  );
  problems.push(...orphans.rows.filter((row) => row.count > 0).map((row) => `${row.count} orphan row(s) in ${row.table}`));
  const schemas = await client.query(
    `SELECT n.nspname AS "schema", w."id" AS "workspace" FROM pg_namespace n FULL JOIN core.workspace w ON w."schemaName" = n.nspname
      WHERE (n.nspname LIKE 'workspace\\_%' OR w."id" IS NOT NULL) AND (n.nspname IS NULL OR w."id" IS NULL)`,
  );
  problems.push(
    ...schemas.rows.map((row) =>
      row.schema ? `schema ${row.schema} belongs to no workspace` : `workspace ${row.workspace} has no schema`,
    ),
  );
  return problems;
};
