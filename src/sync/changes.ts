import { DeclaredField } from '../declarations/declared-schema';
import { OnDeleteAction } from '../declarations/field-type';
import { ActualField, ActualIndex, ActualObject } from '../metadata/actual-state';
import { ColumnSpec } from '../metadata/column-layout';
import { SearchVectorSpec } from '../metadata/search-vector';
import { IndexSpec } from './desired-state';

/*
 * What a plan changes in a workspace, as data: ids, names and values, no SQL. The comparators of
 * sync and the custom-metadata planner make them; StatementRenderer turns each into statements.
 * Table, type, constraint and index names are bare: the renderer qualifies them with the schema.
 */

export interface Rename {
  from: string;
  to: string;
}

/** An enum type with its labels, in sort order. */
export interface EnumType {
  name: string;
  values: string[];
}

/** The columns of an object row that an INSERT leaves to their defaults when the row has no value for them. */
export type OptionalObjectColumn =
  'labelIdentifierFieldMetadataId' | 'imageIdentifierFieldMetadataId' | 'shortcut' | 'isSearchable' | 'isAuditLogged';

/**
 * A metadata."objectMetadata" row to insert. A standard object's gets its label and image
 * identifiers once its fields exist (SetLabelIdentifier, SetImageIdentifier).
 */
export type ObjectRow = Omit<ActualObject, 'fields' | OptionalObjectColumn> & Partial<Pick<ActualObject, OptionalObjectColumn>>;

/** A metadata."fieldMetadata" row. */
export type FieldRow = ActualField;

/** A metadata."indexMetadata" row to insert; one without `whereClause` leaves that column to its default. */
export type IndexRow = Omit<ActualIndex, 'whereClause'> & Partial<Pick<ActualIndex, 'whereClause'>>;

/** Metadata columns to write, in the order given. */
export type ObjectColumns = Partial<Omit<ObjectRow, 'id'>>;
export type FieldColumns = Partial<Omit<FieldRow, 'id'>>;

export interface ForeignKeyDefinition {
  name: string;
  column: string;
  /** The table it references (by "id"). */
  targetTable: string;
  onDelete: OnDeleteAction;
}

/** A rename that goes with a table's: of an enum type of its columns, a foreign key on it or a search column's trigger function. */
export interface TableDependentRename extends Rename {
  of: 'enumType' | 'foreignKey' | 'function';
}

/** A column of a field that takes a new name, with its enum type (if that exists). */
export interface ColumnRename extends Rename {
  enumType: Rename | null;
}

/**
 * Labels renamed first (an option whose value changed, known by its id: the rows keep it), then
 * new labels of an enum type, each before the label it precedes in the declaration (null: last),
 * or the type replaced by one without the labels removed (a label cannot be dropped).
 */
export type EnumValuesChange =
  | { action: 'add'; enumType: string; renamed: Rename[]; added: Array<{ value: string; before: string | null }> }
  | {
      action: 'replace';
      enumType: string;
      renamed: Rename[];
      column: string;
      isArray: boolean;
      values: string[];
      defaultSql: string | null;
    };

/** The relation a custom object's creation generates on another object: its join column, foreign key, index and field. */
export interface GeneratedRelation {
  tableName: string;
  column: ColumnSpec;
  foreignKey: ForeignKeyDefinition;
  index: IndexRow;
  field: FieldRow;
}

/** A generated relation (see GeneratedRelation), renamed with its custom object. */
export interface GeneratedRelationRename {
  objectId: string;
  tableName: string;
  fieldId: string;
  name: string;
  column: Rename;
  foreignKey: Rename;
  index: Rename;
}

/** A generated relation (see GeneratedRelation), dropped with its custom object. */
export interface GeneratedRelationDrop {
  objectId: string;
  tableName: string;
  fieldId: string;
  column: string;
  index: string;
}

export interface CreateSchema {
  kind: 'createSchema';
}

/** A standard or custom object: its metadata row, enum types, table and field rows. */
export interface CreateObject {
  kind: 'createObject';
  object: ObjectRow;
  enumTypes: EnumType[];
  columns: ColumnSpec[];
  fields: FieldRow[];
}

export interface UpdateObject {
  kind: 'updateObject';
  objectId: string;
  set: ObjectColumns;
}

/** A standard object renamed by its declaration: its table, and the enum types and foreign keys named after it. */
export interface RenameObject {
  kind: 'renameObject';
  objectId: string;
  nameSingular: string;
  tableName: Rename;
  dependents: TableDependentRename[];
}

export interface SetLabelIdentifier {
  kind: 'setLabelIdentifier';
  objectId: string;
  fieldId: string | null;
}

export interface SetImageIdentifier {
  kind: 'setImageIdentifier';
  objectId: string;
  fieldId: string | null;
}

export interface TurnObjectCustom {
  kind: 'turnObjectCustom';
  objectId: string;
}

export interface DropObject {
  kind: 'dropObject';
  objectId: string;
  tableName: string;
  /** Trigger functions of its search columns, which do not go with the table. */
  functions?: string[];
}

export interface CreateField {
  kind: 'createField';
  tableName: string;
  enumTypes: EnumType[];
  columns: ColumnSpec[];
  field: FieldRow;
}

