import { Client } from 'pg';

import { UPGRADE_0_23_STEPS } from '../../src/upgrade/versions/0-23';
import { catalogSnapshot, CatalogSnapshot, comparableMetadata, ComparableMetadata } from '../utils/schema-snapshot';

// Helpers shared by the upgrade-0.23 specs: ledger rows, field rows, views, and "same as fresh".

export const STEP_NAMES = UPGRADE_0_23_STEPS.map((step) => step.name);

export interface LedgerRow {
  step: string;
  version: string;
  checksum: string;
  status: string;
  checkpoint: Record<string, { lastId?: string | null; copied?: boolean }> | null;
  rowsAffected: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export const ledgerRows = async (client: Client, workspaceId: string): Promise<LedgerRow[]> =>
  (
    await client.query(
      `SELECT "step", "version", "checksum", "status", "checkpoint", "rowsAffected"::int AS "rowsAffected", "error", "startedAt", "finishedAt"
         FROM core."upgradeLedger" WHERE "workspaceId" = $1 ORDER BY "step"`,
      [workspaceId],
    )
  ).rows;

export const ledgerRow = async (client: Client, workspaceId: string, step: string): Promise<LedgerRow | undefined> =>
  (await ledgerRows(client, workspaceId)).find((row) => row.step === step);

export const workspaceVersion = async (client: Client, workspaceId: string): Promise<string | null> =>
  (await client.query(`SELECT "version" FROM core.workspace WHERE "id" = $1`, [workspaceId])).rows[0].version;

export interface FieldRow {
  id: string;
  name: string;
  label: string;
  type: string;
  standardId: string | null;
  isCustom: boolean;
  isDeprecated: boolean;
  isNullable: boolean;
  defaultValue: unknown;
}

/** The field row of object `objectName` named `name`, or of standard field `standardId`. */
export const fieldRow = async (client: Client, workspaceId: string, objectName: string, name: string): Promise<FieldRow | undefined> =>
  (
    await client.query(
      `SELECT f."id"::text AS "id", f."name", f."label", f."type", f."standardId"::text AS "standardId", f."isCustom", f."isDeprecated", f."isNullable", f."defaultValue"
         FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
        WHERE f."workspaceId" = $1 AND o."nameSingular" = $2 AND f."name" = $3`,
      [workspaceId, objectName, name],
    )
  ).rows[0];

export const fieldById = async (client: Client, fieldId: string): Promise<FieldRow | undefined> =>
  (
    await client.query(
      `SELECT "id"::text AS "id", "name", "label", "type", "standardId"::text AS "standardId", "isCustom", "isDeprecated", "isNullable", "defaultValue"
         FROM metadata."fieldMetadata" WHERE "id" = $1`,
      [fieldId],
    )
  ).rows[0];

/** Live columns of one table, by name. */
export const liveColumns = async (client: Client, schema: string, table: string): Promise<string[]> =>
  (
    await client.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name`,
      [schema, table],
    )
  ).rows.map((row) => row.column_name);

export { viewLayout } from '../utils/schema-snapshot';

export interface StandardParts {
  metadata: ComparableMetadata;
  catalog: CatalogSnapshot;
}

/**
 * A workspace's metadata and catalog with its custom parts left out: custom objects and their
 * tables (with every field, constraint and index that belongs to them or points at them), custom
 * fields, custom indexes, and the columns named in `customColumns` (`table.column`). Column
 * positions are left out too: a column added by an upgrade sits later in its table.
 */
export const standardParts = async (
  client: Client,
  workspaceId: string,
  schema: string,
  customColumns: ReadonlySet<string> = new Set(),
): Promise<StandardParts> => {
  const metadata = await comparableMetadata(client, workspaceId);
  const customObjects = new Set(metadata.objects.filter((row) => row.isCustom).map((row) => row.nameSingular as string));
  const customTables = [...new Set(metadata.objects.filter((row) => row.isCustom).map((row) => row.tableName as string))];
  const customIndexes = new Set(
    metadata.indexes.filter((row) => row.isCustom || customObjects.has(row.objectName as string)).map((row) => row.name as string),
  );
  const catalog = await catalogSnapshot(client, schema);
  const isCustomTable = (table: string) => customTables.includes(table);
  return {
    metadata: {
      objects: metadata.objects.filter((row) => !row.isCustom),
      fields: metadata.fields.filter(
        (row) =>
          !row.isCustom && !customObjects.has(row.objectName as string) && !customObjects.has(row.relationTargetObjectName as string),
      ),
      indexes: metadata.indexes.filter((row) => !customIndexes.has(row.name as string)),
    },
    catalog: {
      columns: catalog.columns
        .filter((column) => !isCustomTable(column.table) && !customColumns.has(`${column.table}.${column.column}`))
        .map((column) => ({ ...column, position: 0 })),
      constraints: catalog.constraints.filter(
        (constraint) =>
          !isCustomTable(constraint.table) && !customTables.some((table) => constraint.definition.includes(`REFERENCES ${table}(`)),
      ),
      foreignKeys: catalog.foreignKeys.filter((fk) => !isCustomTable(fk.table) && !isCustomTable(fk.targetTable)),
      indexes: catalog.indexes.filter((index) => !isCustomTable(index.table) && !customIndexes.has(index.name)),
      enums: catalog.enums.filter((type) => !customTables.some((table) => type.name.startsWith(`${table}_`))),
      triggers: catalog.triggers.filter((trigger) => !isCustomTable(trigger.table)),
      functions: catalog.functions,
    },
  };
};

/** Two workspaces' standard parts are equal, compared part by part so that a failure names the part. */
export const expectSameStandardParts = (actual: StandardParts, expected: StandardParts): void => {
  expect(actual.metadata.objects).toEqual(expected.metadata.objects);
  expect(actual.metadata.fields).toEqual(expected.metadata.fields);
  expect(actual.metadata.indexes).toEqual(expected.metadata.indexes);
  expect(actual.catalog.columns).toEqual(expected.catalog.columns);
  expect(actual.catalog.constraints).toEqual(expected.catalog.constraints);
  expect(actual.catalog.foreignKeys).toEqual(expected.catalog.foreignKeys);
  expect(actual.catalog.indexes).toEqual(expected.catalog.indexes);
  expect(actual.catalog.enums).toEqual(expected.catalog.enums);
};

/** `object.field` of every custom field of the workspace, sorted. */
export const customFieldNames = async (client: Client, workspaceId: string): Promise<string[]> =>
  (
    await client.query(
      `SELECT o."nameSingular" || '.' || f."name" AS name FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
        WHERE f."workspaceId" = $1 AND f."isCustom" ORDER BY 1`,
      [workspaceId],
    )
  ).rows.map((row) => row.name);
