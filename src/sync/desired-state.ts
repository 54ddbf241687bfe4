import { createHash } from 'node:crypto';

import { fieldColumns, indexEntryColumns, indexName } from '../declarations/declaration-set.builder';
import { DeclaredField, DeclaredObject, DeclaredSchema } from '../declarations/declared-schema';
import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { ColumnType, getFieldTypeDefinition, RATING_VALUES } from '../declarations/field-type.registry';
import { MAX_IDENTIFIER_LENGTH } from '../declarations/identifier.rules';
import { sqlLiteral } from '../database/sql';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** Name of the field's enum type (SELECT, MULTI_SELECT, RATING). */
  enumName: string | null;
  isNullable: boolean;
  defaultSql: string | null;
}

export interface ForeignKeySpec {
  name: string;
  column: string;
  targetTable: string;
  onDelete: OnDeleteAction;
}

export interface IndexSpec {
  name: string;
  columns: string[];
  isUnique: boolean;
  where: string | null;
}

export interface DesiredField {
  declared: DeclaredField;
  columns: ColumnSpec[];
  enumValues: string[] | null;
  foreignKey: ForeignKeySpec | null;
}

export interface DesiredObject {
  declared: DeclaredObject;
  tableName: string;
  fields: DesiredField[];
  indexes: IndexSpec[];
}

/** What a workspace must hold: the declared state turned into tables, columns and constraints. */
export interface DesiredState {
  version: string | null;
  objects: DesiredObject[];
  /** Shared standard fields of custom objects (tables are per custom object). */
  customObjectFields: DeclaredField[];
  /** The declared state after feature-flag gating: what the fingerprint is the hash of. */
  schema: DeclaredSchema;
  fingerprint: string;
}

/** Bumped when the way declarations turn into tables changes, so every workspace is re-planned. */
const FINGERPRINT_FORMAT = 1;

const boundedName = (name: string): string => {
  if (name.length <= MAX_IDENTIFIER_LENGTH) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 12);
  return `${name.slice(0, MAX_IDENTIFIER_LENGTH - hash.length - 1)}_${hash}`;
};

export const enumTypeName = (tableName: string, columnName: string): string => boundedName(`${tableName}_${columnName}_enum`);

export const foreignKeyName = (tableName: string, columnName: string): string => boundedName(`FK_${tableName}_${columnName}`);

export const standardTableName = (object: Pick<DeclaredObject, 'nameSingular'>): string => object.nameSingular;

export const customTableName = (nameSingular: string): string => `_${nameSingular}`;

const enumValuesOf = (field: DeclaredField): string[] | null => {
  if (field.type === FieldType.RATING) return RATING_VALUES;
  if (field.type === FieldType.SELECT || field.type === FieldType.MULTI_SELECT) {
    return (field.options ?? []).map((option) => option.value);
  }
  return null;
};

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
    return fieldColumns(field).map((name) => ({ name, type: 'uuid', enumName: null, isNullable: true, defaultSql: null }));
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

export const desiredField = (field: DeclaredField, tableName: string): DesiredField => {
  const columns = fieldColumnSpecs(field, tableName);
  const isManyToOne = field.relation?.type === RelationType.MANY_TO_ONE;
  return {
    declared: field,
    columns,
    enumValues: enumValuesOf(field),
    foreignKey: isManyToOne
      ? {
          name: foreignKeyName(tableName, columns[0].name),
          column: columns[0].name,
          targetTable: field.relation!.targetObject,
          onDelete: field.relation!.onDelete ?? OnDeleteAction.SET_NULL,
        }
      : null,
  };
};

const isEnabled = (gate: string | null, featureFlags: ReadonlySet<string>): boolean => gate === null || featureFlags.has(gate);

/** Removes what the workspace's feature flags do not enable. */
export const gateSchema = (schema: DeclaredSchema, featureFlags: ReadonlySet<string>): DeclaredSchema => {
  const objects = schema.objects.filter((object) => isEnabled(object.gate, featureFlags));
  const names = new Set(objects.map((object) => object.nameSingular));
  return {
    ...schema,
    objects: objects.map((object) => ({
      ...object,
      fields: object.fields.filter(
        (field) => isEnabled(field.gate, featureFlags) && (!field.relation || names.has(field.relation.targetObject)),
      ),
    })),
    customObjectFields: schema.customObjectFields.filter((field) => isEnabled(field.gate, featureFlags)),
  };
};

export const fingerprintOf = (schema: DeclaredSchema): string =>
  createHash('sha256').update(JSON.stringify({ format: FINGERPRINT_FORMAT, schema })).digest('hex');

/**
 * Builds the desired state of a workspace from a declared state (declarations or a version
 * snapshot) and the workspace's feature flags. Pure. Deprecated fields are not part of it: they
 * are kept where they exist (turned custom) and never created.
 */
export const buildDesiredState = (schema: DeclaredSchema, featureFlags: ReadonlySet<string> = new Set()): DesiredState =>
  desiredStateOfGated(gateSchema(schema, featureFlags));

/** The desired state of a declared state that is gated already (a recorded one: gating it again could drop parts). */
export const desiredStateOfGated = (gated: DeclaredSchema): DesiredState => {
  const objects = gated.objects.map((object) => {
    const tableName = standardTableName(object);
    const fields = object.fields.filter((field) => !field.isDeprecated).map((field) => desiredField(field, tableName));
    const columnsOf = (entry: string): string[] => indexEntryColumns(fields.map((field) => field.declared), entry);
    const indexes: IndexSpec[] = object.indexes
      .filter((index) => index.fields.every((name) => columnsOf(name).length > 0))
      .map((index) => ({ name: index.name, columns: index.fields.flatMap(columnsOf), isUnique: index.isUnique, where: index.where }));
    for (const field of fields.filter((candidate) => candidate.declared.isUnique)) {
      const columns = field.columns.map((column) => column.name);
      indexes.push({ name: indexName(tableName, columns, true), columns, isUnique: true, where: null });
    }
    return { declared: object, tableName, fields, indexes };
  });
  return { version: gated.version, objects, customObjectFields: gated.customObjectFields, schema: gated, fingerprint: fingerprintOf(gated) };
};
