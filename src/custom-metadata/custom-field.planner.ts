import { FieldType } from '../declarations/field-type';
import { searchFieldSources } from '../declarations/search-fields';
import { ActualField, ActualObject, actualFieldColumns } from '../metadata/actual-state';
import { searchFunctionName } from '../metadata/search-vector';
import { ColumnRename, declaredFieldRow, enumTypesOf, FieldColumns } from '../sync/changes';
import { desiredField } from '../sync/desired-state';
import { Hazard, PlannedAction } from '../sync/plan';
import { CustomMetadataError } from './custom-metadata.error';
import {
  checkActive,
  checkFieldName,
  checkLabel,
  checkText,
  CustomFieldInput,
  customFieldOf,
  FieldUpdateInput,
  givenProperties,
} from './custom-metadata.input';
import { CustomMetadataWorkspace } from './custom-metadata.workspace';

const FIELD_UPDATES = ['name', 'label', 'description', 'icon', 'isActive'];

/**
 * A search field's trigger reads its fields' columns by name: a field it indexes cannot be renamed
 * or deleted from under it, and a search field keeps the name its trigger writes.
 */
const checkNotSearched = (object: ActualObject, field: ActualField, property: string, what: 'renamed' | 'deleted'): void => {
  if (field.type === FieldType.TS_VECTOR && what === 'renamed') {
    throw new CustomMetadataError(
      property,
      `${object.nameSingular}.${field.name} is a search field kept by the database; it cannot be renamed`,
    );
  }
  const search = object.fields.find(
    (candidate) =>
      candidate.type === FieldType.TS_VECTOR && searchFieldSources(candidate.settings).some((source) => source.field === field.name),
  );
  if (search) {
    throw new CustomMetadataError(
      property,
      `${object.nameSingular}.${field.name} is indexed by the search field ${search.name}, so it cannot be ${what}${search.isCustom ? `; delete ${search.name} first` : ''}`,
    );
  }
};

/** Plans the custom fields of an object: creation, rename and other updates, deletion. */
export class CustomFieldPlanner {
  constructor(
    private readonly workspace: CustomMetadataWorkspace,
    private readonly workspaceVersion: string | null,
    private readonly newId: () => string,
  ) {}

  create(objectName: string, input: CustomFieldInput): PlannedAction {
    const object = this.workspace.findObject(objectName);
    const field = customFieldOf(input, this.workspaceVersion);
    const { columns, enumValues } = desiredField(field, object.tableName);
    this.workspace.checkFieldNameFree(
      object,
      field.name,
      columns.map((column) => column.name),
      'name',
    );
    for (const column of columns) {
      if (column.enumName) this.workspace.checkEnumTypeFree(column.enumName);
    }
    const row = declaredFieldRow(field, {
      id: this.newId(),
      objectMetadataId: object.id,
      standardId: null,
      isCustom: true,
      relationTargetObjectMetadataId: null,
      relationTargetFieldMetadataId: null,
    });
    return {
      kind: 'CREATE_FIELD',
      object: object.nameSingular,
      field: field.name,
      hazard: null,
      summary: `create custom field ${object.nameSingular}.${field.name} (${field.type})`,
      changes: [{ kind: 'createField', tableName: object.tableName, enumTypes: enumTypesOf(columns, enumValues), columns, field: row }],
      preflight: [],
    };
  }

