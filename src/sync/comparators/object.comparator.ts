import { FieldType, RelationType } from '../../declarations/field-type';
import { ActualObject, actualFieldColumns } from '../../metadata/actual-state';
import { enumTypeName, fieldColumns, foreignKeyName } from '../../metadata/column-layout';
import { searchFunctionName } from '../../metadata/search-vector';
import { enumTypesOf, ObjectColumns, TableDependentRename } from '../changes';
import { declaredObjectRow, desiredField, DesiredObject } from '../desired-state';
import { Hazard } from '../plan';
import { Comparison, Phase } from './comparison';
import { FieldComparator } from './field.comparator';
import { sameJson } from './same-json';

/**
 * Compares objects: standard ones with their declarations (matched by standardId: created,
 * renamed, updated, turned custom or dropped), custom ones with the fields all custom objects
 * share; and the label identifier of each, once its fields exist.
 */
export class ObjectComparator {
  private readonly fields: FieldComparator;

  constructor(private readonly comparison: Comparison) {
    this.fields = new FieldComparator(comparison);
  }

  create(object: DesiredObject): void {
    const name = object.declared.nameSingular;
    const { actual } = this.comparison;
    const clash = actual.objects.find(
      (candidate) =>
        [candidate.nameSingular, candidate.namePlural].some((taken) => taken === name || taken === object.declared.namePlural) ||
        candidate.tableName === object.tableName,
    );
    if (clash || actual.live.tables.has(object.tableName)) {
      this.comparison.refuse(
        Hazard.NAME_CONFLICT,
        name,
        null,
        `the new standard object "${name}" collides with ${clash ? `the ${clash.isCustom ? 'custom ' : ''}object "${clash.nameSingular}"` : `the existing table "${object.tableName}"`}; rename that object, then run the sync again`,
      );
      return;
    }
    const objectId = this.comparison.ids.object(name)!;
    // The label identifier points at a field row: it is set once those exist (compareLabelIdentifiers).
    const { fields: _fields, labelIdentifierFieldMetadataId: _labelIdentifier, ...row } = declaredObjectRow(object, objectId, []);
    this.comparison.add(Phase.CREATE_OBJECT, {
      kind: 'CREATE_OBJECT',
      object: name,
      field: null,
      summary: `create object ${name} (table ${object.tableName}, ${object.fields.length} fields)`,
      changes: [
        {
          kind: 'createObject',
          object: row,
          enumTypes: object.fields.flatMap((field) => enumTypesOf(field.columns, field.enumValues)),
          columns: object.fields.flatMap((field) => field.columns),
          fields: object.fields.map((field) => this.fields.rowOf(name, objectId, field)),
        },
      ],
    });
    for (const field of object.fields.filter((candidate) => candidate.declared.type === FieldType.TS_VECTOR)) {
      this.fields.searchVector(name, object.tableName, field.declared, object.declared.fields, { replaces: null, backfill: false });
    }
  }

  compare(object: DesiredObject, actual: ActualObject): void {
    const name = object.declared.nameSingular;
    if (actual.nameSingular !== name) {
      this.rename(object, actual);
    }
    const desiredValues: ObjectColumns = {
      namePlural: object.declared.namePlural,
      labelSingular: object.declared.labelSingular,
      labelPlural: object.declared.labelPlural,
      description: object.declared.description,
      icon: object.declared.icon,
      isSystem: object.declared.isSystem,
    };
    const changed = (Object.keys(desiredValues) as Array<keyof ObjectColumns>).filter((key) => !sameJson(actual[key], desiredValues[key]));
    if (changed.length > 0) {
      this.comparison.add(Phase.FIELD, {
        kind: 'UPDATE_OBJECT',
        object: name,
        field: null,
        summary: `update object ${name}: ${changed.join(', ')}`,
        changes: [{ kind: 'updateObject', objectId: actual.id, set: Object.fromEntries(changed.map((key) => [key, desiredValues[key]])) }],
      });
    }
    this.fields.compare(name, object.tableName, actual, object.fields, object.declared.fields);
  }

