import { fieldColumns, indexEntryColumns, indexName } from './column-names';
import { DeclarationError, DeclarationIssue, DeclarationRule } from './declaration.error';
import { declarationStorage, EntityClass, PropertyRecord } from './declaration.storage';
import { checkObjectIdentity, checkRelations } from './declaration-set.checks';
import { resolveClass, ResolvedClass, ResolvedProperty } from './resolved-class';
import { DeclaredField, DeclaredIndex, DeclaredObject, DeclaredSchema } from './declared-schema';
import { defaultValueProblem } from './default-value.rules';
import { FieldType, isFieldType, OnDeleteAction, RelationType } from './field-type';
import { getFieldTypeDefinition } from './field-type.registry';
import { searchFieldProblems } from './search-fields';
import {
  CAMEL_CASE_NAME,
  isReservedFieldName,
  isReservedObjectName,
  MAX_IDENTIFIER_LENGTH,
  optionValueProblem,
  optionValuesClash,
  UUID_PATTERN,
} from './identifier.rules';

export interface DeclarationSetInput {
  /** The standard object classes, each annotated with @WorkspaceEntity. */
  entities: EntityClass[];
  /** The class declaring the fields every custom object shares. */
  customObjectBase?: EntityClass;
  version?: string;
}

/** Why a field of `type` cannot be @WorkspaceIsUnique, or null. */
const uniqueProblem = (type: FieldType, relationType: RelationType | null): string | null => {
  const definition = getFieldTypeDefinition(type);
  if (definition.kind === 'composite' && !definition.primarySubfield) {
    return `@WorkspaceIsUnique on a field of type ${type}: a composite is unique on its primary subfield, and ${type} has none (only EMAILS, LINKS and PHONES do); declare a unique @WorkspaceIndex on the subfields meant instead`;
  }
  if (relationType === RelationType.ONE_TO_MANY) {
    return '@WorkspaceIsUnique on a ONE_TO_MANY relation, which holds no column; put it on the MANY_TO_ONE side';
  }
  return null;
};

export const LABEL_IDENTIFIER_TYPES = new Set([FieldType.TEXT, FieldType.FULL_NAME, FieldType.UUID]);
/** A record's image: an image URL (TEXT), or the logo of a domain (LINKS). */
const IMAGE_IDENTIFIER_TYPES = new Set([FieldType.TEXT, FieldType.LINKS]);
export const SHORTCUT_PATTERN = /^[A-Z]$/;
export const ICON_PATTERN = /^Icon[A-Za-z0-9]+$/;

/**
 * Turns a set of decorated classes into the declared state, checking every rule first. Any
 * declaration set is accepted, not only the standard one; all problems are reported at once.
 */
export class DeclarationSetBuilder {
  private readonly issues: DeclarationIssue[] = [];
  private readonly classes: ResolvedClass[];
  private readonly customBase: ResolvedClass | undefined;
  private readonly sources = new Map<DeclaredObject, ResolvedClass>();

  constructor(private readonly input: DeclarationSetInput) {
    this.classes = input.entities.map(resolveClass);
    this.customBase = input.customObjectBase ? resolveClass(input.customObjectBase) : undefined;
    for (const resolved of this.classes) this.expandTargets(resolved);
  }