/** The metadata columns that changed, with what their change needs of the table. */
export interface UpdateField {
  kind: 'updateField';
  fieldId: string;
  tableName: string;
  set: FieldColumns;
  nullability: { column: string; isNullable: boolean } | null;
  enumValues: EnumValuesChange | null;
  defaults: Array<{ column: string; defaultSql: string | null }>;
}

/** A field's new name (`set`, with any other metadata columns written with it), its columns, enum types and foreign key. */
export interface RenameField {
  kind: 'renameField';
  fieldId: string;
  tableName: string;
  columns: ColumnRename[];
  foreignKey: Rename | null;
  set: FieldColumns;
}

export interface TurnFieldCustom {
  kind: 'turnFieldCustom';
  fieldId: string;
  isDeprecated: boolean;
}

export interface DropField {
  kind: 'dropField';
  objectId: string;
  fieldId: string;
  tableName: string;
  columns: string[];
  enumTypes: string[];
  /** Tables of view rows (fields, filters, sorts) that show the field: they go with it. */
  viewTables: string[];
  /** The index rows on its columns go too (a custom field is never indexed). */
  withIndexRows: boolean;
  /** The trigger function (and so the trigger) of a search column, dropped before it. */
  functions?: string[];
}

/**
 * The trigger function and trigger that keep a search column current, made or made again (a
 * function of another name, `replaces`, dropped first); `backfill` fills the rows already there.
 */
export interface SetSearchVector {
  kind: 'setSearchVector';
  spec: SearchVectorSpec;
  replaces: string | null;
  backfill: boolean;
}

export interface CreateForeignKey {
  kind: 'createForeignKey';
  tableName: string;
  foreignKey: ForeignKeyDefinition;
}

/** A foreign key whose rule or target changed: the constraint `replaces` is dropped for it. */
export interface UpdateForeignKey {
  kind: 'updateForeignKey';
  tableName: string;
  replaces: string;
  foreignKey: ForeignKeyDefinition;
}

/** An index built (again, when `replacesLiveIndex`), with its metadata row written or, when `rowExists`, updated. */
export interface CreateIndex {
  kind: 'createIndex';
  tableName: string;
  index: IndexSpec;
  replacesLiveIndex: boolean;
  row: IndexRow;
  rowExists: boolean;
}

export interface DropIndex {
  kind: 'dropIndex';
  name: string;
  indexId: string;
}

export interface CreateGeneratedRelation {
  kind: 'createGeneratedRelation';
  relation: GeneratedRelation;
}

/** A custom object renamed by its user: its table, enum types and generated relations, then its row (`set`). */
export interface RenameCustomObject {
  kind: 'renameCustomObject';
  objectId: string;
  tableName: Rename;
  enumTypes: Rename[];
  relations: GeneratedRelationRename[];
  set: ObjectColumns;
}

/** The view fields, filters and sorts (in `tables`) that show the given fields. */
export interface DeleteViewEntries {
  kind: 'deleteViewEntries';
  tables: string[];
  fieldIds: string[];
}

/**
 * The view filters (in `table`) on a SELECT or MULTI_SELECT field whose option values were renamed
 * by id: each stored value (one value, or a JSON list of them) follows its option.
 */
export interface RenameViewFilterValues {
  kind: 'renameViewFilterValues';
  table: string;
  fieldId: string;
  renamed: Rename[];
}

/** A custom object with its views (in `viewTable`), generated relations, table, enum types and metadata. */
export interface DeleteCustomObject {
  kind: 'deleteCustomObject';
  objectId: string;
  tableName: string;
  viewTable: string | null;
  relations: GeneratedRelationDrop[];
  enumTypes: string[];
}

export type Change =
  | CreateSchema
  | CreateObject
  | UpdateObject
  | RenameObject
  | SetLabelIdentifier
  | SetImageIdentifier
  | TurnObjectCustom
  | DropObject
  | CreateField
  | UpdateField
  | RenameField
  | TurnFieldCustom
  | DropField
  | SetSearchVector
  | CreateForeignKey
  | UpdateForeignKey
  | CreateIndex
  | DropIndex
  | CreateGeneratedRelation
  | RenameCustomObject
  | DeleteViewEntries
  | RenameViewFilterValues
  | DeleteCustomObject;

export type ChangeKind = Change['kind'];

/** The metadata row of a declared field, with the ids and flags the caller gives it. */
export const declaredFieldRow = (
  field: DeclaredField,
  row: Pick<
    FieldRow,
    'id' | 'objectMetadataId' | 'standardId' | 'isCustom' | 'relationTargetObjectMetadataId' | 'relationTargetFieldMetadataId'
  >,
): FieldRow => ({
  ...row,
  name: field.name,
  label: field.label,
  type: field.type,
  description: field.description,
  icon: field.icon,
  isSystem: field.isSystem,
  isActive: field.isActive,
  isNullable: field.isNullable,
  isUnique: field.isUnique,
  isDeprecated: false,
  defaultValue: field.defaultValue,
  options: field.options,
  settings: field.settings,
  relationType: field.relation?.type ?? null,
  onDelete: field.relation?.onDelete ?? null,
});

/** The enum types a field's columns need, with the field's labels. */
export const enumTypesOf = (columns: ColumnSpec[], values: string[] | null): EnumType[] =>
  columns.flatMap((column) => (column.enumName ? [{ name: column.enumName, values: values! }] : []));
