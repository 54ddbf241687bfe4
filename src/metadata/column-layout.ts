import { DeclaredField, DeclaredObject } from '../declarations/declared-schema';
import { FieldType } from '../declarations/field-type';
import { ColumnType, getFieldTypeDefinition } from '../declarations/field-type.registry';
import { quoteIdentifier, sqlLiteral } from '../database/sql';
import { boundedName, compositeColumnName, fieldColumns, indexName } from '../declarations/column-names';

/*
 * The layout of a workspace in the database: its schema, its tables, the columns of each field
 * with their types and defaults, and the names of enum types, foreign keys and indexes. Every
 * part of the service names these through this file.
 */

export { boundedName, compositeColumnName, fieldColumns, indexEntryColumns, indexName, joinColumnName } from '../declarations/column-names';

/** workspace_ + the id in base 36: short, lowercase, unique. */
export const schemaNameFor = (id: string): string => `workspace_${BigInt(`0x${id.replace(/-/g, '')}`).toString(36)}`;

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** Name of the field's enum type (SELECT, MULTI_SELECT, RATING). */
  enumName: string | null;
  isNullable: boolean;
  defaultSql: string | null;
}

export const enumTypeName = (tableName: string, columnName: string): string => boundedName(`${tableName}_${columnName}_enum`);

export const foreignKeyName = (tableName: string, columnName: string): string => boundedName(`FK_${tableName}_${columnName}`);

export const standardTableName = (object: Pick<DeclaredObject, 'nameSingular'>): string => object.nameSingular;

export const customTableName = (nameSingular: string): string => `_${nameSingular}`;

/** The SQL default of a plain column, from the declared default value. */
export const plainDefaultSql = (type: FieldType, value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (value === 'uuid' && type === FieldType.UUID) return 'gen_random_uuid()';
  if (value === 'now' && (type === FieldType.DATE_TIME || type === FieldType.DATE)) {
    return type === FieldType.DATE ? 'CURRENT_DATE' : 'now()';
  }
  switch (type) {
    case FieldType.RAW_JSON:
      return `${sqlLiteral(JSON.stringify(value))}::jsonb`;
    case FieldType.ARRAY:
    case FieldType.MULTI_SELECT:
      return sqlLiteral(`{${(value as string[]).map((item) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
    default:
      return sqlLiteral(value);
  }
};

export const fieldColumnSpecs = (field: DeclaredField, tableName: string): ColumnSpec[] => {
  const definition = getFieldTypeDefinition(field.type);
  if (definition.kind === 'relation') {
    return fieldColumns(field).map((name) => ({ name, type: 'uuid', enumName: null, isNullable: field.isNullable, defaultSql: null }));
  }
  if (definition.kind === 'composite') {
    const defaults = (field.defaultValue ?? {}) as Record<string, unknown>;
    return definition.subfields!.map((subfield, index) => {
      const value = defaults[subfield.name];
      return {
        name: fieldColumns(field)[index],
        type: subfield.columnType,
        enumName: null,
        isNullable: true,
        defaultSql:
          value === undefined || value === null
            ? null
            : subfield.columnType === 'jsonb'
              ? `${sqlLiteral(JSON.stringify(value))}::jsonb`
              : sqlLiteral(value),
      };
    });
  }
  const type = definition.columnType!;
  return [
    {
      name: field.name,
      type,
      enumName: type === 'enum' || type === 'enum[]' ? enumTypeName(tableName, field.name) : null,
      isNullable: field.isNullable,
      defaultSql: plainDefaultSql(field.type, field.defaultValue),
    },
  ];
};

/**
 * The columns and predicate of a unique field's index: a composite is unique on its primary
 * subfield, where that holds a value (NULL and '' are no value, so never duplicates).
 */
export const uniqueFieldIndex = (field: DeclaredField, tableName: string): { name: string; columns: string[]; where: string | null } => {
  const definition = getFieldTypeDefinition(field.type);
  if (definition.kind === 'composite' && definition.primarySubfield) {
    const column = compositeColumnName(field.name, definition.primarySubfield);
    const quoted = quoteIdentifier(column);
    return { name: indexName(tableName, [column], true), columns: [column], where: `${quoted} IS NOT NULL AND ${quoted} <> ''` };
  }
  const columns = fieldColumns(field);
  return { name: indexName(tableName, columns, true), columns, where: null };
};