  /**
   * A target object's `@WorkspaceTargets` becomes the relations it stands for, as if declared
   * property by property: one on the target object per targeted object (after its own properties),
   * and the shared field of custom objects on the custom-object base.
   */
  private expandTargets(resolved: ResolvedClass): void {
    const targets = resolved.record?.targets;
    if (!targets) return;
    const generated: ResolvedProperty[] = [];
    for (const object of targets.objects()) {
      const entity = declarationStorage.find(object)?.entity;
      if (!entity) {
        this.report(resolved, null, 'relation-target-unknown', `@WorkspaceTargets names ${object?.name}, which has no @WorkspaceEntity`);
        continue;
      }
      const standardId = targets.standardIds[entity.nameSingular];
      if (standardId === undefined) {
        this.report(resolved, null, 'invalid-standard-id', `@WorkspaceTargets gives no standardId for ${entity.nameSingular}`);
        continue;
      }
      generated.push({
        owner: resolved.target,
        record: {
          propertyName: entity.nameSingular,
          relation: {
            standardId,
            type: RelationType.MANY_TO_ONE,
            label: entity.labelSingular,
            description: targets.description?.(entity.nameSingular),
            icon: entity.icon,
            inverseSideTarget: () => object,
            inverseSideFieldKey: targets.inverseSideFieldKey,
            onDelete: targets.onDelete ?? OnDeleteAction.CASCADE,
          },
          isNullable: true,
          index: {},
        },
      });
    }
    const own = (of: ResolvedClass) => of.properties.filter((property) => property.owner === of.target).length;
    resolved.properties.splice(own(resolved), 0, ...generated);
    const custom = targets.customObjects;
    if (!custom) return;
    if (!this.customBase) {
      this.report(
        resolved,
        null,
        'relation-target-unknown',
        '@WorkspaceTargets targets custom objects, but the set has no custom-object base',
      );
      return;
    }
    this.customBase.properties.splice(own(this.customBase), 0, {
      owner: this.customBase.target,
      record: {
        propertyName: targets.inverseSideFieldKey,
        relation: {
          standardId: custom.standardId,
          type: RelationType.ONE_TO_MANY,
          label: custom.label,
          description: custom.description,
          icon: custom.icon,
          inverseSideTarget: () => resolved.target,
        },
      },
    });
  }

  static build(input: DeclarationSetInput): DeclaredSchema {
    return new DeclarationSetBuilder(input).build();
  }

  build(): DeclaredSchema {
    const objects: DeclaredObject[] = [];
    for (const resolved of this.classes) {
      const entity = resolved.record?.entity;
      if (!entity) {
        this.report(resolved, null, 'missing-entity-decorator', 'the class is not annotated with @WorkspaceEntity');
        continue;
      }
      const object = this.buildObject(resolved);
      this.sources.set(object, resolved);
      objects.push(object);
    }
    const customObjectFields = this.customBase ? this.buildFields(this.customBase, true) : [];

    const report = this.report.bind(this);
    checkObjectIdentity(objects, this.sources, report);
    for (const object of objects) {
      checkRelations(object, this.sources.get(object)!, this.classes, report);
    }
    if (this.issues.length > 0) {
      throw new DeclarationError(this.issues);
    }
    return { version: this.input.version ?? null, objects, customObjectFields };
  }

  private report(resolved: ResolvedClass | string, propertyName: string | null, rule: DeclarationRule, message: string): void {
    const className = typeof resolved === 'string' ? resolved : resolved.className;
    this.issues.push({ className, propertyName, rule, message });
  }

