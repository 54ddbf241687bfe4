import { Client } from 'pg';

/** The shared tables whose rows belong to a workspace, and the column naming it. */
const WORKSPACE_ROWS: Record<string, string> = {
  'core.workspace': 'id',
  'core.upgradeLedger': 'workspaceId',
  'metadata.objectMetadata': 'workspaceId',
  'metadata.fieldMetadata': 'workspaceId',
  'metadata.indexMetadata': 'workspaceId',
};

/**
 * The record of walks (core."walkRun", core."workspaceOutcome": what the console shows) is written
 * by every walk, a refused one included, as its log is: its rows are not data a command changes.
 */
const RUN_RECORDS = new Set(['core.walkRun', 'core.workspaceOutcome']);

/**
 * Everything in a database a command could change: every schema, table, column, type, constraint,
 * index, trigger and function outside the system catalogs, and a hash of every table's rows (but
 * the run records').
 * The workspaces in `except` (their schemas and their rows in the shared tables) are left out, so
 * that a command aimed at them proves it touched nothing else.
 */
export const databaseFingerprint = async (
  client: Client,
  except: Array<{ id: string; schemaName: string }> = [],
): Promise<Record<string, unknown>> => {
  const skipped = except.map((workspace) => workspace.schemaName);
  const ids = except.map((workspace) => workspace.id);
  const userSchemas = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%' AND NOT (n.nspname = ANY($1::text[]))`;
  const query = async (sql: string) => (await client.query(sql, [skipped])).rows;
  const schemas = await query(`SELECT n.nspname FROM pg_namespace n WHERE ${userSchemas} ORDER BY 1`);
  const relations = await query(
    `SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${userSchemas} ORDER BY 1, 2`,
  );
  const columns = await query(
    `SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS "default"
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE ${userSchemas} AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') ORDER BY 1, 2, 3`,
  );
  const types = await query(
    `SELECT n.nspname, t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE ${userSchemas} AND t.typtype IN ('e', 'd') GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const constraints = await query(
    `SELECT n.nspname, con.conname, pg_get_constraintdef(con.oid) AS definition FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
      WHERE ${userSchemas} ORDER BY 1, 2`,
  );
  const indexes = await query(
    `SELECT schemaname, indexname, indexdef FROM pg_indexes WHERE NOT (schemaname = ANY($1::text[])) AND schemaname NOT IN ('pg_catalog') ORDER BY 1, 2`,
  );
  const triggers = await query(
    `SELECT n.nspname, c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${userSchemas} AND NOT t.tgisinternal ORDER BY 1, 2, 3`,
  );
  const functions = await query(
    `SELECT n.nspname, p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${userSchemas} ORDER BY 1, 2`,
  );
  const rows: Record<string, unknown> = {};
  for (const relation of relations.filter((candidate) => candidate.relkind === 'r')) {
    const name = `${relation.nspname}.${relation.relname}`;
    if (RUN_RECORDS.has(name)) continue;
    const table = `"${relation.nspname}"."${relation.relname}"`;
    const column = WORKSPACE_ROWS[name];
    const where = column ? `WHERE NOT ("${column}" = ANY($1::uuid[]))` : '';
    const [{ count, hash }] = (
      await client.query(
        `SELECT count(*)::int AS count, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash FROM ${table} t ${where}`,
        column ? [ids] : [],
      )
    ).rows;
    rows[name] = { count, hash };
  }
  return { schemas, relations, columns, types, constraints, indexes, triggers, functions, rows };
};
