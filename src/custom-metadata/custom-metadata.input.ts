import { ICON_PATTERN, LABEL_IDENTIFIER_TYPES, SHORTCUT_PATTERN } from '../declarations/declaration-set.builder';
import { DeclaredField, DeclaredSelectOption } from '../declarations/declared-schema';
import { defaultValueProblem } from '../declarations/default-value.rules';
import { FieldType, isFieldType } from '../declarations/field-type';
import { getFieldTypeDefinition } from '../declarations/field-type.registry';
import {
  CAMEL_CASE_NAME,
  displayTextProblem,
  isReservedFieldName,
  isReservedObjectName,
  MAX_IDENTIFIER_LENGTH,
  optionValueProblem,
  optionValuesClash,
} from '../declarations/identifier.rules';
import { CustomMetadataError } from './custom-metadata.error';

/*
 * The rules of what users ask for: names, labels, types, options and defaults of custom objects
 * and fields, checked before anything is planned. What the workspace already holds (names taken,
 * tables, types) the planner checks.
 */

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
  /** One capital letter (A-Z) that opens the object; unique in the workspace. */
  shortcut?: string | null;
  isSearchable?: boolean;
  isAuditLogged?: boolean;
  /** The field that names a record (TEXT, FULL_NAME or UUID): one of the fields a custom object starts with; `name` by default. */
  labelIdentifierFieldName?: string;
}

/** A new custom object as asked for: properties not given are left to their defaults. */
export interface CustomObjectSpec {
  nameSingular: string;
  namePlural: string;
  labelSingular: string;
  labelPlural: string;
  description: string | null;
  icon: string | null;
  shortcut?: string | null;
  isSearchable?: boolean;
  isAuditLogged?: boolean;
  labelIdentifierFieldName?: string;
}

export interface ObjectUpdateInput {
  nameSingular?: unknown;
  namePlural?: unknown;
  labelSingular?: unknown;
  labelPlural?: unknown;
  description?: unknown;
  icon?: unknown;
  shortcut?: unknown;
  isSearchable?: unknown;
  isAuditLogged?: unknown;
  labelIdentifierFieldName?: unknown;
  isActive?: unknown;
}

export interface FieldUpdateInput {
  name?: unknown;
  label?: unknown;
  description?: unknown;
  icon?: unknown;
  isActive?: unknown;
}

/** The first version in which the legacy types EMAIL, LINK and PHONE can no longer be chosen. */
export const LEGACY_TYPES_REMOVED_IN = '0.23';

export const MAX_LABEL_LENGTH = 200;
export const MAX_TEXT_LENGTH = 1000;

const compareVersions = (a: string, b: string): number => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return 0;
};

/** `suffixLength`: what the longest name derived from it (column, enum type, table) adds. */
const checkName = (property: string, name: unknown, kind: 'object' | 'field', suffixLength: number): string => {
  if (typeof name !== 'string' || name.length === 0) {
    throw new CustomMetadataError(property, `${property} is required: a camelCase name`);
  }
  if (!CAMEL_CASE_NAME.test(name)) {
    throw new CustomMetadataError(
      property,
      `${property} "${name.slice(0, 80)}" must be camelCase: a lowercase letter, then letters and digits`,
    );
  }
  if (name.length + suffixLength > MAX_IDENTIFIER_LENGTH) {
    throw new CustomMetadataError(
      property,
      `${property} "${name.slice(0, 80)}" is too long: at most ${MAX_IDENTIFIER_LENGTH - suffixLength} characters`,
    );
  }
  if (kind === 'object' ? isReservedObjectName(name) : isReservedFieldName(name)) {
    throw new CustomMetadataError(property, `${property} "${name}" is reserved`);
  }
  return name;
};

export const checkObjectName = (property: string, name: unknown): string => checkName(property, name, 'object', 6);

export const checkFieldName = (property: string, name: unknown): string => checkName(property, name, 'field', 20);

export const checkLabel = (property: string, label: unknown): string => {
  if (typeof label !== 'string' || label.trim().length === 0 || label.length > MAX_LABEL_LENGTH) {
    throw new CustomMetadataError(property, `${property} is required: 1 to ${MAX_LABEL_LENGTH} characters`);
  }
  const problem = displayTextProblem(label);
  if (problem) throw new CustomMetadataError(property, `${property} is not valid: ${problem}`);
  return label;
};

