/*
 * Quoting of identifiers and values: what SQL text is built with. Only the places where SQL may be
 * written use it (see .dependency-cruiser.cjs).
 */

/** Quotes an identifier. Names reaching here are validated already; quoting makes any text inert. */
export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export const qualified = (schema: string, name: string): string => `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;

/** A string literal (standard_conforming_strings: only the quote needs doubling). */
export const quoteLiteral = (value: string): string => {
  if (value.includes('\u0000')) {
    throw new Error('A text value cannot contain a NUL character');
  }
  return `'${value.replace(/'/g, "''")}'`;
};

/** A value as a SQL literal, for DDL (which takes no parameters) and for showing a plan. */
export const sqlLiteral = (value: unknown): string => {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return quoteLiteral(value);
  if (value instanceof Date) return quoteLiteral(value.toISOString());
  // Arrays are bound as Postgres arrays (text[] columns); JSON values are passed as JSON text.
  if (Array.isArray(value)) return value.length === 0 ? `'{}'` : `ARRAY[${value.map(sqlLiteral).join(', ')}]`;
  return quoteLiteral(JSON.stringify(value));
};