  private rename(object: DesiredObject, actual: ActualObject): void {
    const name = object.declared.nameSingular;
    const { live } = this.comparison.actual;
    const clash = this.comparison.actual.objects.find(
      (candidate) => candidate !== actual && (candidate.nameSingular === name || candidate.tableName === object.tableName),
    );
    if (clash) {
      this.comparison.refuse(
        Hazard.NAME_CONFLICT,
        name,
        null,
        `object "${actual.nameSingular}" is renamed to "${name}", which the object "${clash.nameSingular}" already uses; rename that object, then run the sync again`,
      );
      return;
    }
    // The names of enum types and foreign keys begin with the table's: they follow it.
    const dependents: TableDependentRename[] = [];
    for (const field of actual.fields) {
      if (field.type === FieldType.TS_VECTOR) {
        dependents.push({
          of: 'function',
          from: searchFunctionName(actual.tableName, field.name),
          to: searchFunctionName(object.tableName, field.name),
        });
      }
      for (const column of actualFieldColumns(field, actual.tableName)) {
        if (column.enumName && live.enums.has(column.enumName)) {
          dependents.push({ of: 'enumType', from: column.enumName, to: enumTypeName(object.tableName, column.name) });
        }
      }
      if (field.relationType === RelationType.MANY_TO_ONE) {
        const column = fieldColumns({
          name: field.name,
          type: field.type,
          relation: { type: RelationType.MANY_TO_ONE, targetObject: '', inverseFieldName: null },
        })[0];
        const oldName = foreignKeyName(actual.tableName, column);
        if (live.foreignKeys.some((candidate) => candidate.name === oldName)) {
          const newName = foreignKeyName(object.tableName, column);
          dependents.push({ of: 'foreignKey', from: oldName, to: newName });
          this.comparison.renamedForeignKeys.set(oldName, newName);
        }
      }
    }
    this.comparison.add(Phase.RENAME, {
      kind: 'RENAME_OBJECT',
      object: name,
      field: null,
      summary: `rename object ${actual.nameSingular} to ${name} (table ${actual.tableName} -> ${object.tableName})`,
      changes: [
        {
          kind: 'renameObject',
          objectId: actual.id,
          nameSingular: name,
          tableName: { from: actual.tableName, to: object.tableName },
          dependents,
        },
      ],
    });
  }

  /** Standard objects no longer declared: kept as custom, or dropped when DROPS_DATA is allowed. */
  compareRemoved(matched: Set<ActualObject>): void {
    const only = this.comparison.options.compareOnly;
    const removed = this.comparison.actual.objects.filter(
      (object) => !object.isCustom && !matched.has(object) && (!only || only.has(object.standardId ?? '')),
    );
    for (const actual of removed) {
      if (this.comparison.hazards.allows(Hazard.DROPS_DATA)) {
        this.comparison.add(Phase.DROP, {
          kind: 'DROP_OBJECT',
          object: actual.nameSingular,
          field: null,
          hazard: Hazard.DROPS_DATA,
          summary: `drop object ${actual.nameSingular} and its table ${actual.tableName}`,
          changes: [
            {
              kind: 'dropObject',
              objectId: actual.id,
              tableName: actual.tableName,
              functions: actual.fields
                .filter((field) => field.type === FieldType.TS_VECTOR)
                .map((field) => searchFunctionName(actual.tableName, field.name)),
            },
          ],
        });
      } else {
        this.comparison.add(Phase.FIELD, {
          kind: 'TURN_OBJECT_CUSTOM',
          object: actual.nameSingular,
          field: null,
          summary: `object ${actual.nameSingular} is no longer declared: kept, with its data, as a custom object`,
          changes: [{ kind: 'turnObjectCustom', objectId: actual.id }],
        });
      }
    }
  }

  /** Custom objects get the fields every custom object shares (relations are added with the object itself). */
  compareCustomObjects(): void {
    const { desired, actual } = this.comparison;
    const shared = desired.customObjectFields.filter((field) => field.type !== FieldType.RELATION && !field.isDeprecated);
    for (const object of actual.objects.filter((candidate) => candidate.isCustom)) {
      const fields = shared.map((field) => desiredField(field, object.tableName));
      this.comparison.ids.assignShared(object, fields);
      this.fields.compare(object.nameSingular, object.tableName, object, fields, desired.customObjectFields, { keepUnmatched: true });
    }
  }

  compareLabelIdentifiers(matches: Map<DesiredObject, ActualObject>): void {
    for (const object of this.comparison.comparedObjects()) {
      const name = object.declared.nameSingular;
      const actual = matches.get(object);
      const standardId = object.declared.labelIdentifierStandardId;
      const field = standardId ? object.fields.find((candidate) => candidate.declared.standardId === standardId) : undefined;
      const fieldId = field ? this.comparison.ids.field(name, field.declared.name)! : null;
      if (!actual && this.comparison.isRefused(name)) continue;
      if ((actual?.labelIdentifierFieldMetadataId ?? null) === fieldId) continue;
      this.comparison.add(Phase.FINAL, {
        kind: 'UPDATE_OBJECT',
        object: name,
        field: field?.declared.name ?? null,
        summary: `set the label identifier of ${name} to ${field?.declared.name ?? 'none'}`,
        changes: [{ kind: 'setLabelIdentifier', objectId: this.comparison.ids.object(name)!, fieldId }],
      });
    }
  }
}
