import { randomUUID } from 'node:crypto';

import { Client } from 'pg';

interface ColumnInfo {
  name: string;
  /** format_type(): what the value is cast to. */
  type: string;
  /** The enum type (or the element enum type of an array), when there is one. */
  enumOid: number | null;
  isArray: boolean;
}

/** A value (as text, cast by the insert) for `column` of a row; distinct per seed. */
const valueFor = (table: string, column: ColumnInfo, seed: number, enumLabels: string[], foreignIds: string[] | undefined): string => {
  if (foreignIds) {
    return foreignIds[seed % foreignIds.length];
  }
  if (column.enumOid !== null) {
    const pick = (offset: number) => enumLabels[(seed + offset) % enumLabels.length];
    return column.isArray ? `{${[...new Set([pick(0), pick(1)])].join(',')}}` : pick(0);
  }
  const day = String((seed % 28) + 1).padStart(2, '0');
  switch (column.type) {
    case 'uuid':
      return randomUUID();
    case 'text':
      return `${table}.${column.name} #${seed}`;
    case 'double precision':
      return `${seed}.25`;
    case 'numeric':
      return `${seed}0.123456789`;
    case 'boolean':
      return seed % 2 === 0 ? 'true' : 'false';
    case 'date':
      return `2024-03-${day}`;
    case 'timestamp with time zone':
      return `2024-03-${day}T12:34:56.789+00`;
    case 'jsonb':
      return JSON.stringify({ table, column: column.name, seed, nested: [seed, `${seed}`] });
    case 'text[]':
      return `{"${column.name} a","${column.name} #${seed}"}`;
    case 'tsvector':
      return `${column.name}${seed}`;
    default:
      throw new Error(`no test value for column ${table}.${column.name} of type ${column.type}`);
  }
};

/**
 * Inserts `count` rows into a workspace table with a value in every column (foreign keys point at
 * existing rows of their target), and returns their ids. Seeds make values distinct across calls.
 */
export const insertRowsWithEveryColumn = async (
  client: Client,
  schema: string,
  table: string,
  count: number,
  firstSeed: number,
): Promise<string[]> => {
  const columns = (
    await client.query(
      `SELECT a.attname AS "name", format_type(a.atttypid, a.atttypmod) AS "type",
              CASE WHEN t.typtype = 'e' THEN t.oid WHEN et.typtype = 'e' THEN et.oid END::int AS "enumOid",
              et.oid IS NOT NULL AS "isArray"
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_type t ON t.oid = a.atttypid
         LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
        WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [schema, table],
    )
  ).rows as ColumnInfo[];
  if (columns.length === 0) {
    throw new Error(`table ${schema}.${table} does not exist`);
  }
  const enumLabels = new Map<number, string[]>();
  for (const oid of new Set(columns.map((column) => column.enumOid).filter((oid) => oid !== null))) {
    const labels = await client.query(`SELECT enumlabel FROM pg_enum WHERE enumtypid = $1 ORDER BY enumsortorder`, [oid]);
    enumLabels.set(
      oid!,
      labels.rows.map((row) => row.enumlabel),
    );
  }
  const foreignKeys = await client.query<{ column: string; target: string }>(
    `SELECT a.attname AS "column", dst.relname AS "target"
       FROM pg_constraint con
       JOIN pg_namespace n ON n.oid = con.connamespace
       JOIN pg_class src ON src.oid = con.conrelid
       JOIN pg_class dst ON dst.oid = con.confrelid
       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
      WHERE n.nspname = $1 AND src.relname = $2 AND con.contype = 'f'`,
    [schema, table],
  );
  const foreignIds = new Map<string, string[]>();
  for (const { column, target } of foreignKeys.rows) {
    const ids = (await client.query(`SELECT "id"::text AS id FROM "${schema}"."${target}" ORDER BY "id"`)).rows.map((row) => row.id);
    if (ids.length === 0) {
      throw new Error(`${table}.${column} references ${target}, which has no rows yet`);
    }
    foreignIds.set(column, ids);
  }

  const ids: string[] = [];
  for (let seed = firstSeed; seed < firstSeed + count; seed += 1) {
    const values = columns.map((column) =>
      valueFor(table, column, seed, enumLabels.get(column.enumOid ?? -1) ?? [], foreignIds.get(column.name)),
    );
    const [row] = (
      await client.query(
        `INSERT INTO "${schema}"."${table}" (${columns.map((column) => `"${column.name}"`).join(', ')})
         VALUES (${columns.map((column, index) => `$${index + 1}::${column.type}`).join(', ')}) RETURNING "id"::text AS id`,
        values,
      )
    ).rows;
    ids.push(row.id);
  }
  return ids;
};