  private buildObject(resolved: ResolvedClass): DeclaredObject {
    const entity = resolved.record!.entity!;
    if (!UUID_PATTERN.test(entity.standardId ?? '')) {
      this.report(resolved, null, 'invalid-standard-id', `standardId "${entity.standardId}" is not a UUID`);
    }
    for (const name of [entity.nameSingular, entity.namePlural]) {
      this.checkName(resolved, null, name, 'object');
    }
    const fields = this.buildFields(resolved, false);
    this.checkSearchFields(resolved, fields);

    const labelIdentifier = entity.labelIdentifierStandardId;
    this.checkIdentifier(resolved, fields, 'label', labelIdentifier, LABEL_IDENTIFIER_TYPES);
    this.checkIdentifier(resolved, fields, 'image', entity.imageIdentifierStandardId, IMAGE_IDENTIFIER_TYPES);
    if (entity.shortcut !== undefined && !SHORTCUT_PATTERN.test(entity.shortcut)) {
      this.report(resolved, null, 'invalid-object-property', `shortcut "${entity.shortcut}" must be one capital letter (A-Z)`);
    }
    if (entity.icon !== undefined && !ICON_PATTERN.test(entity.icon)) {
      this.report(resolved, null, 'invalid-object-property', `icon "${entity.icon}" must be an icon name such as IconBuilding`);
    }
    for (const flag of ['isSearchable', 'isAuditLogged'] as const) {
      if (entity[flag] !== undefined && typeof entity[flag] !== 'boolean') {
        this.report(resolved, null, 'invalid-object-property', `${flag} must be true or false, not ${JSON.stringify(entity[flag])}`);
      }
    }
    if (entity.isSearchable === true && labelIdentifier === undefined) {
      this.report(
        resolved,
        null,
        'invalid-object-property',
        'a searchable object needs a labelIdentifierStandardId: search results show each record by its label identifier',
      );
    }

    return {
      standardId: entity.standardId,
      nameSingular: entity.nameSingular,
      namePlural: entity.namePlural,
      labelSingular: entity.labelSingular,
      labelPlural: entity.labelPlural,
      description: entity.description ?? null,
      icon: entity.icon ?? null,
      isSystem: resolved.record!.isSystem ?? false,
      labelIdentifierStandardId: labelIdentifier ?? null,
      ...(entity.imageIdentifierStandardId !== undefined ? { imageIdentifierStandardId: entity.imageIdentifierStandardId } : {}),
      ...(entity.shortcut !== undefined ? { shortcut: entity.shortcut } : {}),
      ...(entity.isSearchable !== undefined ? { isSearchable: entity.isSearchable } : {}),
      ...(entity.isAuditLogged !== undefined ? { isAuditLogged: entity.isAuditLogged } : {}),
      gate: resolved.record!.gate ?? null,
      fields,
      indexes: this.buildIndexes(resolved, entity.nameSingular, fields),
    };
  }

  /** At most one search field per object, naming fields of the object it can index. */
  private checkSearchFields(resolved: ResolvedClass, fields: DeclaredField[]): void {
    const searchFields = fields.filter((field) => field.type === FieldType.TS_VECTOR);
    for (const field of searchFields) {
      for (const problem of searchFieldProblems(field, fields)) this.report(resolved, field.name, 'invalid-search-field', problem);
    }
    for (const extra of searchFields.slice(1)) {
      this.report(
        resolved,
        extra.name,
        'invalid-search-field',
        `an object has at most one TS_VECTOR field; "${searchFields[0].name}" is one already: name every field it indexes there`,
      );
    }
  }

  /** A label or image identifier must name a field of the object, of a suitable type, that is created (not deprecated). */
  private checkIdentifier(
    resolved: ResolvedClass,
    fields: DeclaredField[],
    what: 'label' | 'image',
    standardId: string | undefined,
    types: ReadonlySet<FieldType>,
  ): void {
    if (standardId === undefined) return;
    const rule = what === 'label' ? 'invalid-label-identifier' : 'invalid-image-identifier';
    const field = fields.find((candidate) => candidate.standardId === standardId);
    if (!field) {
      this.report(resolved, null, rule, `${what}IdentifierStandardId ${standardId} names no field of this object`);
    } else if (!types.has(field.type)) {
      this.report(
        resolved,
        field.name,
        rule,
        `${what === 'image' ? 'an' : 'a'} ${what} identifier must be ${[...types].join(', ').replace(/, (\w+)$/, ' or $1')}, not ${field.type}`,
      );
    } else if (field.isDeprecated) {
      this.report(
        resolved,
        field.name,
        rule,
        `${what === 'image' ? 'an' : 'a'} ${what} identifier cannot be a deprecated field, which new workspaces do not get`,
      );
    }
  }