  /** Renames, relabels, activates or deactivates a field; names and labels of custom fields only. */
  update(objectName: string, fieldName: string, input: FieldUpdateInput): PlannedAction {
    const object = this.workspace.findObject(objectName);
    const field = this.workspace.findField(object, fieldName);
    const given = givenProperties(input, FIELD_UPDATES, 'a field');
    if (field.isSystem)
      throw new CustomMetadataError('field', `${object.nameSingular}.${field.name} is a system field and cannot be changed`);
    if (!field.isCustom) {
      const notActive = given.find((key) => key !== 'isActive');
      if (notActive) {
        throw new CustomMetadataError(
          notActive,
          `${object.nameSingular}.${field.name} is a standard field: only isActive can be changed; its name and label come from the declarations`,
        );
      }
    }
    const set: FieldColumns = {};
    if (input.isActive !== undefined) set.isActive = checkActive(input.isActive);
    if (input.label !== undefined) set.label = checkLabel('label', input.label);
    for (const property of ['description', 'icon'] as const) {
      if (input[property] !== undefined) set[property] = checkText(property, input[property]);
    }
    const action = { object: object.nameSingular, hazard: null, preflight: [] };
    if (input.name === undefined || input.name === field.name) {
      const columns = Object.keys(set);
      return {
        ...action,
        kind: 'UPDATE_FIELD',
        field: field.name,
        summary: `update field ${object.nameSingular}.${field.name} (${columns.join(', ')})`,
        changes:
          columns.length > 0
            ? [
                {
                  kind: 'updateField',
                  fieldId: field.id,
                  tableName: object.tableName,
                  set,
                  nullability: null,
                  enumValues: null,
                  defaults: [],
                },
              ]
            : [],
      };
    }
    if (field.relationType) {
      throw new CustomMetadataError(
        'name',
        `${object.nameSingular}.${field.name} is a relation field; it is renamed with the object it belongs to`,
      );
    }
    checkNotSearched(object, field, 'name', 'renamed');
    const name = checkFieldName('name', input.name);
    const newColumns = actualFieldColumns({ ...field, name }, object.tableName);
    this.workspace.checkFieldNameFree(
      object,
      name,
      newColumns.map((column) => column.name),
      'name',
      field,
    );
    const columns: ColumnRename[] = actualFieldColumns(field, object.tableName).map((column, index) => {
      const renamesEnum = column.enumName !== null && this.workspace.hasEnumType(column.enumName);
      if (renamesEnum) this.workspace.checkEnumTypeFree(newColumns[index].enumName!);
      return {
        from: column.name,
        to: newColumns[index].name,
        enumType: renamesEnum ? { from: column.enumName!, to: newColumns[index].enumName! } : null,
      };
    });
    set.name = name;
    return {
      ...action,
      kind: 'RENAME_FIELD',
      field: name,
      summary: `rename custom field ${object.nameSingular}.${field.name} to ${name}`,
      changes: [{ kind: 'renameField', fieldId: field.id, tableName: object.tableName, columns, foreignKey: null, set }],
    };
  }

  /**
   * Deletes a custom field: its view entries, columns, enum type and metadata row. `rowsWithData`
   * (read by the caller) must be 0 unless `force`: deleting a field that holds values drops them.
   */
  delete(objectName: string, fieldName: string, rowsWithData: number, force: boolean): PlannedAction {
    const object = this.workspace.findObject(objectName);
    const field = this.workspace.findField(object, fieldName);
    const name = `${object.nameSingular}.${field.name}`;
    if (!field.isCustom)
      throw new CustomMetadataError('field', `${name} is a standard field and cannot be deleted; deactivate it instead (isActive: false)`);
    checkNotSearched(object, field, 'field', 'deleted');
    if (field.relationType)
      throw new CustomMetadataError('field', `${name} is a relation field; it is deleted with the object it belongs to`);
    if (rowsWithData > 0 && !force) {
      throw new CustomMetadataError(
        'force',
        `${name} holds values in ${rowsWithData} record(s); deleting it drops them. Deactivate it instead, or delete with force to drop the data`,
        'CONFLICT',
      );
    }
    return {
      kind: 'DROP_FIELD',
      object: object.nameSingular,
      field: field.name,
      hazard: rowsWithData > 0 ? Hazard.DROPS_DATA : null,
      summary: `delete custom field ${name}${rowsWithData > 0 ? ` and the values of ${rowsWithData} record(s)` : ''}`,
      changes: [
        { kind: 'deleteViewEntries', tables: this.workspace.viewEntryTables(), fieldIds: [field.id] },
        {
          kind: 'dropField',
          objectId: object.id,
          fieldId: field.id,
          tableName: object.tableName,
          columns: actualFieldColumns(field, object.tableName).map((column) => column.name),
          enumTypes: this.workspace.enumTypesOf(field, object.tableName),
          viewTables: [],
          // A search field (one turned custom) goes with its GIN index row and its trigger function.
          withIndexRows: field.type === FieldType.TS_VECTOR,
          ...(field.type === FieldType.TS_VECTOR ? { functions: [searchFunctionName(object.tableName, field.name)] } : {}),
        },
      ],
      preflight: [],
    };
  }
}
