import { Client } from 'pg';

/**
 * Snapshots of a workspace for integration specs: its live catalog, its metadata rows (exact, or
 * normalised so that two workspaces compare) and the data of its tables, value by value.
 */

export interface CatalogColumn {
  table: string;
  column: string;
  position: number;
  dataType: string;
  udtName: string;
  isNullable: string;
  /** With the workspace's schema name removed, so that two workspaces compare. */
  default: string | null;
}

export interface CatalogConstraint {
  table: string;
  name: string;
  type: string;
  definition: string;
}

export interface CatalogForeignKey {
  name: string;
  table: string;
  column: string;
  targetTable: string;
  /** pg_constraint.confdeltype: a no action, r restrict, c cascade, n set null, d set default. */
  onDelete: string;
}

export interface CatalogIndex {
  table: string;
  name: string;
  definition: string;
}

export interface CatalogEnum {
  name: string;
  labels: string[];
}

export interface CatalogSnapshot {
  columns: CatalogColumn[];
  constraints: CatalogConstraint[];
  foreignKeys: CatalogForeignKey[];
  indexes: CatalogIndex[];
  enums: CatalogEnum[];
  /** Triggers and the functions of the schema (search columns are kept by them). */
  triggers: Array<{ table: string; name: string; definition: string }>;
  functions: Array<{ name: string; definition: string }>;
}

const withoutSchema = (schema: string, text: string | null): string | null =>
  text === null ? null : text.split(`"${schema}".`).join('').split(`${schema}.`).join('');

/** Columns, constraints, foreign keys, indexes and enum types of one schema. */
export const catalogSnapshot = async (client: Client, schema: string): Promise<CatalogSnapshot> => {
  const columns = await client.query(
    `SELECT table_name AS "table", column_name AS "column", ordinal_position::int AS "position", data_type AS "dataType",
            udt_name AS "udtName", is_nullable AS "isNullable", column_default AS "default"
       FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, column_name`,
    [schema],
  );
  const constraints = await client.query(
    `SELECT cl.relname AS "table", con.conname AS "name", con.contype AS "type", pg_get_constraintdef(con.oid) AS "definition"
       FROM pg_constraint con
       JOIN pg_namespace n ON n.oid = con.connamespace
       JOIN pg_class cl ON cl.oid = con.conrelid
      WHERE n.nspname = $1 ORDER BY cl.relname, con.conname`,
    [schema],
  );
  const foreignKeys = await client.query(
    `SELECT con.conname AS "name", src.relname AS "table", a.attname AS "column", dst.relname AS "targetTable",
            con.confdeltype AS "onDelete"
       FROM pg_constraint con
       JOIN pg_namespace n ON n.oid = con.connamespace
       JOIN pg_class src ON src.oid = con.conrelid
       JOIN pg_class dst ON dst.oid = con.confrelid
       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
      WHERE n.nspname = $1 AND con.contype = 'f' ORDER BY con.conname`,
    [schema],
  );
  const indexes = await client.query(
    `SELECT tablename AS "table", indexname AS "name", indexdef AS "definition"
       FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname`,
    [schema],
  );
  const enums = await client.query(
    `SELECT t.typname AS "name", array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS "labels"
       FROM pg_type t
       JOIN pg_namespace n ON n.oid = t.typnamespace
       JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = $1 GROUP BY t.typname ORDER BY t.typname`,
    [schema],
  );
  const triggers = await client.query(
    `SELECT c.relname AS "table", t.tgname AS "name", pg_get_triggerdef(t.oid) AS "definition"
       FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY c.relname, t.tgname`,
    [schema],
  );
  const functions = await client.query(
    `SELECT p.proname AS "name", pg_get_functiondef(p.oid) AS "definition"
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1 ORDER BY p.proname`,
    [schema],
  );
  return {
    triggers: triggers.rows.map((row) => ({ ...row, definition: withoutSchema(schema, row.definition)! })),
    functions: functions.rows.map((row) => ({ ...row, definition: withoutSchema(schema, row.definition)! })),
    columns: columns.rows.map((row) => ({ ...row, default: withoutSchema(schema, row.default) })),
    constraints: constraints.rows.map((row) => ({ ...row, definition: withoutSchema(schema, row.definition)! })),
    foreignKeys: foreignKeys.rows,
    indexes: indexes.rows.map((row) => ({ ...row, definition: withoutSchema(schema, row.definition)! })),
    enums: enums.rows,
  };
};

export interface MetadataRows {
  workspace: Record<string, unknown>;
  objects: Array<Record<string, unknown>>;
  fields: Array<Record<string, unknown>>;
  indexes: Array<Record<string, unknown>>;
}

/** Every metadata row of a workspace, and its core.workspace row, exactly as stored. */
export const metadataRows = async (client: Client, workspaceId: string): Promise<MetadataRows> => {
  const rows = async (table: string) =>
    (await client.query(`SELECT * FROM metadata."${table}" WHERE "workspaceId" = $1 ORDER BY "id"`, [workspaceId])).rows;
  const [workspace] = (await client.query(`SELECT * FROM core.workspace WHERE "id" = $1`, [workspaceId])).rows;
  return { workspace, objects: await rows('objectMetadata'), fields: await rows('fieldMetadata'), indexes: await rows('indexMetadata') };
};