  private checkName(resolved: ResolvedClass, propertyName: string | null, name: string, kind: 'object' | 'field'): void {
    if (typeof name !== 'string' || !CAMEL_CASE_NAME.test(name)) {
      this.report(
        resolved,
        propertyName,
        'invalid-name',
        `${kind} name "${name}" must be camelCase: a lowercase letter, then letters and digits`,
      );
    } else if (kind === 'object' ? isReservedObjectName(name) : isReservedFieldName(name)) {
      this.report(resolved, propertyName, 'reserved-name', `${kind} name "${name}" is reserved`);
    } else if (name.length > MAX_IDENTIFIER_LENGTH - 1) {
      this.report(resolved, propertyName, 'name-too-long', `${kind} name "${name}" is longer than ${MAX_IDENTIFIER_LENGTH - 1} characters`);
    }
  }

  private buildFields(resolved: ResolvedClass, isCustomBase: boolean): DeclaredField[] {
    const fields: DeclaredField[] = [];
    const byName = new Map<string, ResolvedProperty>();
    const byStandardId = new Map<string, string>();
    const own = resolved.properties.filter((property) => property.owner === resolved.target);
    const inherited = resolved.properties.filter((property) => property.owner !== resolved.target);

    for (const property of [...own, ...inherited]) {
      const { record } = property;
      const name = record.propertyName;
      if (!record.field && !record.relation) {
        this.report(
          resolved,
          name,
          'missing-field-decorator',
          'the property has workspace decorators but neither @WorkspaceField nor @WorkspaceRelation',
        );
        continue;
      }
      if (record.field && record.relation) {
        this.report(resolved, name, 'duplicate-field-name', 'the property is declared both as a field and as a relation');
        continue;
      }
      const previous = byName.get(name);
      if (previous) {
        this.report(
          resolved,
          name,
          'duplicate-field-name',
          `field "${name}" is declared twice (in ${previous.owner.name} and ${property.owner.name})`,
        );
        continue;
      }
      byName.set(name, property);

      const field = this.buildField(resolved, record, isCustomBase);
      if (!field) {
        continue;
      }
      const sameStandardId = byStandardId.get(field.standardId);
      if (sameStandardId) {
        this.report(resolved, name, 'duplicate-standard-id', `standardId ${field.standardId} is already used by field "${sameStandardId}"`);
      }
      byStandardId.set(field.standardId, name);
      fields.push(field);
    }
    this.checkColumns(resolved, fields);
    return fields;
  }

