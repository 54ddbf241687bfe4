import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { DeclaredField, DeclaredSelectOption } from '../declarations/declared-schema';
import { STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { ColumnSpec, fieldColumnSpecs } from './column-layout';

/** A row of metadata."fieldMetadata". */
export interface ActualField {
  id: string;
  objectMetadataId: string;
  standardId: string | null;
  name: string;
  label: string;
  type: FieldType;
  description: string | null;
  icon: string | null;
  isCustom: boolean;
  isSystem: boolean;
  isActive: boolean;
  isNullable: boolean;
  isUnique: boolean;
  isDeprecated: boolean;
  defaultValue: unknown;
  options: DeclaredSelectOption[] | null;
  settings: Record<string, unknown> | null;
  relationType: RelationType | null;
  relationTargetObjectMetadataId: string | null;
  relationTargetFieldMetadataId: string | null;
  onDelete: OnDeleteAction | null;
}

/** A row of metadata."objectMetadata" with its fields. */
export interface ActualObject {
  id: string;
  standardId: string | null;
  nameSingular: string;
  namePlural: string;
  labelSingular: string;
  labelPlural: string;
  description: string | null;
  icon: string | null;
  tableName: string;
  isCustom: boolean;
  isSystem: boolean;
  isActive: boolean;
  labelIdentifierFieldMetadataId: string | null;
  imageIdentifierFieldMetadataId: string | null;
  shortcut: string | null;
  isSearchable: boolean;
  isAuditLogged: boolean;
  fields: ActualField[];
}

/** A row of metadata."indexMetadata". */
export interface ActualIndex {
  id: string;
  objectMetadataId: string;
  name: string;
  columns: string[];
  isUnique: boolean;
  whereClause: string | null;
  isCustom: boolean;
}

export interface LiveColumn {
  name: string;
  /** format_type(): e.g. text, uuid, double precision, jsonb, text[], or the enum type's name. */
  type: string;
  /** The enum type of an enum or enum-array column. */
  enumName: string | null;
  isNullable: boolean;
}

export interface LiveForeignKey {
  name: string;
  table: string;
  column: string;
  targetTable: string;
  onDelete: OnDeleteAction;
}

export interface LiveIndex {
  name: string;
  table: string;
  isUnique: boolean;
  isValid: boolean;
}

/** A trigger of a workspace table (internal ones, such as those of foreign keys, left out) and the function it calls. */
export interface LiveTrigger {
  table: string;
  name: string;
  functionName: string;
}

export interface LiveTable {
  name: string;
  columns: Map<string, LiveColumn>;
  estimatedRows: number;
}

/** The workspace's schema as the catalog sees it. */
export interface LiveSchema {
  exists: boolean;
  tables: Map<string, LiveTable>;
  foreignKeys: LiveForeignKey[];
  indexes: LiveIndex[];
  enums: Map<string, string[]>;
  triggers: LiveTrigger[];
  /** Names of the functions of the schema. */
  functions: string[];
}

/** A row of a view table (viewField, viewFilter, viewSort) that points at a field this workspace does not have. */
export interface DanglingViewReference {
  table: string;
  id: string;
  fieldMetadataId: string;
}

/*
 * The columns of the metadata rows, in the order they are read (ActualStateRepository) and written
 * (StatementRenderer, which adds "workspaceId" after "id"): one list per table, for both.
 */
export const OBJECT_COLUMNS = [
  'id',
  'standardId',
  'nameSingular',
  'namePlural',
  'labelSingular',
  'labelPlural',
  'description',
  'icon',
  'tableName',
  'isCustom',
  'isSystem',
  'isActive',
  'labelIdentifierFieldMetadataId',
  'imageIdentifierFieldMetadataId',
  'shortcut',
  'isSearchable',
  'isAuditLogged',
] as const satisfies ReadonlyArray<keyof ActualObject>;
export const FIELD_COLUMNS = [
  'id',
  'objectMetadataId',
  'standardId',
  'name',
  'label',
  'type',
  'description',
  'icon',
  'isCustom',
  'isSystem',
  'isActive',
  'isNullable',
  'isUnique',
  'isDeprecated',
  'defaultValue',
  'options',
  'settings',
  'relationType',
  'relationTargetObjectMetadataId',
  'relationTargetFieldMetadataId',
  'onDelete',
] as const satisfies ReadonlyArray<keyof ActualField>;
export const INDEX_COLUMNS = [
  'id',
  'objectMetadataId',
  'name',
  'columns',
  'isUnique',
  'whereClause',
  'isCustom',
] as const satisfies ReadonlyArray<keyof ActualIndex>;

/** The standard view objects whose rows point at a field (by standardId), each in a column "fieldMetadataId". */
export const VIEW_OBJECTS_WITH_FIELDS: readonly string[] = [
  STANDARD_OBJECT_IDS.viewField,
  STANDARD_OBJECT_IDS.viewFilter,
  STANDARD_OBJECT_IDS.viewSort,
];

export interface ActualState {
  workspaceId: string;
  schemaName: string;
  /** The fingerprint on the workspace row, read in the same statement as the rest (absent: not read). */
  fingerprint?: string | null;
  objects: ActualObject[];
  indexes: ActualIndex[];
  live: LiveSchema;
  /** View rows left pointing at a field that no longer exists (read with the rest; none when not read). */
  danglingViewReferences?: DanglingViewReference[];
}

export const emptyLiveSchema = (): LiveSchema => ({
  exists: false,
  tables: new Map(),
  foreignKeys: [],
  indexes: [],
  enums: new Map(),
  triggers: [],
  functions: [],
});

/** The state of a workspace that does not exist yet. */
export const emptyActualState = (workspaceId: string, schemaName: string): ActualState => ({
  workspaceId,
  schemaName,
  objects: [],
  indexes: [],
  live: emptyLiveSchema(),
});

/** An existing field in the shape of a declared one, so the same rules give its columns. */
export const actualFieldAsDeclared = (field: ActualField): DeclaredField => ({
  standardId: field.standardId ?? '',
  name: field.name,
  type: field.type,
  label: field.label,
  description: field.description,
  icon: field.icon,
  isNullable: field.isNullable,
  isSystem: field.isSystem,
  isActive: field.isActive,
  isDeprecated: field.isDeprecated,
  isUnique: field.isUnique,
  defaultValue: field.defaultValue,
  options: field.options,
  settings: field.settings,
  relation: field.relationType ? { type: field.relationType, targetObject: '', inverseFieldName: null } : null,
  gate: null,
});

/** The columns (with types, defaults and enum names) an existing field occupies. */
export const actualFieldColumns = (field: ActualField, tableName: string): ColumnSpec[] =>
  fieldColumnSpecs(actualFieldAsDeclared(field), tableName);
