import { FieldType } from '../declarations/field-type';
import { ColumnType } from '../declarations/field-type.registry';
import { CsvColumn } from './record-csv';
import { optionValues } from './record-fields';
import { ObjectContext } from './record.service';

/**
 * How one cell of a file, copied as text, becomes a column's value in SQL, with the checks the
 * row-by-row path makes (docs/csv.md): the same values, or the row is left to that path.
 */
export interface CellColumn {
  /** Index of the cell in a record of the file. */
  cell: number;
  column: string;
  type: ColumnType;
  /** Text: an empty unquoted cell is empty text, not NULL. */
  emptyText: boolean;
  /** Text: strip the quote an export put before a formula. */
  unescape: boolean;
  /** The value cannot be NULL. */
  required: boolean;
  /** What an empty cell becomes instead of NULL. */
  fill: 'uuid' | 'now' | null;
  /** Values allowed (SELECT, RATING, MULTI_SELECT). */
  options: string[] | null;
  /** A relation: the table its ids name, and whether that is the imported table itself. */
  target: { table: string; self: boolean } | null;
}

/** Field types whose cells the SQL path reads as the row-by-row path does. */
const PLAIN_TYPES = new Set<FieldType>([
  FieldType.TEXT,
  FieldType.EMAIL,
  FieldType.PHONE,
  FieldType.UUID,
  FieldType.NUMBER,
  FieldType.POSITION,
  FieldType.NUMERIC,
  FieldType.BOOLEAN,
  FieldType.DATE,
  FieldType.DATE_TIME,
  FieldType.SELECT,
  FieldType.RATING,
  FieldType.MULTI_SELECT,
  FieldType.ARRAY,
  FieldType.RAW_JSON,
]);
const SUBFIELD_TYPES = new Set<ColumnType>(['text', 'numeric', 'uuid', 'jsonb']);

/**
 * The columns of a file as SQL reads them; null when a column needs the row-by-row path
 * (a column of an older version's file, whose cells are converted, or a type it does not read).
 */
export const cellColumns = (columns: CsvColumn[], context: ObjectContext, formulaEscape: boolean): CellColumn[] | null => {
  const cells: CellColumn[] = [];
  for (const [cell, column] of columns.entries()) {
    const { field } = column.field;
    if (column.convert || column.expand) return null;
    if (column.field.kind === 'plain' && !PLAIN_TYPES.has(field.type)) return null;
    if (column.subfield !== null && !SUBFIELD_TYPES.has(column.column.type)) return null;
    const fill = field.name === 'id' ? 'uuid' : field.name === 'createdAt' || field.name === 'updatedAt' ? 'now' : null;
    const isText = column.column.type === 'text';
    const emptyText = isText && column.subfield === null && !field.isNullable;
    let target: CellColumn['target'] = null;
    if (column.field.kind === 'relation') {
      const object = context.objects.find((candidate) => candidate.id === field.relationTargetObjectMetadataId);
      if (!object) return null;
      target = { table: object.tableName, self: object.id === context.object.id };
    }
    cells.push({
      cell,
      column: column.column.name,
      type: column.column.type,
      emptyText,
      unescape: isText && formulaEscape,
      required: column.field.kind === 'plain' && !field.isNullable && fill === null && !emptyText,
      fill,
      options: column.column.type === 'enum' || column.column.type === 'enum[]' ? optionValues(field) : null,
      target,
    });
  }
  return cells;
};