  private buildField(resolved: ResolvedClass, record: PropertyRecord, isCustomBase: boolean): DeclaredField | null {
    const name = record.propertyName;
    const declared = record.field ?? record.relation!;
    const type = record.relation ? FieldType.RELATION : record.field!.type;

    if (!UUID_PATTERN.test(declared.standardId ?? '')) {
      this.report(resolved, name, 'invalid-standard-id', `standardId "${declared.standardId}" is not a UUID`);
    }
    this.checkName(resolved, name, name, 'field');
    if (!isFieldType(type)) {
      this.report(
        resolved,
        name,
        'unknown-field-type',
        `"${String(type)}" is not a field type (known: ${Object.values(FieldType).join(', ')})`,
      );
      return null;
    }
    if (isCustomBase && type === FieldType.TS_VECTOR) {
      this.report(resolved, name, 'invalid-search-field', 'the fields every custom object shares cannot include a TS_VECTOR field');
      return null;
    }
    if (record.field && type === FieldType.RELATION) {
      this.report(resolved, name, 'unknown-field-type', 'RELATION fields are declared with @WorkspaceRelation');
      return null;
    }

    const definition = getFieldTypeDefinition(type);
    const options = record.field?.options ?? null;
    if (definition.hasOptions) {
      this.checkOptions(resolved, name, options);
    } else if (options !== null) {
      this.report(resolved, name, 'options-not-allowed', `a ${type} field cannot have options`);
    }

    const defaultValue = record.field?.defaultValue ?? null;
    const problem = defaultValueProblem(type, defaultValue, options);
    if (problem) {
      this.report(resolved, name, 'invalid-default-value', `default ${JSON.stringify(defaultValue)} is invalid for ${type}: ${problem}`);
    }
    const isNullable = record.isNullable ?? false;
    if (!isNullable && definition.kind === 'plain' && defaultValue === null) {
      this.report(
        resolved,
        name,
        'non-nullable-without-default',
        'a field that is not @WorkspaceIsNullable needs a defaultValue, or adding it to a table with rows fails',
      );
    }

    if (record.isUnique) {
      const problem = uniqueProblem(type, record.relation?.type ?? null);
      if (problem) this.report(resolved, name, 'unique-not-supported', problem);
    }

    let relation: DeclaredField['relation'] = null;
    if (record.relation) {
      const target = record.relation.inverseSideTarget?.();
      const targetEntity = target ? declarationStorage.find(target)?.entity : undefined;
      const inTheSet = target !== undefined && this.classes.some((candidate) => candidate.target === target);
      if (!targetEntity || !inTheSet) {
        this.report(
          resolved,
          name,
          'relation-target-unknown',
          `the relation's target ${target?.name ?? '(none)'} is not an object of this declaration set`,
        );
      }
      this.checkRelationSides(resolved, record, isCustomBase);
      relation = {
        type: record.relation.type,
        targetObject: targetEntity?.nameSingular ?? '',
        inverseFieldName: record.relation.inverseSideFieldKey ?? null,
        ...(record.relation.type === RelationType.MANY_TO_ONE ? { onDelete: this.onDeleteRule(resolved, record) } : {}),
      };
    }
    const isRequired = record.relation?.type === RelationType.MANY_TO_ONE && record.relation.isRequired === true;

    return {
      standardId: declared.standardId,
      name,
      type,
      label: declared.label,
      description: declared.description ?? null,
      icon: declared.icon ?? null,
      isNullable: record.relation ? !isRequired : isNullable,
      isSystem: record.isSystem ?? false,
      isActive: !(record.isInactive ?? false),
      isDeprecated: record.isDeprecated ?? false,
      isUnique: record.isUnique ?? false,
      defaultValue,
      options,
      settings: record.field?.settings ?? null,
      relation,
      gate: record.gate ?? null,
    };
  }

  /**
   * The on-delete rule of a relation, on its MANY_TO_ONE side (the foreign key's): declared on
   * either side, once; else RESTRICT for a required relation and SET_NULL for an optional one.
   */
  private onDeleteRule(resolved: ResolvedClass, record: PropertyRecord): OnDeleteAction {
    const relation = record.relation!;
    const name = record.propertyName;
    const target = relation.inverseSideTarget?.();
    const inverse =
      target && relation.inverseSideFieldKey
        ? resolveClass(target).properties.find((property) => property.record.propertyName === relation.inverseSideFieldKey)
        : undefined;
    const here = relation.onDelete;
    const there = inverse?.record.relation?.type === RelationType.ONE_TO_MANY ? inverse.record.relation.onDelete : undefined;
    if (here && there && here !== there) {
      this.report(
        resolved,
        name,
        'relation-on-delete-conflict',
        `onDelete is ${here} here and ${there} on ${target!.name}.${relation.inverseSideFieldKey}; a relation has one rule: declare it on one side, or the same on both`,
      );
    }
    const rule = here ?? there ?? (relation.isRequired ? OnDeleteAction.RESTRICT : OnDeleteAction.SET_NULL);
    if (relation.isRequired && rule === OnDeleteAction.SET_NULL) {
      this.report(
        resolved,
        name,
        'relation-required-invalid',
        'a required relation cannot set its foreign key to NULL on delete: declare onDelete CASCADE, RESTRICT or NO_ACTION',
      );
    }
    return rule;
  }