/** A description or an icon: text or null. */
export const checkText = (property: string, value: unknown): string | null => {
  if (value !== null && (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH)) {
    throw new CustomMetadataError(property, `${property} must be text of at most ${MAX_TEXT_LENGTH} characters, or null`);
  }
  return value;
};

/** An icon: null, or a name such as IconBuilding. */
export const checkIcon = (property: string, value: unknown): string | null => {
  if (value !== null && (typeof value !== 'string' || !ICON_PATTERN.test(value))) {
    throw new CustomMetadataError(
      property,
      `${property} ${JSON.stringify(value)?.slice(0, 80)} must be an icon name such as IconBuilding ("Icon" then letters and digits), or null`,
    );
  }
  return value;
};

/** A keyboard shortcut: null, or one capital letter. */
export const checkShortcut = (value: unknown): string | null => {
  if (value !== null && (typeof value !== 'string' || !SHORTCUT_PATTERN.test(value))) {
    throw new CustomMetadataError('shortcut', `shortcut ${JSON.stringify(value)?.slice(0, 80)} must be one capital letter (A-Z), or null`);
  }
  return value;
};

export const checkFlag = (property: string, value: unknown): boolean => {
  if (typeof value !== 'boolean') throw new CustomMetadataError(property, `${property} must be true or false`);
  return value;
};

/** The label identifier of a new custom object: one of `fields` (its starting fields) of a type that can name a record. */
export const checkLabelIdentifier = (value: unknown, fields: Array<Pick<DeclaredField, 'name' | 'type'>>): string => {
  const candidates = fields.filter((field) => LABEL_IDENTIFIER_TYPES.has(field.type)).map((field) => field.name);
  const field = fields.find((candidate) => candidate.name === value);
  if (typeof value !== 'string' || !field || !candidates.includes(value)) {
    const why = field ? `a ${field.type} field cannot name a record` : 'the object has no such field';
    throw new CustomMetadataError(
      'labelIdentifierFieldName',
      `labelIdentifierFieldName ${JSON.stringify(value)?.slice(0, 80)} cannot be used: ${why}; choose one of ${candidates.join(', ')}`,
    );
  }
  return value;
};

export const checkActive = (value: unknown): boolean => {
  if (typeof value !== 'boolean') throw new CustomMetadataError('isActive', 'isActive must be true or false');
  return value;
};

/** The properties an update gives (not undefined): at least one, each of them `known`. */
export const givenProperties = (input: object | null | undefined, known: readonly string[], taker: 'an object' | 'a field'): string[] => {
  const given = Object.keys(input ?? {}).filter((key) => (input as Record<string, unknown>)[key] !== undefined);
  const unknown = given.find((key) => !known.includes(key));
  if (unknown)
    throw new CustomMetadataError(unknown.slice(0, 80), `"${unknown.slice(0, 80)}" cannot be changed; ${taker} takes ${known.join(', ')}`);
  if (given.length === 0) throw new CustomMetadataError('body', `nothing to change: give one of ${known.join(', ')}`);
  return given;
};

/** A field made for users (or generated for them): active, not system, not unique, no settings. */
export const customField = (
  field: Omit<DeclaredField, 'isSystem' | 'isActive' | 'isDeprecated' | 'isUnique' | 'settings' | 'gate'>,
): DeclaredField => ({
  isSystem: false,
  isActive: true,
  isDeprecated: false,
  isUnique: false,
  settings: null,
  gate: null,
  ...field,
});

/** The types a user can give a new field (relations have their own endpoint); the legacy ones only on 0.22 workspaces. */
export const CREATABLE_FIELD_TYPES: readonly FieldType[] = Object.values(FieldType).filter(
  (type) => type !== FieldType.RELATION && (getFieldTypeDefinition(type).isCreatable || getFieldTypeDefinition(type).isLegacy),
);

/** The refusal of a value that names no field type, listing the ones that can be chosen. */
export const unknownFieldTypeMessage = (value: unknown): string =>
  `type "${String(value).slice(0, 40)}" is not a field type; use one of ${CREATABLE_FIELD_TYPES.join(', ')}`;

