import { fieldColumns } from '../declarations/declaration-set.builder';
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
import { qualified, quoteIdentifier, SqlStatement } from '../database/sql';
import { ActualObject, ActualState, actualFieldColumns } from './actual-state';
import { columnSql, createEnumSql } from './ddl';
import { customTableName, desiredField, foreignKeyName } from './desired-state';
import { indexName } from '../declarations/declaration-set.builder';
import { Plan, PlanAction } from './plan';

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

/** Bad input for a custom object or field; `property` names the input property at fault. */
export class CustomMetadataError extends Error {
  constructor(
    readonly property: string,
    message: string,
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

  private findObject(objectName: string): ActualObject {
    const object = this.actual.objects.find((candidate) => candidate.nameSingular === objectName);
    if (!object) {
      throw new CustomMetadataError('object', `object "${String(objectName).slice(0, 80)}" does not exist in this workspace`);
    }
    return object;
  }

  /** A new field's name and columns must be free among the object's fields and live columns. */
  private checkFree(object: ActualObject, name: string, columns: string[], property: string): void {
    const taken = new Map<string, string>();
    for (const field of object.fields) {
      taken.set(field.name, field.name);
      for (const column of actualFieldColumns(field, object.tableName)) taken.set(column.name, field.name);
    }
    for (const column of this.actual.live.tables.get(object.tableName)?.columns.keys() ?? []) {
      if (!taken.has(column)) taken.set(column, `a column without metadata`);
    }
    for (const candidate of [name, ...columns]) {
      const owner = taken.get(candidate);
      if (owner) {
        throw new CustomMetadataError(property, `"${candidate}" is already used on ${object.nameSingular} by ${owner === candidate ? `the field "${owner}"` : owner.startsWith('a column') ? owner : `the field "${owner}"`}`);
      }
    }
  }
}