  private checkRelationSides(resolved: ResolvedClass, record: PropertyRecord, isCustomBase: boolean): void {
    const relation = record.relation!;
    const name = record.propertyName;
    if (!relation.inverseSideFieldKey && !isCustomBase) {
      this.report(resolved, name, 'relation-inverse-missing', 'the relation names no inverseSideFieldKey on its target');
    }
    if (relation.type === RelationType.MANY_TO_ONE) return;
    if (relation.onDelete && !relation.inverseSideFieldKey) {
      this.report(
        resolved,
        name,
        'relation-on-delete-invalid',
        'onDelete on a ONE_TO_MANY side applies to the foreign key of its inverse field: name it with inverseSideFieldKey',
      );
    }
    if (relation.isRequired) {
      this.report(resolved, name, 'relation-required-invalid', 'isRequired belongs on the MANY_TO_ONE side, which holds the foreign key');
    }
  }

  private checkOptions(resolved: ResolvedClass, name: string, options: DeclaredField['options']): void {
    if (!options || options.length === 0) {
      this.report(resolved, name, 'select-options-missing', 'a SELECT or MULTI_SELECT field needs at least one option');
      return;
    }
    for (const option of options) {
      const problem = optionValueProblem(option.value);
      if (problem) this.report(resolved, name, 'invalid-option-value', problem);
    }
    const clash = optionValuesClash(options.map((option) => option.value).filter((value) => typeof value === 'string'));
    if (clash) this.report(resolved, name, 'select-options-not-unique', clash);
    const ids = options.filter((option) => option.id !== undefined).map((option) => option.id!);
    for (const id of ids.filter((candidate) => !UUID_PATTERN.test(candidate))) {
      this.report(resolved, name, 'invalid-option-value', `option id "${id}" is not a UUID`);
    }
    const duplicateId = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicateId) this.report(resolved, name, 'select-options-not-unique', `option id ${duplicateId} appears more than once`);
  }

  private checkColumns(resolved: ResolvedClass, fields: DeclaredField[]): void {
    const owners = new Map<string, string>();
    for (const field of fields) {
      for (const column of fieldColumns(field)) {
        const owner = owners.get(column);
        if (owner !== undefined) {
          this.report(
            resolved,
            field.name,
            'column-name-collision',
            `column "${column}" of field "${field.name}" is also a column of field "${owner}"`,
          );
        } else if (column.length > MAX_IDENTIFIER_LENGTH) {
          this.report(resolved, field.name, 'name-too-long', `column "${column}" is longer than ${MAX_IDENTIFIER_LENGTH} characters`);
        }
        owners.set(column, field.name);
      }
    }
  }

  private buildIndexes(resolved: ResolvedClass, tableName: string, fields: DeclaredField[]): DeclaredIndex[] {
    const declared = [
      ...(resolved.record?.indexes ?? []).map((index) => ({ ...index, propertyName: null as string | null })),
      ...resolved.properties
        .filter((property) => property.record.index)
        .map(({ record }) => ({ ...record.index!, fields: [record.propertyName], propertyName: record.propertyName })),
    ];
    const indexes: DeclaredIndex[] = [];
    for (const index of declared) {
      const columns: string[] = [];
      for (const entry of index.fields) {
        const entryColumns = indexEntryColumns(fields, entry);
        if (entryColumns.length === 0) {
          this.report(
            resolved,
            index.propertyName,
            'index-unknown-field',
            `index names "${entry}", which is no column-holding field (or subfield) of this object`,
          );
          continue;
        }
        if (fields.find((field) => field.name === entry.split('.')[0])?.type === FieldType.TS_VECTOR) {
          this.report(
            resolved,
            index.propertyName,
            'invalid-search-field',
            `index names "${entry}", a TS_VECTOR field: it gets its GIN index without a declaration; remove it from the index`,
          );
          continue;
        }
        columns.push(...entryColumns);
      }
      const isUnique = index.isUnique ?? false;
      indexes.push({
        name: index.name ?? indexName(tableName, columns, isUnique),
        fields: index.fields,
        isUnique,
        where: index.where ?? null,
      });
    }
    return indexes;
  }
}
