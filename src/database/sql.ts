/** A statement of a plan: SQL text with positional parameters for values. */
export interface SqlStatement {
  sql: string;
  params?: unknown[];
}

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

/**
 * The statement as one runnable text, parameters inlined: what a dry run shows, and what a plan
 * sends when it goes to the server as one script. One pass over the SQL text: a value once inlined
 * is never read again (a label holding "$1" stays as it is), and quoted text ('...', "...",
 * $tag$...$tag$) is copied untouched.
 */
export const renderStatement = (statement: SqlStatement): string => {
  const params = statement.params ?? [];
  if (params.length === 0) return statement.sql;
  return statement.sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|(\$[A-Za-z_]*\$)[\s\S]*?\1|\$(\d+)/g, (token, _tag, position?: string) => {
    if (position === undefined) return token;
    const index = Number(position) - 1;
    if (index >= params.length) throw new Error(`Statement refers to $${position} but has ${params.length} parameter(s)`);
    return sqlLiteral(params[index]);
  });
};
