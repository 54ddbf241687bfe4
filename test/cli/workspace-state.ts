import { Client } from 'pg';

import { CliResult, runCli } from '../utils/cli';

/** What `workspace:create --json` prints about the workspace. */
export interface CreatedWorkspaceJson {
  id: string;
  displayName: string;
  schemaName: string;
  activationStatus: string;
  version: string;
  fingerprint: string;
}

/** Creates a workspace through the CLI, as a user does; fails the test with the CLI's stderr otherwise. */
export const createWorkspace = async (env: Record<string, string>, cwd: string, args: string[] = []): Promise<CreatedWorkspaceJson> => {
  const result = await runCli(['workspace:create', '--name', 'Acme', '--json', ...args], env, cwd);
  if (result.code !== 0) {
    throw new Error(`workspace:create exited ${result.code}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout).workspace;
};

export const stdoutLines = (result: CliResult): string[] => result.stdout.trimEnd().split('\n');

export const lastStdoutLine = (result: CliResult): string => stdoutLines(result).at(-1) ?? '';

/**
 * A workspace's metadata rows without what differs between two workspaces of the same shape: ids,
 * timestamps and the workspace id. References between rows (label identifier, relation targets)
 * are kept, as the names they point at.
 */
export const metadataOf = async (client: Client, workspaceId: string) => {
  const objects = await client.query(
    `SELECT o."standardId", o."nameSingular", o."namePlural", o."labelSingular", o."labelPlural", o."description", o."icon",
            o."tableName", o."isCustom", o."isSystem", o."isActive", label."name" AS "labelIdentifier"
       FROM metadata."objectMetadata" o
       LEFT JOIN metadata."fieldMetadata" label ON label."id" = o."labelIdentifierFieldMetadataId"
      WHERE o."workspaceId" = $1
      ORDER BY o."nameSingular"`,
    [workspaceId],
  );
  const fields = await client.query(
    `SELECT o."nameSingular" AS "object", f."standardId", f."name", f."label", f."type", f."description", f."icon",
            f."isCustom", f."isSystem", f."isActive", f."isNullable", f."isUnique", f."isDeprecated", f."defaultValue",
            f."options", f."settings", f."relationType", target."nameSingular" AS "relationTargetObject",
            inverse."name" AS "relationTargetField", f."onDelete"
       FROM metadata."fieldMetadata" f
       JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
       LEFT JOIN metadata."objectMetadata" target ON target."id" = f."relationTargetObjectMetadataId"
       LEFT JOIN metadata."fieldMetadata" inverse ON inverse."id" = f."relationTargetFieldMetadataId"
      WHERE f."workspaceId" = $1
      ORDER BY o."nameSingular", f."name"`,
    [workspaceId],
  );
  const indexes = await client.query(
    `SELECT o."nameSingular" AS "object", i."name", i."columns", i."isUnique", i."whereClause", i."isCustom"
       FROM metadata."indexMetadata" i
       JOIN metadata."objectMetadata" o ON o."id" = i."objectMetadataId"
      WHERE i."workspaceId" = $1
      ORDER BY i."name"`,
    [workspaceId],
  );
  return { objects: objects.rows, fields: fields.rows, indexes: indexes.rows };
};

/**
 * The live tables of a workspace schema: columns (information_schema), indexes and constraints,
 * with the schema name replaced so that two workspaces compare. `withPosition: false` ignores
 * column order (a column added later comes last).
 */
export const liveSchemaOf = async (client: Client, schemaName: string, options: { withPosition?: boolean } = {}) => {
  const columns = await client.query(
    `SELECT table_name, column_name, ${options.withPosition === false ? '' : 'ordinal_position,'} data_type, udt_name, is_nullable,
            replace(column_default, $1 || '.', '<schema>.') AS column_default
       FROM information_schema.columns WHERE table_schema = $1
      ORDER BY table_name, column_name`,
    [schemaName],
  );
  const indexes = await client.query(
    `SELECT tablename, indexname, replace(indexdef, $1 || '.', '<schema>.') AS indexdef
       FROM pg_indexes WHERE schemaname = $1 ORDER BY tablename, indexname`,
    [schemaName],
  );
  const constraints = await client.query(
    `SELECT cl.relname AS "table", con.conname, con.contype, replace(pg_get_constraintdef(con.oid), $1 || '.', '<schema>.') AS definition
       FROM pg_constraint con
       JOIN pg_class cl ON cl.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = con.connamespace
      WHERE n.nspname = $1
      ORDER BY cl.relname, con.conname`,
    [schemaName],
  );
  return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
};

export const columnNames = async (client: Client, schemaName: string, table: string): Promise<string[]> =>
  (
    await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schemaName, table],
    )
  ).rows.map((row) => row.column_name);

export const workspaceRow = async (client: Client, id: string) =>
  (
    await client.query(
      `SELECT "displayName", "schemaName", "activationStatus", "version", "fingerprint" FROM core.workspace WHERE "id" = $1`,
      [id],
    )
  ).rows[0];

/** Counts of what workspace:create writes outside a workspace: rows of core.workspace and workspace schemas. */
export const footprintOf = async (client: Client) => {
  const [{ workspaces, schemas, objects }] = (
    await client.query(
      `SELECT (SELECT count(*)::int FROM core.workspace) AS workspaces,
              (SELECT count(*)::int FROM pg_namespace WHERE nspname LIKE 'workspace\\_%') AS schemas,
              (SELECT count(*)::int FROM metadata."objectMetadata") AS objects`,
    )
  ).rows;
  return { workspaces, schemas, objects };
};

/**
 * Removes a standard field behind the service's back (metadata row and column), and clears the
 * workspace's fingerprint, as if the declarations had gained the field since the last sync.
 */
export const removeStandardField = async (
  client: Client,
  workspace: CreatedWorkspaceJson,
  object: string,
  field: string,
): Promise<void> => {
  const deleted = await client.query(
    `DELETE FROM metadata."fieldMetadata" f USING metadata."objectMetadata" o
      WHERE f."objectMetadataId" = o."id" AND o."workspaceId" = $1 AND o."nameSingular" = $2 AND f."name" = $3 AND NOT f."isCustom"`,
    [workspace.id, object, field],
  );
  if (deleted.rowCount !== 1) throw new Error(`no standard field ${object}.${field} in ${workspace.id}`);
  await client.query(`ALTER TABLE "${workspace.schemaName}"."${object}" DROP COLUMN "${field}"`);
  await client.query(`UPDATE core.workspace SET "fingerprint" = NULL WHERE "id" = $1`, [workspace.id]);
};