const checkType = (input: unknown, workspaceVersion: string | null): FieldType => {
  if (!isFieldType(input)) {
    throw new CustomMetadataError('type', unknownFieldTypeMessage(input));
  }
  const definition = getFieldTypeDefinition(input);
  if (input === FieldType.RICH_TEXT) {
    throw new CustomMetadataError(
      'type',
      'RICH_TEXT is a legacy type that old workspaces still hold and cannot be chosen for a new field; use RICH_TEXT_V2 (blocknote and markdown)',
    );
  }
  if (input === FieldType.TS_VECTOR) {
    throw new CustomMetadataError(
      'type',
      'TS_VECTOR fields are search fields declared with the standard objects, kept by the database; they cannot be created by users',
    );
  }
  if (definition.isLegacy && (workspaceVersion === null || compareVersions(workspaceVersion, LEGACY_TYPES_REMOVED_IN) >= 0)) {
    const replacement = { [FieldType.EMAIL]: 'EMAILS', [FieldType.LINK]: 'LINKS', [FieldType.PHONE]: 'PHONES' }[input as string];
    throw new CustomMetadataError(
      'type',
      `${input} is a legacy type and cannot be chosen for a new field since ${LEGACY_TYPES_REMOVED_IN}; use ${replacement}`,
    );
  }
  if (!definition.isCreatable && !definition.isLegacy) {
    throw new CustomMetadataError('type', `${input} fields cannot be created by users`);
  }
  if (input === FieldType.RELATION) {
    throw new CustomMetadataError('type', 'relation fields are created with the relation endpoint, not as plain fields');
  }
  return input;
};

/** The options of a field of `type`: required (values as optionValueProblem allows, once each, in any case) where the type has them, absent otherwise. */
const checkOptions = (type: FieldType, options: DeclaredSelectOption[] | null): DeclaredSelectOption[] | null => {
  if (!getFieldTypeDefinition(type).hasOptions) {
    if (options !== null) throw new CustomMetadataError('options', `a ${type} field cannot have options`);
    return null;
  }
  if (!Array.isArray(options) || options.length === 0) {
    throw new CustomMetadataError('options', `a ${type} field needs at least one option`);
  }
  for (const option of options) {
    const problem = optionValueProblem(option?.value);
    if (problem) throw new CustomMetadataError('options', problem);
  }
  const clash = optionValuesClash(options.map((option) => option.value));
  if (clash) throw new CustomMetadataError('options', clash);
  return options.map((option, position) => ({
    value: option.value,
    label: option.label === undefined || option.label === null ? option.value : checkLabel('options', option.label),
    position,
  }));
};

/** A new custom field as its input asks for it, once every rule of the input holds. */
export const customFieldOf = (input: CustomFieldInput, workspaceVersion: string | null): DeclaredField => {
  const name = checkFieldName('name', input.name);
  const label = checkLabel('label', input.label);
  const type = checkType(input.type, workspaceVersion);
  const options = checkOptions(type, input.options ?? null);
  const defaultValue = input.defaultValue ?? (type === FieldType.ARRAY ? [] : null);
  const problem = defaultValueProblem(type, defaultValue, options);
  if (problem) {
    throw new CustomMetadataError('defaultValue', `defaultValue is invalid for ${type}: ${problem}`);
  }
  const isNullable = input.isNullable ?? true;
  if (!isNullable && getFieldTypeDefinition(type).kind === 'plain' && defaultValue === null) {
    throw new CustomMetadataError('isNullable', 'a field that is not nullable needs a defaultValue');
  }
  return customField({
    standardId: '',
    name,
    type,
    label,
    description: input.description ?? null,
    icon: input.icon ?? null,
    isNullable,
    defaultValue,
    options,
    relation: null,
  });
};

/** A new custom object's names, labels and properties, once every rule of the input holds. */
export const customObjectOf = (input: CustomObjectInput): CustomObjectSpec => {
  const nameSingular = checkObjectName('nameSingular', input.nameSingular);
  const namePlural = checkObjectName('namePlural', input.namePlural);
  if (nameSingular === namePlural) {
    throw new CustomMetadataError('namePlural', 'namePlural must differ from nameSingular');
  }
  return {
    nameSingular,
    namePlural,
    labelSingular: checkLabel('labelSingular', input.labelSingular),
    labelPlural: checkLabel('labelPlural', input.labelPlural),
    description: checkText('description', input.description ?? null),
    icon: checkIcon('icon', input.icon ?? null),
    ...(input.shortcut !== undefined ? { shortcut: checkShortcut(input.shortcut) } : {}),
    ...(input.isSearchable !== undefined ? { isSearchable: checkFlag('isSearchable', input.isSearchable) } : {}),
    ...(input.isAuditLogged !== undefined ? { isAuditLogged: checkFlag('isAuditLogged', input.isAuditLogged) } : {}),
    ...(input.labelIdentifierFieldName !== undefined ? { labelIdentifierFieldName: input.labelIdentifierFieldName } : {}),
  };
};
