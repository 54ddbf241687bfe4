import { DeclaredField, DeclaredObject, DeclaredSchema } from '../declarations/declared-schema';
import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { RATING_VALUES } from '../declarations/field-type.registry';
import { ActualField, ActualObject } from '../metadata/actual-state';
import { fingerprintOf } from '../metadata/declared-state.repository';
import {
  ColumnSpec,
  fieldColumnSpecs,
  foreignKeyName,
  indexEntryColumns,
  indexName,
  standardTableName,
  uniqueFieldIndex,
} from '../metadata/column-layout';

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
  /** The index method when not a B-tree: GIN for a search column. */
  using?: 'GIN';
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

const enumValuesOf = (field: DeclaredField): string[] | null => {
  if (field.type === FieldType.RATING) return RATING_VALUES;
  if (field.type === FieldType.SELECT || field.type === FieldType.MULTI_SELECT) {
    return (field.options ?? []).map((option) => option.value);
  }
  return null;
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

/**
 * Builds the desired state of a workspace from a declared state (declarations or a version
 * snapshot) and the workspace's feature flags. Pure. Deprecated fields are not part of it: they
 * are kept where they exist (turned custom) and never created.
 */
export const buildDesiredState = (schema: DeclaredSchema, featureFlags: ReadonlySet<string> = new Set()): DesiredState =>
  desiredStateOfGated(gateSchema(schema, featureFlags));

/** Freezes `value` and everything it holds (objects, arrays, maps' keys and values are left as they are). */
const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
};

const shared = new WeakMap<DeclaredSchema, Map<string, DesiredState>>();

/**
 * buildDesiredState, built once per declared state and set of feature flags and then shared by
 * every caller: for declared states that do not change once built (the version snapshots, a sync
 * service's declarations). An upgrade of one workspace plans against the same snapshot several
 * times (pre-flight, sync, steps), and every workspace of a fleet with the same flags shares it.
 * The result is frozen, with the declared state it refers to, so a caller that changed either would
 * fail at once instead of changing what every later caller gets.
 */
export const sharedDesiredState = (schema: DeclaredSchema, featureFlags: Iterable<string> = []): DesiredState => {
  const flags = [...new Set(featureFlags)].sort();
  const key = flags.join(',');
  let byFlags = shared.get(schema);
  if (!byFlags) {
    byFlags = new Map();
    shared.set(schema, byFlags);
  }
  let desired = byFlags.get(key);
  if (!desired) {
    desired = deepFreeze(buildDesiredState(schema, new Set(flags)));
    byFlags.set(key, desired);
  }
  return desired;
};

/** The desired state of a declared state that is gated already (a recorded one: gating it again could drop parts). */
export const desiredStateOfGated = (gated: DeclaredSchema): DesiredState => {
  const objects = gated.objects.map((object) => {
    const tableName = standardTableName(object);
    const fields = object.fields.filter((field) => !field.isDeprecated).map((field) => desiredField(field, tableName));
    const columnsOf = (entry: string): string[] =>
      indexEntryColumns(
        fields.map((field) => field.declared),
        entry,
      );
    const indexes: IndexSpec[] = object.indexes
      .filter((index) => index.fields.every((name) => columnsOf(name).length > 0))
      .map((index) => ({ name: index.name, columns: index.fields.flatMap(columnsOf), isUnique: index.isUnique, where: index.where }));
    for (const field of fields.filter((candidate) => candidate.declared.isUnique)) {
      const index = uniqueFieldIndex(field.declared, tableName);
      // A unique field and a declared index may describe the same index: it is built once.
      if (!indexes.some((candidate) => candidate.name === index.name)) indexes.push({ ...index, isUnique: true });
    }
    for (const field of fields.filter((candidate) => candidate.declared.type === FieldType.TS_VECTOR)) {
      const columns = field.columns.map((column) => column.name);
      indexes.push({ name: indexName(tableName, columns, false), columns, isUnique: false, where: null, using: 'GIN' });
    }
    return { declared: object, tableName, fields, indexes };
  });
  return {
    version: gated.version,
    objects,
    customObjectFields: gated.customObjectFields,
    schema: gated,
    fingerprint: fingerprintOf(gated),
  };
};

/** The object properties a declaration sets (those it leaves out keep the columns' defaults). */
export const declaredObjectProperties = (
  object: DeclaredObject,
): Partial<Pick<ActualObject, 'shortcut' | 'isSearchable' | 'isAuditLogged'>> => ({
  ...(object.shortcut !== undefined ? { shortcut: object.shortcut } : {}),
  ...(object.isSearchable !== undefined ? { isSearchable: object.isSearchable } : {}),
  ...(object.isAuditLogged !== undefined ? { isAuditLogged: object.isAuditLogged } : {}),
});

/** The metadata row of a standard object as its declaration makes it, under `id`, with `fields`. */
export const declaredObjectRow = (object: DesiredObject, id: string, fields: ActualField[]): ActualObject => ({
  id,
  standardId: object.declared.standardId,
  nameSingular: object.declared.nameSingular,
  namePlural: object.declared.namePlural,
  labelSingular: object.declared.labelSingular,
  labelPlural: object.declared.labelPlural,
  description: object.declared.description,
  icon: object.declared.icon,
  tableName: object.tableName,
  isCustom: false,
  isSystem: object.declared.isSystem,
  isActive: true,
  labelIdentifierFieldMetadataId: null,
  imageIdentifierFieldMetadataId: null,
  shortcut: object.declared.shortcut ?? null,
  isSearchable: object.declared.isSearchable ?? false,
  isAuditLogged: object.declared.isAuditLogged ?? true,
  fields,
});
