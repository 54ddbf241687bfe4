import { sqlLiteral } from './sql';

/** A statement of a plan: SQL text with positional parameters for values. */
export interface SqlStatement {
  sql: string;
  params?: unknown[];
}

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