export interface ComparableMetadata {
  objects: Array<Record<string, unknown>>;
  fields: Array<Record<string, unknown>>;
  indexes: Array<Record<string, unknown>>;
}

/**
 * A workspace's metadata with what differs between two workspaces left out (ids, timestamps,
 * workspaceId) and references to other rows given by name instead of id.
 */
export const comparableMetadata = async (client: Client, workspaceId: string): Promise<ComparableMetadata> => {
  const objects = await client.query(
    `SELECT o.*, label."name" AS "labelIdentifierFieldName"
       FROM metadata."objectMetadata" o
       LEFT JOIN metadata."fieldMetadata" label ON label."id" = o."labelIdentifierFieldMetadataId"
      WHERE o."workspaceId" = $1 ORDER BY o."nameSingular"`,
    [workspaceId],
  );
  const fields = await client.query(
    `SELECT f.*, o."nameSingular" AS "objectName", target."nameSingular" AS "relationTargetObjectName",
            inverse."name" AS "relationTargetFieldName"
       FROM metadata."fieldMetadata" f
       JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
       LEFT JOIN metadata."objectMetadata" target ON target."id" = f."relationTargetObjectMetadataId"
       LEFT JOIN metadata."fieldMetadata" inverse ON inverse."id" = f."relationTargetFieldMetadataId"
      WHERE f."workspaceId" = $1 ORDER BY o."nameSingular", f."name"`,
    [workspaceId],
  );
  const indexes = await client.query(
    `SELECT i.*, o."nameSingular" AS "objectName"
       FROM metadata."indexMetadata" i
       JOIN metadata."objectMetadata" o ON o."id" = i."objectMetadataId"
      WHERE i."workspaceId" = $1 ORDER BY i."name"`,
    [workspaceId],
  );
  const omit = (row: Record<string, unknown>, keys: string[]) =>
    Object.fromEntries(Object.entries(row).filter(([key]) => !keys.includes(key)));
  const always = ['id', 'workspaceId', 'createdAt', 'updatedAt'];
  return {
    objects: objects.rows.map((row) => omit(row, [...always, 'labelIdentifierFieldMetadataId'])),
    fields: fields.rows.map((row) =>
      omit(row, [...always, 'objectMetadataId', 'relationTargetObjectMetadataId', 'relationTargetFieldMetadataId']),
    ),
    indexes: indexes.rows.map((row) => omit(row, [...always, 'objectMetadataId'])),
  };
};

/** table -> row id -> column -> the value as text (NULL as null): exact, whatever the column type. */
export type TableData = Record<string, Record<string, Record<string, string | null>>>;

export const tableData = async (client: Client, schema: string): Promise<TableData> => {
  const columns = await client.query<{ table: string; column: string }>(
    `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
      WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
    [schema],
  );
  const byTable = new Map<string, string[]>();
  for (const { table, column } of columns.rows) {
    byTable.set(table, [...(byTable.get(table) ?? []), column]);
  }
  const data: TableData = {};
  for (const [table, names] of byTable) {
    const select = names.map((name) => `"${name}"::text AS "${name}"`).join(', ');
    const rows = await client.query(`SELECT ${select} FROM "${schema}"."${table}" ORDER BY "id"`);
    data[table] = Object.fromEntries(rows.rows.map((row) => [row.id, row]));
  }
  return data;
};

export interface WorkspaceSnapshot {
  metadata: MetadataRows;
  catalog: CatalogSnapshot;
  data: TableData;
}

/** Everything a sync could write to: metadata rows, the catalog of the schema, and the data. */
export const workspaceSnapshot = async (client: Client, workspaceId: string, schema: string): Promise<WorkspaceSnapshot> => ({
  metadata: await metadataRows(client, workspaceId),
  catalog: await catalogSnapshot(client, schema),
  data: await tableData(client, schema),
});

/**
 * Every view field of a workspace as (view name, field name, position, visibility, size), in a
 * stable order: view rows have ids of their own in every workspace. Empty without view tables.
 */
export const viewLayout = async (client: Client, schema: string): Promise<Array<Record<string, unknown>>> => {
  const { rows } = await client.query(`SELECT to_regclass($1) IS NOT NULL AS "exists"`, [`"${schema}"."viewField"`]);
  if (!rows[0].exists) return [];
  return (
    await client.query(
      `SELECT v."name" AS "view", f."name" AS "field", vf."position"::float8 AS "position", vf."isVisible", vf."size"::float8 AS "size"
         FROM "${schema}"."viewField" vf
         JOIN "${schema}"."view" v ON v."id" = vf."viewId"
         LEFT JOIN metadata."fieldMetadata" f ON f."id" = vf."fieldMetadataId"
        WHERE vf."deletedAt" IS NULL
        ORDER BY v."name", vf."position", f."name"`,
    )
  ).rows;
};
