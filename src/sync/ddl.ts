import { qualified, quoteIdentifier, quoteLiteral } from '../database/sql';
import { ColumnSpec } from '../metadata/column-layout';
import { SqlStatement } from '../database/sql-statement';

/** A column definition for CREATE TABLE / ADD COLUMN; enum types are qualified with the schema. */
export const columnSql = (schema: string, column: ColumnSpec): string => {
  const type =
    column.type === 'enum'
      ? qualified(schema, column.enumName!)
      : column.type === 'enum[]'
        ? `${qualified(schema, column.enumName!)}[]`
        : column.type;
  return `${quoteIdentifier(column.name)} ${type}${column.isNullable ? '' : ' NOT NULL'}${column.defaultSql ? ` DEFAULT ${column.defaultSql}` : ''}`;
};

export const createEnumSql = (schema: string, name: string, values: string[]): SqlStatement => ({
  sql: `CREATE TYPE ${qualified(schema, name)} AS ENUM (${values.map(quoteLiteral).join(', ')})`,
});

