import { createHash } from 'node:crypto';

import { DeclaredField } from './declared-schema';
import { FieldType, RelationType } from './field-type';
import { getFieldTypeDefinition } from './field-type.registry';
import { MAX_IDENTIFIER_LENGTH } from './identifier.rules';

/*
 * The columns a declared field occupies and the names of declared indexes: what validation of
 * declarations needs to know of the table layout. The rest of the code takes these names from
 * metadata/column-layout, which builds the whole layout on them.
 */

const pascalCase = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** The column of a composite subfield: field name + PascalCase(subfield), e.g. emails -> emailsPrimaryEmail. */
export const compositeColumnName = (fieldName: string, subfield: string): string => `${fieldName}${pascalCase(subfield)}`;

/** The foreign-key column of a many-to-one relation field. */
export const joinColumnName = (fieldName: string): string => `${fieldName}Id`;

/** The table columns a field occupies. */
export const fieldColumns = (field: Pick<DeclaredField, 'name' | 'type' | 'relation'>): string[] => {
  if (field.type === FieldType.RELATION) {
    return field.relation?.type === RelationType.MANY_TO_ONE ? [joinColumnName(field.name)] : [];
  }
  const definition = getFieldTypeDefinition(field.type);
  return definition.kind === 'composite'
    ? definition.subfields!.map((subfield) => compositeColumnName(field.name, subfield.name))
    : [field.name];
};

/**
 * The columns an index entry stands for: `field` (all its columns) or `field.subfield` (one
 * column of a composite field). Empty when the entry names nothing that holds a column.
 */
export const indexEntryColumns = (fields: Array<Pick<DeclaredField, 'name' | 'type' | 'relation'>>, entry: string): string[] => {
  const [fieldName, subfield, ...rest] = entry.split('.');
  const field = fields.find((candidate) => candidate.name === fieldName);
  if (!field || rest.length > 0) return [];
  if (subfield === undefined) return fieldColumns(field);
  const definition = getFieldTypeDefinition(field.type);
  return definition.subfields?.some((candidate) => candidate.name === subfield) ? [compositeColumnName(field.name, subfield)] : [];
};

/** `name`, or when it is longer than an identifier may be, its start and a hash of the whole. */
export const boundedName = (name: string): string => {
  if (name.length <= MAX_IDENTIFIER_LENGTH) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 12);
  return `${name.slice(0, MAX_IDENTIFIER_LENGTH - hash.length - 1)}_${hash}`;
};

export const indexName = (tableName: string, columns: string[], isUnique: boolean): string =>
  boundedName(`IDX_${isUnique ? 'UNIQUE_' : ''}${tableName}_${columns.join('_')}`);
