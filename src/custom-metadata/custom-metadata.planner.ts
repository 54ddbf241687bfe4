import { DeclaredField, DeclaredSelectOption } from '../declarations/declared-schema';
import { defaultValueProblem } from '../declarations/default-value.rules';
import { FieldType, isFieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { getFieldTypeDefinition } from '../declarations/field-type.registry';
import {
  CAMEL_CASE_NAME,
  displayTextProblem,
  isReservedFieldName,
  isReservedObjectName,
  MAX_IDENTIFIER_LENGTH,
  OPTION_VALUE_PATTERN,
} from '../declarations/identifier.rules';
import { qualified, quoteIdentifier } from '../database/sql';
import { STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { ActualField, ActualObject, ActualState, actualFieldColumns } from '../metadata/actual-state';
import { columnSql, createEnumSql } from '../sync/ddl';
import { desiredField } from '../sync/desired-state';
import { Hazard, Plan, PlanAction } from '../sync/plan';
import { customTableName, enumTypeName, fieldColumns, foreignKeyName, indexName, joinColumnName } from '../metadata/column-layout';
import { SqlStatement } from '../database/sql-statement';

export interface CustomFieldInput {
  name: string;
  label: string;
  type: string;
  description?: string | null;
  icon?: string | null;
  options?: DeclaredSelectOption[] | null;
  defaultValue?: unknown;
  isNullable?: boolean;
}

export interface CustomObjectInput {
  nameSingular: string;
  namePlural: string;
  labelSingular: string;
  labelPlural: string;
  description?: string | null;
  icon?: string | null;
}

export interface ObjectUpdateInput {
  nameSingular?: unknown;
  namePlural?: unknown;
  labelSingular?: unknown;
  labelPlural?: unknown;
  description?: unknown;
  icon?: unknown;
  isActive?: unknown;
}

export interface FieldUpdateInput {
  name?: unknown;
  label?: unknown;
  description?: unknown;
  icon?: unknown;
  isActive?: unknown;
}

/**
 * Bad input for a custom object or field; `property` names the input property at fault. `CONFLICT`:
 * the request is valid but would drop data (or the workspace is busy); `NOT_FOUND`: no such workspace.
 */
export class CustomMetadataError extends Error {
  constructor(
    readonly property: string,
    message: string,
    readonly code: 'INVALID' | 'CONFLICT' | 'NOT_FOUND' = 'INVALID',
  ) {
    super(message);
    this.name = 'CustomMetadataError';
  }
}

/** The first version in which the legacy types EMAIL, LINK and PHONE can no longer be chosen. */
export const LEGACY_TYPES_REMOVED_IN = '0.23';

const MAX_LABEL_LENGTH = 200;

const compareVersions = (a: string, b: string): number => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return 0;
};

const checkName = (property: string, name: unknown, kind: 'object' | 'field', suffixLength: number): string => {
  if (typeof name !== 'string' || name.length === 0) {
    throw new CustomMetadataError(property, `${property} is required: a camelCase name`);
  }
  if (!CAMEL_CASE_NAME.test(name)) {
    throw new CustomMetadataError(property, `${property} "${name.slice(0, 80)}" must be camelCase: a lowercase letter, then letters and digits`);
  }
  if (name.length + suffixLength > MAX_IDENTIFIER_LENGTH) {
    throw new CustomMetadataError(property, `${property} "${name.slice(0, 80)}" is too long: at most ${MAX_IDENTIFIER_LENGTH - suffixLength} characters`);
  }
  if (kind === 'object' ? isReservedObjectName(name) : isReservedFieldName(name)) {
    throw new CustomMetadataError(property, `${property} "${name}" is reserved`);
  }
  return name;
};

const checkLabel = (property: string, label: unknown): string => {
  if (typeof label !== 'string' || label.trim().length === 0 || label.length > MAX_LABEL_LENGTH) {
    throw new CustomMetadataError(property, `${property} is required: 1 to ${MAX_LABEL_LENGTH} characters`);
  }
  const problem = displayTextProblem(label);
  if (problem) throw new CustomMetadataError(property, `${property} is not valid: ${problem}`);
  return label;
};

const newFieldBase = (field: Omit<DeclaredField, 'isSystem' | 'isActive' | 'isDeprecated' | 'isUnique' | 'settings' | 'gate'>): DeclaredField => ({
  isSystem: false,
  isActive: true,
  isDeprecated: false,
  isUnique: false,
  settings: null,
  gate: null,
  ...field,
});

const insertFieldSql = (
  workspaceId: string,
  objectId: string,
  rows: Array<{ id: string; field: DeclaredField; isCustom: boolean; targetObjectId?: string | null; targetFieldId?: string | null }>,
): SqlStatement => {
  const params: unknown[] = [];
  const values = rows.map(({ id, field, isCustom, targetObjectId, targetFieldId }) => {
    const row = [
      id, workspaceId, objectId, isCustom ? null : field.standardId, field.name, field.label, field.type, field.description, field.icon,
      isCustom, field.isSystem, field.isActive, field.isNullable, field.isUnique,
      field.defaultValue === null || field.defaultValue === undefined ? null : JSON.stringify(field.defaultValue),
      field.options ? JSON.stringify(field.options) : null,
      field.relation?.type ?? null, targetObjectId ?? null, targetFieldId ?? null, field.relation?.onDelete ?? null,
    ];
    const placeholders = row.map((value, index) => {
      params.push(value);
      return index === 14 || index === 15 ? `$${params.length}::jsonb` : `$${params.length}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  return {
    sql: `INSERT INTO metadata."fieldMetadata" ("id", "workspaceId", "objectMetadataId", "standardId", "name", "label", "type", "description", "icon",
            "isCustom", "isSystem", "isActive", "isNullable", "isUnique", "defaultValue", "options", "relationType",
            "relationTargetObjectMetadataId", "relationTargetFieldMetadataId", "onDelete") VALUES ${values.join(', ')}`,
    params,
  };
};

/**
 * Plans custom objects and custom fields, with the same statements and the same shape of plan as
 * sync, so that they are applied the same way: one transaction, under the workspace's lock.
 * Every user-supplied name is validated first; none reaches SQL other than quoted.
 */
export class CustomMetadataPlanner {
  constructor(
    private readonly actual: ActualState,
    private readonly workspaceVersion: string | null,
    private readonly newId: () => string,
  ) {}

  planField(objectName: string, input: CustomFieldInput): Plan {
    const object = this.findObject(objectName);
    const name = checkName('name', input.name, 'field', 20);
    const label = checkLabel('label', input.label);
    if (!isFieldType(input.type)) {
      throw new CustomMetadataError('type', `type "${String(input.type).slice(0, 40)}" is not a field type`);
    }
    const type = input.type;
    const definition = getFieldTypeDefinition(type);
    if (definition.isLegacy && (this.workspaceVersion === null || compareVersions(this.workspaceVersion, LEGACY_TYPES_REMOVED_IN) >= 0)) {
      const replacement = { [FieldType.EMAIL]: 'EMAILS', [FieldType.LINK]: 'LINKS', [FieldType.PHONE]: 'PHONES' }[type as string];
      throw new CustomMetadataError('type', `${type} is a legacy type and cannot be chosen for a new field since ${LEGACY_TYPES_REMOVED_IN}; use ${replacement}`);
    }
    if (!definition.isCreatable && !definition.isLegacy) {
      throw new CustomMetadataError('type', `${type} fields cannot be created by users`);
    }
    if (type === FieldType.RELATION) {
      throw new CustomMetadataError('type', 'relation fields are created with the relation endpoint, not as plain fields');
    }
    const options = input.options ?? null;
    if (definition.hasOptions) {
      if (!Array.isArray(options) || options.length === 0) {
        throw new CustomMetadataError('options', `a ${type} field needs at least one option`);
      }
      const seen = new Set<string>();
      for (const option of options) {
        if (typeof option?.value !== 'string' || !OPTION_VALUE_PATTERN.test(option.value) || option.value.length > 63) {
          throw new CustomMetadataError('options', `option value "${String(option?.value).slice(0, 40)}" must be UPPER_SNAKE_CASE, at most 63 characters`);
        }
        if (seen.has(option.value)) throw new CustomMetadataError('options', `option value "${option.value}" appears more than once`);
        seen.add(option.value);
      }
    } else if (options !== null) {
      throw new CustomMetadataError('options', `a ${type} field cannot have options`);
    }
    const cleanOptions = options?.map((option, position) => ({
      value: option.value,
      label: option.label === undefined || option.label === null ? option.value : checkLabel('options', option.label),
      position,
    }));
    const defaultValue = input.defaultValue ?? (type === FieldType.ARRAY ? [] : null);
    const problem = defaultValueProblem(type, defaultValue, cleanOptions ?? null);
    if (problem) {
      throw new CustomMetadataError('defaultValue', `defaultValue is invalid for ${type}: ${problem}`);
    }
    const isNullable = input.isNullable ?? true;
    if (!isNullable && definition.kind === 'plain' && defaultValue === null) {
      throw new CustomMetadataError('isNullable', 'a field that is not nullable needs a defaultValue');
    }
    const field = newFieldBase({
      standardId: '',
      name,
      type,
      label,
      description: input.description ?? null,
      icon: input.icon ?? null,
      isNullable,
      defaultValue,
      options: cleanOptions ?? null,
      relation: null,
    });
    const desired = desiredField(field, object.tableName);
    this.checkFree(object, name, desired.columns.map((column) => column.name), 'name');

    const statements: SqlStatement[] = [];
    for (const column of desired.columns.filter((candidate) => candidate.enumName)) {
      if (this.actual.live.enums.has(column.enumName!)) {
        throw new CustomMetadataError('name', `the type ${column.enumName} already exists in this workspace; choose another name`);
      }
      statements.push(createEnumSql(this.actual.schemaName, column.enumName!, desired.enumValues!));
    }
    statements.push({
      sql: `ALTER TABLE ${qualified(this.actual.schemaName, object.tableName)} ${desired.columns.map((column) => `ADD COLUMN ${columnSql(this.actual.schemaName, column)}`).join(', ')}`,
    });
    statements.push(insertFieldSql(this.actual.workspaceId, object.id, [{ id: this.newId(), field, isCustom: true }]));
    return {
      actions: [{ kind: 'CREATE_FIELD', object: object.nameSingular, field: name, hazard: null, summary: `create custom field ${object.nameSingular}.${name} (${type})`, statements, preflight: [] }],
      refusals: [],
    };
  }

  /**
   * A custom object: its table `_<name>`, the shared fields of custom objects, and its links to
   * note targets and attachments (a generated relation on each, with a cascading foreign key).
   */
  planObject(input: CustomObjectInput, sharedFields: DeclaredField[]): Plan {
    const nameSingular = checkName('nameSingular', input.nameSingular, 'object', 6);
    const namePlural = checkName('namePlural', input.namePlural, 'object', 6);
    if (nameSingular === namePlural) {
      throw new CustomMetadataError('namePlural', 'namePlural must differ from nameSingular');
    }
    const labelSingular = checkLabel('labelSingular', input.labelSingular);
    const labelPlural = checkLabel('labelPlural', input.labelPlural);
    for (const [property, name] of [['nameSingular', nameSingular], ['namePlural', namePlural]] as const) {
      const clash = this.actual.objects.find((object) => object.nameSingular === name || object.namePlural === name);
      if (clash) throw new CustomMetadataError(property, `${property} "${name}" is already used by the object "${clash.nameSingular}"`);
    }
    const tableName = customTableName(nameSingular);
    if (this.actual.live.tables.has(tableName)) {
      throw new CustomMetadataError('nameSingular', `a table ${tableName} already exists in this workspace`);
    }
    const schema = this.actual.schemaName;
    const objectId = this.newId();
    const plain = sharedFields.filter((field) => field.type !== FieldType.RELATION && !field.isDeprecated).map((field) => desiredField(field, tableName));
    const relations = sharedFields.filter((field) => field.relation?.type === RelationType.ONE_TO_MANY && !field.isDeprecated);
    const labelField = plain.find((field) => field.declared.type === FieldType.TEXT && field.declared.name === 'name');
    const ids = new Map(sharedFields.map((field) => [field.name, this.newId()]));

    const statements: SqlStatement[] = [
      {
        sql: `INSERT INTO metadata."objectMetadata" ("id", "workspaceId", "standardId", "nameSingular", "namePlural", "labelSingular", "labelPlural", "description", "icon", "tableName", "isCustom", "isSystem", "isActive", "labelIdentifierFieldMetadataId")
              VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, true, false, true, $10)`,
        params: [objectId, this.actual.workspaceId, nameSingular, namePlural, labelSingular, labelPlural, input.description ?? null, input.icon ?? null, tableName, labelField ? ids.get(labelField.declared.name) : null],
      },
    ];
    const columns = plain.flatMap((field) => field.columns);
    statements.push({
      sql: `CREATE TABLE ${qualified(schema, tableName)} (${[...columns.map((column) => columnSql(schema, column)), ...(columns.some((c) => c.name === 'id') ? ['PRIMARY KEY ("id")'] : [])].join(', ')})`,
    });

    const generated: Array<{ object: ActualObject; id: string; field: DeclaredField; inverse: DeclaredField }> = [];
    for (const relation of relations) {
      const target = this.actual.objects.find((object) => !object.isCustom && object.nameSingular === relation.relation!.targetObject);
      if (!target) continue;
      const inverse = newFieldBase({
        standardId: '',
        name: nameSingular,
        type: FieldType.RELATION,
        label: labelSingular,
        description: null,
        icon: input.icon ?? null,
        isNullable: true,
        defaultValue: null,
        options: null,
        relation: { type: RelationType.MANY_TO_ONE, targetObject: nameSingular, inverseFieldName: relation.name, onDelete: OnDeleteAction.CASCADE },
      });
      const column = fieldColumns(inverse)[0];
      this.checkFree(target, nameSingular, [column], 'nameSingular');
      generated.push({ object: target, id: this.newId(), field: relation, inverse });
    }
    statements.push(
      insertFieldSql(this.actual.workspaceId, objectId, [
        ...plain.map((field) => ({ id: ids.get(field.declared.name)!, field: field.declared, isCustom: false })),
        ...generated.map(({ object, id, field }) => ({
          id: ids.get(field.name)!,
          field: { ...field, relation: { ...field.relation!, targetObject: object.nameSingular } },
          isCustom: false,
          targetObjectId: object.id,
          targetFieldId: id,
        })),
      ]),
    );
    for (const { object, id, field, inverse } of generated) {
      const column = fieldColumns(inverse)[0];
      const fk = foreignKeyName(object.tableName, column);
      const table = qualified(schema, object.tableName);
      const index = indexName(object.tableName, [column], false);
      statements.push(
        { sql: `ALTER TABLE ${table} ADD COLUMN ${quoteIdentifier(column)} uuid` },
        { sql: `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdentifier(fk)} FOREIGN KEY (${quoteIdentifier(column)}) REFERENCES ${qualified(schema, tableName)} ("id") ON DELETE CASCADE` },
        { sql: `CREATE INDEX ${quoteIdentifier(index)} ON ${table} (${quoteIdentifier(column)})` },
        {
          sql: `INSERT INTO metadata."indexMetadata" ("id", "workspaceId", "objectMetadataId", "name", "columns", "isUnique", "isCustom") VALUES ($1, $2, $3, $4, $5, false, true)`,
          params: [this.newId(), this.actual.workspaceId, object.id, index, [column]],
        },
        insertFieldSql(this.actual.workspaceId, object.id, [{ id, field: inverse, isCustom: true, targetObjectId: objectId, targetFieldId: ids.get(field.name) }]),
      );
    }
    const action: PlanAction = {
      kind: 'CREATE_OBJECT',
      object: nameSingular,
      field: null,
      hazard: null,
      summary: `create custom object ${nameSingular} (table ${tableName}, ${plain.length + generated.length} fields)`,
      statements,
      preflight: [],
    };
    return { actions: [action], refusals: [] };
  }

  /**
   * Renames, relabels, activates or deactivates an object. Only custom objects change names and
   * labels (sync owns the standard ones); a renamed custom object takes its table, enum types and
   * the relation fields generated for it on other objects along.
   */
  planObjectUpdate(objectName: string, input: ObjectUpdateInput): Plan {
    const object = this.findObject(objectName);
    const known = ['nameSingular', 'namePlural', 'labelSingular', 'labelPlural', 'description', 'icon', 'isActive'];
    const given = Object.keys(input ?? {}).filter((key) => (input as Record<string, unknown>)[key] !== undefined);
    const unknown = given.find((key) => !known.includes(key));
    if (unknown) throw new CustomMetadataError(unknown.slice(0, 80), `"${unknown.slice(0, 80)}" cannot be changed; an object takes ${known.join(', ')}`);
    if (given.length === 0) throw new CustomMetadataError('body', `nothing to change: give one of ${known.join(', ')}`);
    if (!object.isCustom) {
      const notActive = given.find((key) => key !== 'isActive');
      if (notActive) throw new CustomMetadataError(notActive, `${object.nameSingular} is a standard object: only isActive can be changed; its names and labels come from the declarations`);
    }
    const sets: Record<string, unknown> = {};
    const statements: SqlStatement[] = [];
    const schema = this.actual.schemaName;
    if (input.isActive !== undefined) {
      if (typeof input.isActive !== 'boolean') throw new CustomMetadataError('isActive', 'isActive must be true or false');
      if (object.isSystem) throw new CustomMetadataError('isActive', `${object.nameSingular} is a system object and cannot be deactivated`);
      sets.isActive = input.isActive;
    }
    for (const property of ['labelSingular', 'labelPlural'] as const) {
      if (input[property] !== undefined) sets[property] = checkLabel(property, input[property]);
    }
    for (const property of ['description', 'icon'] as const) {
      if (input[property] !== undefined) {
        if (input[property] !== null && (typeof input[property] !== 'string' || (input[property] as string).length > 1000)) {
          throw new CustomMetadataError(property, `${property} must be text of at most 1000 characters, or null`);
        }
        sets[property] = input[property];
      }
    }
    const namePlural = input.namePlural !== undefined ? checkName('namePlural', input.namePlural, 'object', 6) : object.namePlural;
    const nameSingular = input.nameSingular !== undefined ? checkName('nameSingular', input.nameSingular, 'object', 6) : object.nameSingular;
    if (nameSingular === namePlural) throw new CustomMetadataError(input.namePlural !== undefined ? 'namePlural' : 'nameSingular', 'namePlural must differ from nameSingular');
    for (const [property, name] of [['nameSingular', nameSingular], ['namePlural', namePlural]] as const) {
      if (input[property] === undefined) continue;
      const clash = this.actual.objects.find((candidate) => candidate !== object && (candidate.nameSingular === name || candidate.namePlural === name));
      if (clash) throw new CustomMetadataError(property, `${property} "${name}" is already used by the object "${clash.nameSingular}"`);
      sets[property] = name;
    }
    if (nameSingular !== object.nameSingular) {
      const tableName = customTableName(nameSingular);
      if (this.actual.live.tables.has(tableName)) throw new CustomMetadataError('nameSingular', `a table ${tableName} already exists in this workspace`);
      sets.tableName = tableName;
      statements.push({ sql: `ALTER TABLE ${qualified(schema, object.tableName)} RENAME TO ${quoteIdentifier(tableName)}` });
      for (const field of object.fields) {
        for (const column of actualFieldColumns(field, object.tableName)) {
          if (column.enumName && this.actual.live.enums.has(column.enumName)) {
            statements.push({ sql: `ALTER TYPE ${qualified(schema, column.enumName)} RENAME TO ${quoteIdentifier(enumTypeName(tableName, column.name))}` });
          }
        }
      }
      for (const { owner, field } of this.generatedInverses(object)) {
        if (field.name !== object.nameSingular) continue;
        this.checkFree(owner, nameSingular, [joinColumnName(nameSingular)], 'nameSingular', field);
        const [oldColumn, newColumn] = [joinColumnName(field.name), joinColumnName(nameSingular)];
        const table = qualified(schema, owner.tableName);
        const [oldIndex, newIndex] = [indexName(owner.tableName, [oldColumn], false), indexName(owner.tableName, [newColumn], false)];
        statements.push(
          { sql: `ALTER TABLE ${table} RENAME COLUMN ${quoteIdentifier(oldColumn)} TO ${quoteIdentifier(newColumn)}` },
          { sql: `ALTER TABLE ${table} RENAME CONSTRAINT ${quoteIdentifier(foreignKeyName(owner.tableName, oldColumn))} TO ${quoteIdentifier(foreignKeyName(owner.tableName, newColumn))}` },
          { sql: `ALTER INDEX ${qualified(schema, oldIndex)} RENAME TO ${quoteIdentifier(newIndex)}` },
          {
            sql: `UPDATE metadata."indexMetadata" SET "name" = $1, "columns" = $2, "updatedAt" = now() WHERE "workspaceId" = $3 AND "objectMetadataId" = $4 AND "name" = $5`,
            params: [newIndex, [newColumn], this.actual.workspaceId, owner.id, oldIndex],
          },
          { sql: `UPDATE metadata."fieldMetadata" SET "name" = $1, "updatedAt" = now() WHERE "id" = $2`, params: [nameSingular, field.id] },
        );
      }
    }
    const columns = Object.keys(sets);
    if (columns.length > 0) {
      statements.push({
        sql: `UPDATE metadata."objectMetadata" SET ${columns.map((column, index) => `${quoteIdentifier(column)} = $${index + 1}`).join(', ')}, "updatedAt" = now() WHERE "id" = $${columns.length + 1}`,
        params: [...columns.map((column) => sets[column]), object.id],
      });
    }
    const renamed = nameSingular !== object.nameSingular;
    return {
      actions: [{
        kind: renamed ? 'RENAME_OBJECT' : 'UPDATE_OBJECT',
        object: nameSingular,
        field: null,
        hazard: null,
        summary: renamed ? `rename custom object ${object.nameSingular} to ${nameSingular} (table ${object.tableName} -> ${customTableName(nameSingular)})` : `update object ${object.nameSingular} (${columns.join(', ')})`,
        statements,
        preflight: [],
      }],
      refusals: [],
    };
  }

  /** Renames, relabels, activates or deactivates a field; names and labels of custom fields only. */
  planFieldUpdate(objectName: string, fieldName: string, input: FieldUpdateInput): Plan {
    const object = this.findObject(objectName);
    const field = this.findField(object, fieldName);
    const known = ['name', 'label', 'description', 'icon', 'isActive'];
    const given = Object.keys(input ?? {}).filter((key) => (input as Record<string, unknown>)[key] !== undefined);
    const unknown = given.find((key) => !known.includes(key));
    if (unknown) throw new CustomMetadataError(unknown.slice(0, 80), `"${unknown.slice(0, 80)}" cannot be changed; a field takes ${known.join(', ')}`);
    if (given.length === 0) throw new CustomMetadataError('body', `nothing to change: give one of ${known.join(', ')}`);
    if (field.isSystem) throw new CustomMetadataError('field', `${object.nameSingular}.${field.name} is a system field and cannot be changed`);
    if (!field.isCustom) {
      const notActive = given.find((key) => key !== 'isActive');
      if (notActive) throw new CustomMetadataError(notActive, `${object.nameSingular}.${field.name} is a standard field: only isActive can be changed; its name and label come from the declarations`);
    }
    const sets: Record<string, unknown> = {};
    const statements: SqlStatement[] = [];
    if (input.isActive !== undefined) {
      if (typeof input.isActive !== 'boolean') throw new CustomMetadataError('isActive', 'isActive must be true or false');
      sets.isActive = input.isActive;
    }
    if (input.label !== undefined) sets.label = checkLabel('label', input.label);
    for (const property of ['description', 'icon'] as const) {
      if (input[property] !== undefined) {
        if (input[property] !== null && (typeof input[property] !== 'string' || (input[property] as string).length > 1000)) {
          throw new CustomMetadataError(property, `${property} must be text of at most 1000 characters, or null`);
        }
        sets[property] = input[property];
      }
    }
    let name = field.name;
    if (input.name !== undefined && input.name !== field.name) {
      if (field.relationType) throw new CustomMetadataError('name', `${object.nameSingular}.${field.name} is a relation field; it is renamed with the object it belongs to`);
      name = checkName('name', input.name, 'field', 20);
      const oldColumns = actualFieldColumns(field, object.tableName);
      const renamed = { ...field, name };
      const newColumns = actualFieldColumns(renamed, object.tableName);
      this.checkFree(object, name, newColumns.map((column) => column.name), 'name', field);
      const table = qualified(this.actual.schemaName, object.tableName);
      oldColumns.forEach((column, index) => {
        statements.push({ sql: `ALTER TABLE ${table} RENAME COLUMN ${quoteIdentifier(column.name)} TO ${quoteIdentifier(newColumns[index].name)}` });
        if (column.enumName && this.actual.live.enums.has(column.enumName)) {
          if (this.actual.live.enums.has(newColumns[index].enumName!)) {
            throw new CustomMetadataError('name', `the type ${newColumns[index].enumName} already exists in this workspace; choose another name`);
          }
          statements.push({ sql: `ALTER TYPE ${qualified(this.actual.schemaName, column.enumName)} RENAME TO ${quoteIdentifier(newColumns[index].enumName!)}` });
        }
      });
      sets.name = name;
    }
    const columns = Object.keys(sets);
    if (columns.length > 0) {
      statements.push({
        sql: `UPDATE metadata."fieldMetadata" SET ${columns.map((column, index) => `${quoteIdentifier(column)} = $${index + 1}`).join(', ')}, "updatedAt" = now() WHERE "id" = $${columns.length + 1}`,
        params: [...columns.map((column) => sets[column]), field.id],
      });
    }
    return {
      actions: [{
        kind: name !== field.name ? 'RENAME_FIELD' : 'UPDATE_FIELD',
        object: object.nameSingular,
        field: name,
        hazard: null,
        summary: name !== field.name ? `rename custom field ${object.nameSingular}.${field.name} to ${name}` : `update field ${object.nameSingular}.${field.name} (${columns.join(', ')})`,
        statements,
        preflight: [],
      }],
      refusals: [],
    };
  }

  /**
   * Deletes a custom field: its view entries, columns, enum type and metadata row. `rowsWithData`
   * (read by the caller) must be 0 unless `force`: deleting a field that holds values drops them.
   */
  planFieldDelete(objectName: string, fieldName: string, rowsWithData: number, force: boolean): Plan {
    const object = this.findObject(objectName);
    const field = this.findField(object, fieldName);
    if (!field.isCustom) throw new CustomMetadataError('field', `${object.nameSingular}.${field.name} is a standard field and cannot be deleted; deactivate it instead (isActive: false)`);
    if (field.relationType) throw new CustomMetadataError('field', `${object.nameSingular}.${field.name} is a relation field; it is deleted with the object it belongs to`);
    if (rowsWithData > 0 && !force) {
      throw new CustomMetadataError('force', `${object.nameSingular}.${field.name} holds values in ${rowsWithData} record(s); deleting it drops them. Deactivate it instead, or delete with force to drop the data`, 'CONFLICT');
    }
    const schema = this.actual.schemaName;
    const columns = actualFieldColumns(field, object.tableName);
    const statements: SqlStatement[] = [
      ...this.viewEntriesSql([field.id]),
      { sql: `ALTER TABLE ${qualified(schema, object.tableName)} ${columns.map((column) => `DROP COLUMN ${quoteIdentifier(column.name)}`).join(', ')}` },
      ...columns.filter((column) => column.enumName && this.actual.live.enums.has(column.enumName)).map((column) => ({ sql: `DROP TYPE ${qualified(schema, column.enumName!)}` })),
      { sql: `DELETE FROM metadata."fieldMetadata" WHERE "id" = $1`, params: [field.id] },
    ];
    return {
      actions: [{
        kind: 'DROP_FIELD',
        object: object.nameSingular,
        field: field.name,
        hazard: rowsWithData > 0 ? Hazard.DROPS_DATA : null,
        summary: `delete custom field ${object.nameSingular}.${field.name}${rowsWithData > 0 ? ` and the values of ${rowsWithData} record(s)` : ''}`,
        statements,
        preflight: [],
      }],
      refusals: [],
    };
  }

  /**
   * Deletes a custom object: its views, the relation fields generated for it on other objects,
   * its table and enum types, its metadata. `rows` (read by the caller) must be 0 unless `force`.
   */
  planObjectDelete(objectName: string, rows: number, force: boolean): Plan {
    const object = this.findObject(objectName);
    if (!object.isCustom) throw new CustomMetadataError('object', `${object.nameSingular} is a standard object and cannot be deleted; deactivate it instead (isActive: false)`);
    if (rows > 0 && !force) {
      throw new CustomMetadataError('force', `${object.nameSingular} holds ${rows} record(s); deleting it drops them. Deactivate it instead, or delete with force to drop the data`, 'CONFLICT');
    }
    const schema = this.actual.schemaName;
    const inverses = this.generatedInverses(object);
    const statements: SqlStatement[] = [...this.viewEntriesSql([...object.fields, ...inverses.map(({ field }) => field)].map((field) => field.id))];
    const view = this.tableOf(STANDARD_OBJECT_IDS.view);
    if (view) statements.push({ sql: `DELETE FROM ${qualified(schema, view)} WHERE "objectMetadataId" = $1`, params: [object.id] });
    for (const { owner, field } of inverses) {
      const column = joinColumnName(field.name);
      statements.push(
        { sql: `ALTER TABLE ${qualified(schema, owner.tableName)} DROP COLUMN ${quoteIdentifier(column)}` },
        {
          sql: `DELETE FROM metadata."indexMetadata" WHERE "workspaceId" = $1 AND "objectMetadataId" = $2 AND "name" = $3`,
          params: [this.actual.workspaceId, owner.id, indexName(owner.tableName, [column], false)],
        },
        { sql: `DELETE FROM metadata."fieldMetadata" WHERE "id" = $1`, params: [field.id] },
      );
    }
    statements.push({ sql: `DROP TABLE ${qualified(schema, object.tableName)}` });
    for (const field of object.fields) {
      for (const column of actualFieldColumns(field, object.tableName)) {
        if (column.enumName && this.actual.live.enums.has(column.enumName)) statements.push({ sql: `DROP TYPE ${qualified(schema, column.enumName)}` });
      }
    }
    statements.push(
      { sql: `DELETE FROM metadata."indexMetadata" WHERE "objectMetadataId" = $1`, params: [object.id] },
      { sql: `DELETE FROM metadata."objectMetadata" WHERE "id" = $1`, params: [object.id] },
    );
    return {
      actions: [{
        kind: 'DROP_OBJECT',
        object: object.nameSingular,
        field: null,
        hazard: rows > 0 ? Hazard.DROPS_DATA : null,
        summary: `delete custom object ${object.nameSingular} (table ${object.tableName}${rows > 0 ? `, ${rows} record(s)` : ''})`,
        statements,
        preflight: [],
      }],
      refusals: [],
    };
  }

  /** The relation fields other objects hold for a custom object (noteTarget.<name>, attachment.<name>). */
  private generatedInverses(object: ActualObject): Array<{ owner: ActualObject; field: ActualField }> {
    return this.actual.objects.flatMap((owner) =>
      owner === object
        ? []
        : owner.fields
            .filter((field) => field.relationType === RelationType.MANY_TO_ONE && field.relationTargetObjectMetadataId === object.id)
            .map((field) => ({ owner, field })),
    );
  }

  private tableOf(standardId: string): string | null {
    return this.actual.objects.find((object) => !object.isCustom && object.standardId === standardId)?.tableName ?? null;
  }

  /** Deletes the view fields, filters and sorts that point at the given fields. */
  private viewEntriesSql(fieldIds: string[]): SqlStatement[] {
    return [STANDARD_OBJECT_IDS.viewField, STANDARD_OBJECT_IDS.viewFilter, STANDARD_OBJECT_IDS.viewSort]
      .map((standardId) => this.tableOf(standardId))
      .filter((table): table is string => table !== null)
      .map((table) => ({ sql: `DELETE FROM ${qualified(this.actual.schemaName, table)} WHERE "fieldMetadataId" = ANY($1::uuid[])`, params: [fieldIds] }));
  }

  private findField(object: ActualObject, fieldName: string): ActualField {
    const field = object.fields.find((candidate) => candidate.name === fieldName);
    if (!field) throw new CustomMetadataError('field', `field "${String(fieldName).slice(0, 80)}" does not exist on ${object.nameSingular}`);
    return field;
  }

  private findObject(objectName: string): ActualObject {
    const object = this.actual.objects.find((candidate) => candidate.nameSingular === objectName);
    if (!object) {
      throw new CustomMetadataError('object', `object "${String(objectName).slice(0, 80)}" does not exist in this workspace`);
    }
    return object;
  }

  /** A new field's name and columns must be free among the object's fields and live columns. */
  private checkFree(object: ActualObject, name: string, columns: string[], property: string, except?: ActualField): void {
    const taken = new Map<string, string>();
    const own = new Set(except ? actualFieldColumns(except, object.tableName).map((column) => column.name) : []);
    for (const field of object.fields) {
      if (field === except) continue;
      taken.set(field.name, field.name);
      for (const column of actualFieldColumns(field, object.tableName)) taken.set(column.name, field.name);
    }
    for (const column of this.actual.live.tables.get(object.tableName)?.columns.keys() ?? []) {
      if (!taken.has(column) && !own.has(column)) taken.set(column, `a column without metadata`);
    }
    for (const candidate of [name, ...columns]) {
      const owner = taken.get(candidate);
      if (owner) {
        throw new CustomMetadataError(property, `"${candidate}" is already used on ${object.nameSingular} by ${owner === candidate ? `the field "${owner}"` : owner.startsWith('a column') ? owner : `the field "${owner}"`}`);
      }
    }
  }
}
