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
  OPTION_VALUE_PATTERN,
  UUID_PATTERN,
} from './identifier.rules';

export interface DeclarationSetInput {
  /** The standard object classes, each annotated with @WorkspaceEntity. */
  entities: EntityClass[];
  /** The class declaring the fields every custom object shares. */
  customObjectBase?: EntityClass;
  version?: string;
}

const LABEL_IDENTIFIER_TYPES = new Set([FieldType.TEXT, FieldType.FULL_NAME, FieldType.UUID]);

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
    if (labelIdentifier !== undefined) {
      const field = fields.find((candidate) => candidate.standardId === labelIdentifier);
      if (!field) {
        this.report(
          resolved,
          null,
          'invalid-label-identifier',
          `labelIdentifierStandardId ${labelIdentifier} names no field of this object`,
        );
      } else if (!LABEL_IDENTIFIER_TYPES.has(field.type)) {
        this.report(
          resolved,
          field.name,
          'invalid-label-identifier',
          `a label identifier must be TEXT, FULL_NAME or UUID, not ${field.type}`,
        );
      }
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
      if (!record.relation.inverseSideFieldKey && !isCustomBase) {
        this.report(resolved, name, 'relation-inverse-missing', 'the relation names no inverseSideFieldKey on its target');
      }
      if (record.relation.onDelete && record.relation.type !== RelationType.MANY_TO_ONE) {
        this.report(resolved, name, 'relation-on-delete-invalid', 'onDelete belongs on the MANY_TO_ONE side, which holds the foreign key');
      }
      relation = {
        type: record.relation.type,
        targetObject: targetEntity?.nameSingular ?? '',
        inverseFieldName: record.relation.inverseSideFieldKey ?? null,
        ...(record.relation.type === RelationType.MANY_TO_ONE ? { onDelete: record.relation.onDelete ?? OnDeleteAction.SET_NULL } : {}),
      };
    }

    return {
      standardId: declared.standardId,
      name,
      type,
      label: declared.label,
      description: declared.description ?? null,
      icon: declared.icon ?? null,
      isNullable: record.relation ? true : isNullable,
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

  private checkOptions(resolved: ResolvedClass, name: string, options: DeclaredField['options']): void {
    if (!options || options.length === 0) {
      this.report(resolved, name, 'select-options-missing', 'a SELECT or MULTI_SELECT field needs at least one option');
      return;
    }
    const seen = new Set<string>();
    for (const option of options) {
      if (!OPTION_VALUE_PATTERN.test(option.value ?? '')) {
        this.report(resolved, name, 'invalid-option-value', `option value "${option.value}" must be UPPER_SNAKE_CASE`);
      }
      if (seen.has(option.value)) {
        this.report(resolved, name, 'select-options-not-unique', `option value "${option.value}" appears more than once`);
      }
      seen.add(option.value);
    }
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
