import { DeclaredField } from '../declarations/declared-schema';
import { FieldType, RelationType } from '../declarations/field-type';
import { getFieldTypeDefinition } from '../declarations/field-type.registry';
import { qualified, quoteIdentifier } from '../database/sql';
import { ActualField, ActualObject, ActualState, actualFieldColumns, emptyLiveSchema, LiveForeignKey, VIEW_OBJECTS_WITH_FIELDS } from '../metadata/actual-state';
import { deterministicUuid } from './deterministic-id';
import { declaredObjectRow, desiredField, DesiredField, DesiredObject, DesiredState, IndexSpec } from './desired-state';
import { columnSql, createEnumSql } from './ddl';
import { Hazard, PlanAction, Plan, PreflightCheck, Refusal } from './plan';
import { Addition } from './sync-scope';
import { ColumnSpec, enumTypeName, fieldColumns, foreignKeyName } from '../metadata/column-layout';
import { SqlStatement } from '../database/sql-statement';

export interface CompareOptions {
  /** Hazards the operator allowed (--allow-hazards). */
  allowHazards?: ReadonlySet<Hazard>;
  /** The command that migrates type changes for this workspace, named in the refusal. */
  upgradeCommand?: string | null;
  /** Above this many (estimated) rows, a locking scan or index build counts as BLOCKS_WRITES. */
  largeTableRows?: number;
  /**
   * Compare only the standard objects with these standardIds; the other objects of the desired
   * and actual states give their ids (relation targets) and are otherwise left alone.
   */
  compareOnly?: ReadonlySet<string>;
}

export const DEFAULT_LARGE_TABLE_ROWS = 100_000;

/** Statement order inside one transaction: drops of names first, creates before references, data drops last. */
enum Phase {
  SCHEMA,
  RENAME,
  CREATE_OBJECT,
  FIELD,
  FOREIGN_KEY,
  INDEX,
  DROP,
  FINAL,
}

const FIELD_METADATA_COLUMNS = [
  'id', 'workspaceId', 'objectMetadataId', 'standardId', 'name', 'label', 'type', 'description', 'icon', 'isCustom',
  'isSystem', 'isActive', 'isNullable', 'isUnique', 'isDeprecated', 'defaultValue', 'options', 'settings',
  'relationType', 'relationTargetObjectMetadataId', 'relationTargetFieldMetadataId', 'onDelete',
] as const;
const JSONB_COLUMNS = new Set(['defaultValue', 'options', 'settings']);

/**
 * Equality of two JSON values, ignoring key order (jsonb does not keep it). As JSON.stringify has
 * it: an undefined property is absent, undefined in an array or at the top is null.
 */
const sameJson = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => sameJson(item, other[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  return keys.length === Object.keys(right).filter((key) => right[key] !== undefined).length && keys.every((key) => right[key] !== undefined && sameJson(left[key], right[key]));
};

const jsonParam = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * Compares the desired state with a workspace's actual state and returns the plan that turns one
 * into the other. Pure: no I/O; ids of new metadata rows derive from the workspace and standardIds.
 */
export class WorkspaceComparator {
  private readonly phases = new Map<Phase, PlanAction[]>();
  private readonly refusals: Refusal[] = [];
  private readonly usedIds: Set<string>;
  private readonly objectIds = new Map<string, string>();
  private readonly fieldIds = new Map<string, string>();
  /** Foreign keys renamed by this plan: old name -> new name. */
  private readonly renamedForeignKeys = new Map<string, string>();
  private readonly schema: string;
  private readonly allowHazards: ReadonlySet<Hazard>;
  private readonly largeTableRows: number;

  private constructor(
    private readonly desired: DesiredState,
    private readonly actual: ActualState,
    private readonly options: CompareOptions,
  ) {
    this.schema = actual.schemaName;
    this.allowHazards = options.allowHazards ?? new Set();
    this.largeTableRows = options.largeTableRows ?? DEFAULT_LARGE_TABLE_ROWS;
    this.usedIds = new Set(actual.objects.flatMap((object) => [object.id, ...object.fields.map((field) => field.id)]));
  }

  static compare(desired: DesiredState, actual: ActualState, options: CompareOptions = {}): Plan {
    return new WorkspaceComparator(desired, actual, options).compare();
  }

  private compare(): Plan {
    if (!this.actual.live.exists) {
      this.add(Phase.SCHEMA, {
        kind: 'CREATE_SCHEMA',
        object: '',
        field: null,
        summary: `create schema ${this.schema}`,
        statements: [{ sql: `CREATE SCHEMA ${quoteIdentifier(this.schema)}` }],
      });
    }
    const matches = this.assignIds();
    for (const object of this.comparedObjects()) {
      const actual = matches.get(object);
      if (actual) {
        this.compareObject(object, actual);
      } else {
        this.createObject(object);
      }
    }
    this.compareRemovedObjects(new Set(matches.values()));
    this.compareCustomObjects();
    this.compareForeignKeys();
    this.compareIndexes(matches);
    this.compareLabelIdentifiers(matches);
    return this.plan();
  }

  /**
   * The plan that gives a workspace its `additions`, when it is known (by its fingerprint) to hold
   * their objects as declared before, under `objectIds` (in the order of `additions`): what
   * compare() plans for such a workspace, made without reading it. Nothing here checks that the
   * workspace is so: the caller does, under the workspace's lock, before the plan runs
   * (additionsExpectation).
   */
  static planAdditions(desired: DesiredState, workspaceId: string, schemaName: string, additions: readonly Addition[], objectIds: readonly string[]): Plan {
    const objects = additions.map(({ object }, index) => declaredObjectRow(object, objectIds[index], []));
    const actual: ActualState = { workspaceId, schemaName, objects, indexes: [], live: { ...emptyLiveSchema(), exists: true } };
    const comparator = new WorkspaceComparator(desired, actual, {});
    additions.forEach(({ object, fields }, index) => {
      const name = object.declared.nameSingular;
      comparator.objectIds.set(name, objects[index].id);
      for (const field of fields) {
        comparator.fieldIds.set(`${name}.${field.declared.name}`, comparator.newId('field', object.declared.standardId, field.declared.standardId, field.declared.type));
        comparator.createField(name, object.tableName, objects[index], field);
      }
    });
    return comparator.plan();
  }

  /** The actions added so far in statement order, and the refusals, with those of hazards not allowed. */
  private plan(): Plan {
    const actions = [...this.phases.keys()].sort((a, b) => a - b).flatMap((phase) => this.phases.get(phase)!);
    for (const action of actions) {
      if (action.hazard && !this.allowHazards.has(action.hazard)) {
        this.refuse(action.hazard, action.object, action.field, `${action.summary}: this is ${action.hazard}; pass --allow-hazards ${action.hazard} to apply it`);
      }
    }
    return { actions, refusals: this.refusals };
  }

  /** The desired objects to compare: all, or those `compareOnly` names. */
  private comparedObjects(): DesiredObject[] {
    const only = this.options.compareOnly;
    return only ? this.desired.objects.filter((object) => only.has(object.declared.standardId)) : this.desired.objects;
  }

  private add(phase: Phase, action: Omit<PlanAction, 'hazard' | 'preflight'> & Partial<Pick<PlanAction, 'hazard' | 'preflight'>>): void {
    const list = this.phases.get(phase) ?? [];
    list.push({ hazard: null, preflight: [], ...action });
    this.phases.set(phase, list);
  }

  private refuse(hazard: Hazard, object: string, field: string | null, message: string): void {
    this.refusals.push({ hazard, object, field, message });
  }

  private newId(...parts: string[]): string {
    let id = deterministicUuid(this.actual.workspaceId, ...parts);
    for (let attempt = 1; this.usedIds.has(id); attempt += 1) {
      id = deterministicUuid(this.actual.workspaceId, ...parts, String(attempt));
    }
    this.usedIds.add(id);
    return id;
  }

  /** Matches desired objects and fields to actual ones by standardId, and gives new ones their ids. */
  private assignIds(): Map<DesiredObject, ActualObject> {
    const standardObjects = new Map(
      this.actual.objects.filter((object) => !object.isCustom && object.standardId).map((object) => [object.standardId!, object]),
    );
    const matches = new Map<DesiredObject, ActualObject>();
    const only = this.options.compareOnly;
    for (const object of this.desired.objects) {
      const actual = standardObjects.get(object.declared.standardId);
      if (actual) matches.set(object, actual);
      const objectId = actual?.id ?? this.newId('object', object.declared.standardId);
      this.objectIds.set(object.declared.nameSingular, objectId);
      // An object that is not compared is there for the ids of the fields read with it; no other
      // field of it is referred to.
      const referredOnly = only !== undefined && !only.has(object.declared.standardId);
      for (const field of object.fields) {
        const existing = actual?.fields.find((candidate) => !candidate.isCustom && candidate.standardId === field.declared.standardId);
        if (!existing && referredOnly) continue;
        this.fieldIds.set(
          `${object.declared.nameSingular}.${field.declared.name}`,
          existing?.id ?? this.newId('field', object.declared.standardId, field.declared.standardId, field.declared.type),
        );
      }
    }
    return matches;
  }

  private isLarge(tableName: string): boolean {
    return (this.actual.live.tables.get(tableName)?.estimatedRows ?? 0) > this.largeTableRows;
  }

  // Objects

  private createObject(object: DesiredObject): void {
    const name = object.declared.nameSingular;
    const clash = this.actual.objects.find(
      (candidate) =>
        [candidate.nameSingular, candidate.namePlural].some((taken) => taken === name || taken === object.declared.namePlural) ||
        candidate.tableName === object.tableName,
    );
    if (clash || this.actual.live.tables.has(object.tableName)) {
      this.refuse(
        Hazard.NAME_CONFLICT,
        name,
        null,
        `the new standard object "${name}" collides with ${clash ? `the ${clash.isCustom ? 'custom ' : ''}object "${clash.nameSingular}"` : `the existing table "${object.tableName}"`}; rename that object, then run the sync again`,
      );
      return;
    }
    const objectId = this.objectIds.get(name)!;
    const statements: SqlStatement[] = [
      {
        sql: `INSERT INTO metadata."objectMetadata" ("id", "workspaceId", "standardId", "nameSingular", "namePlural", "labelSingular", "labelPlural", "description", "icon", "tableName", "isCustom", "isSystem", "isActive")
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, false, $11, true)`,
        params: [
          objectId, this.actual.workspaceId, object.declared.standardId, name, object.declared.namePlural,
          object.declared.labelSingular, object.declared.labelPlural, object.declared.description, object.declared.icon,
          object.tableName, object.declared.isSystem,
        ],
      },
    ];
    for (const field of object.fields) {
      for (const column of field.columns.filter((candidate) => candidate.enumName)) {
        statements.push(createEnumSql(this.schema, column.enumName!, field.enumValues!));
      }
    }
    const columns = object.fields.flatMap((field) => field.columns);
    const hasId = columns.some((column) => column.name === 'id');
    statements.push({
      sql: `CREATE TABLE ${qualified(this.schema, object.tableName)} (${[
        ...columns.map((column) => columnSql(this.schema, column)),
        ...(hasId ? ['PRIMARY KEY ("id")'] : []),
      ].join(', ')})`,
    });
    if (object.fields.length > 0) {
      statements.push(this.insertFields(object, objectId, object.fields));
    }
    this.add(Phase.CREATE_OBJECT, {
      kind: 'CREATE_OBJECT',
      object: name,
      field: null,
      summary: `create object ${name} (table ${object.tableName}, ${object.fields.length} fields)`,
      statements,
    });
  }

  private compareObject(object: DesiredObject, actual: ActualObject): void {
    const name = object.declared.nameSingular;
    if (actual.nameSingular !== name) {
      this.renameObject(object, actual);
    }
    const changes: string[] = [];
    const sets: string[] = [];
    const params: unknown[] = [];
    const compare = (column: keyof ActualObject, desiredValue: unknown) => {
      if (!sameJson(actual[column], desiredValue)) {
        changes.push(String(column));
        params.push(desiredValue);
        sets.push(`${quoteIdentifier(column)} = $${params.length}`);
      }
    };
    compare('namePlural', object.declared.namePlural);
    compare('labelSingular', object.declared.labelSingular);
    compare('labelPlural', object.declared.labelPlural);
    compare('description', object.declared.description);
    compare('icon', object.declared.icon);
    compare('isSystem', object.declared.isSystem);
    if (sets.length > 0) {
      params.push(actual.id);
      this.add(Phase.FIELD, {
        kind: 'UPDATE_OBJECT',
        object: name,
        field: null,
        summary: `update object ${name}: ${changes.join(', ')}`,
        statements: [{ sql: `UPDATE metadata."objectMetadata" SET ${sets.join(', ')}, "updatedAt" = now() WHERE "id" = $${params.length}`, params }],
      });
    }
    this.compareFields(object.declared.nameSingular, object.tableName, actual, object.fields, object.declared.fields);
  }

  private renameObject(object: DesiredObject, actual: ActualObject): void {
    const name = object.declared.nameSingular;
    const clash = this.actual.objects.find((candidate) => candidate !== actual && (candidate.nameSingular === name || candidate.tableName === object.tableName));
    if (clash) {
      this.refuse(Hazard.NAME_CONFLICT, name, null, `object "${actual.nameSingular}" is renamed to "${name}", which the object "${clash.nameSingular}" already uses; rename that object, then run the sync again`);
      return;
    }
    const statements: SqlStatement[] = [
      { sql: `ALTER TABLE ${qualified(this.schema, actual.tableName)} RENAME TO ${quoteIdentifier(object.tableName)}` },
      {
        sql: `UPDATE metadata."objectMetadata" SET "nameSingular" = $1, "tableName" = $2, "updatedAt" = now() WHERE "id" = $3`,
        params: [name, object.tableName, actual.id],
      },
    ];
    for (const field of actual.fields) {
      for (const column of this.columnsOfActual(field, actual.tableName)) {
        if (column.enumName && this.actual.live.enums.has(column.enumName)) {
          statements.push({ sql: `ALTER TYPE ${qualified(this.schema, column.enumName)} RENAME TO ${quoteIdentifier(enumTypeName(object.tableName, column.name))}` });
        }
      }
      if (field.relationType === RelationType.MANY_TO_ONE) {
        const column = fieldColumns({ name: field.name, type: field.type, relation: { type: RelationType.MANY_TO_ONE, targetObject: '', inverseFieldName: null } })[0];
        const oldName = foreignKeyName(actual.tableName, column);
        if (this.liveForeignKey(oldName)) {
          const newName = foreignKeyName(object.tableName, column);
          statements.push({ sql: `ALTER TABLE ${qualified(this.schema, object.tableName)} RENAME CONSTRAINT ${quoteIdentifier(oldName)} TO ${quoteIdentifier(newName)}` });
          this.renamedForeignKeys.set(oldName, newName);
        }
      }
    }
    this.add(Phase.RENAME, {
      kind: 'RENAME_OBJECT',
      object: name,
      field: null,
      summary: `rename object ${actual.nameSingular} to ${name} (table ${actual.tableName} -> ${object.tableName})`,
      statements,
    });
  }

  private compareRemovedObjects(matched: Set<ActualObject>): void {
    const only = this.options.compareOnly;
    for (const actual of this.actual.objects.filter((object) => !object.isCustom && !matched.has(object) && (!only || only.has(object.standardId ?? '')))) {
      if (this.allowHazards.has(Hazard.DROPS_DATA)) {
        this.add(Phase.DROP, {
          kind: 'DROP_OBJECT',
          object: actual.nameSingular,
          field: null,
          hazard: Hazard.DROPS_DATA,
          summary: `drop object ${actual.nameSingular} and its table ${actual.tableName}`,
          statements: [
            { sql: `DROP TABLE ${qualified(this.schema, actual.tableName)} CASCADE` },
            { sql: `DELETE FROM metadata."objectMetadata" WHERE "id" = $1`, params: [actual.id] },
          ],
        });
      } else {
        this.add(Phase.FIELD, {
          kind: 'TURN_OBJECT_CUSTOM',
          object: actual.nameSingular,
          field: null,
          summary: `object ${actual.nameSingular} is no longer declared: kept, with its data, as a custom object`,
          statements: [{ sql: `UPDATE metadata."objectMetadata" SET "isCustom" = true, "updatedAt" = now() WHERE "id" = $1`, params: [actual.id] }],
        });
      }
    }
  }

  /** Custom objects get the fields every custom object shares (relations are added with the object itself). */
  private compareCustomObjects(): void {
    const shared = this.desired.customObjectFields.filter((field) => field.type !== FieldType.RELATION && !field.isDeprecated);
    for (const actual of this.actual.objects.filter((object) => object.isCustom)) {
      const fields = shared.map((field) => desiredField(field, actual.tableName));
      for (const field of fields) {
        const existing = actual.fields.find((candidate) => !candidate.isCustom && candidate.standardId === field.declared.standardId);
        this.fieldIds.set(`${actual.nameSingular}.${field.declared.name}`, existing?.id ?? this.newId('field', actual.id, field.declared.standardId, field.declared.type));
      }
      this.compareFields(actual.nameSingular, actual.tableName, actual, fields, this.desired.customObjectFields, { keepUnmatched: true });
    }
  }

  // Fields

  private compareFields(
    objectName: string,
    tableName: string,
    actual: ActualObject,
    fields: DesiredField[],
    declaredFields: DeclaredField[],
    options: { keepUnmatched?: boolean } = {},
  ): void {
    const matched = new Set<ActualField>();
    const newFields: DesiredField[] = [];
    for (const field of fields) {
      const existing = actual.fields.find((candidate) => !candidate.isCustom && candidate.standardId === field.declared.standardId);
      if (!existing) {
        newFields.push(field);
        continue;
      }
      matched.add(existing);
      if (existing.type !== field.declared.type) {
        const upgrade = this.options.upgradeCommand ? `run \`${this.options.upgradeCommand}\`, which migrates it with its data` : 'an upgrade command must migrate it with its data';
        this.refuse(
          Hazard.TYPE_CHANGE,
          objectName,
          existing.name,
          `field ${objectName}.${existing.name} changes type ${existing.type} -> ${field.declared.type}${existing.name !== field.declared.name ? ` (and name to ${field.declared.name})` : ''}; sync does not change types: ${upgrade}`,
        );
        continue;
      }
      if (existing.name !== field.declared.name) {
        this.renameField(objectName, tableName, actual, existing, field);
      }
      this.updateField(objectName, tableName, existing, field);
    }
    for (const field of newFields) {
      this.createField(objectName, tableName, actual, field);
    }
    if (options.keepUnmatched) return;
    for (const existing of actual.fields.filter((field) => !field.isCustom && !matched.has(field))) {
      this.removeField(objectName, tableName, existing, declaredFields);
    }
  }

  private insertFields(object: DesiredObject | null, objectId: string, fields: DesiredField[], objectName?: string): SqlStatement {
    const name = object?.declared.nameSingular ?? objectName!;
    const params: unknown[] = [];
    const rows = fields.map((field) => {
      const declared = field.declared;
      const relation = declared.relation;
      const values: Record<(typeof FIELD_METADATA_COLUMNS)[number], unknown> = {
        id: this.fieldIds.get(`${name}.${declared.name}`),
        workspaceId: this.actual.workspaceId,
        objectMetadataId: objectId,
        standardId: declared.standardId,
        name: declared.name,
        label: declared.label,
        type: declared.type,
        description: declared.description,
        icon: declared.icon,
        isCustom: false,
        isSystem: declared.isSystem,
        isActive: declared.isActive,
        isNullable: declared.isNullable,
        isUnique: declared.isUnique,
        isDeprecated: false,
        defaultValue: jsonParam(declared.defaultValue),
        options: jsonParam(declared.options),
        settings: jsonParam(declared.settings),
        relationType: relation?.type ?? null,
        relationTargetObjectMetadataId: relation ? (this.objectIds.get(relation.targetObject) ?? null) : null,
        relationTargetFieldMetadataId:
          relation?.inverseFieldName ? (this.fieldIds.get(`${relation.targetObject}.${relation.inverseFieldName}`) ?? null) : null,
        onDelete: relation?.onDelete ?? null,
      };
      return `(${FIELD_METADATA_COLUMNS.map((column) => {
        params.push(values[column]);
        return JSONB_COLUMNS.has(column) ? `$${params.length}::jsonb` : `$${params.length}`;
      }).join(', ')})`;
    });
    return {
      sql: `INSERT INTO metadata."fieldMetadata" (${FIELD_METADATA_COLUMNS.map(quoteIdentifier).join(', ')}) VALUES ${rows.join(', ')}`,
      params,
    };
  }

  private createField(objectName: string, tableName: string, actual: ActualObject, field: DesiredField): void {
    const name = field.declared.name;
    const newColumns = new Set(field.columns.map((column) => column.name));
    const clash = actual.fields.find(
      (candidate) =>
        candidate.name === name ||
        this.columnsOfActual(candidate, tableName).some((column) => newColumns.has(column.name)),
    );
    const liveClash = field.columns.find((column) => this.actual.live.tables.get(tableName)?.columns.has(column.name));
    if (clash || liveClash) {
      this.refuse(
        Hazard.NAME_CONFLICT,
        objectName,
        name,
        clash
          ? `the new standard field ${objectName}.${name} collides with the ${clash.isCustom ? 'custom ' : ''}field "${clash.name}"; rename the ${clash.isCustom ? 'custom ' : ''}field (for example to "${clash.name}Custom"), then run the sync again`
          : `the new standard field ${objectName}.${name} needs column "${liveClash!.name}", which already exists in table ${tableName} without metadata; run workspace:health and remove or rename that column, then run the sync again`,
      );
      return;
    }
    const statements: SqlStatement[] = [];
    for (const column of field.columns.filter((candidate) => candidate.enumName)) {
      statements.push(createEnumSql(this.schema, column.enumName!, field.enumValues!));
    }
    if (field.columns.length > 0) {
      statements.push({
        sql: `ALTER TABLE ${qualified(this.schema, tableName)} ${field.columns.map((column) => `ADD COLUMN ${columnSql(this.schema, column)}`).join(', ')}`,
      });
    }
    statements.push(this.insertFields(null, actual.id, [field], objectName));
    const rewritesWithVolatileDefault = field.columns.some((column) => column.defaultSql === 'gen_random_uuid()');
    this.add(Phase.FIELD, {
      kind: 'CREATE_FIELD',
      object: objectName,
      field: name,
      hazard: rewritesWithVolatileDefault && this.isLarge(tableName) ? Hazard.REWRITES_TABLE : null,
      summary: `create field ${objectName}.${name} (${field.declared.type}${field.declared.isActive ? '' : ', inactive'})`,
      statements,
    });
  }

  private renameField(objectName: string, tableName: string, actual: ActualObject, existing: ActualField, field: DesiredField): void {
    const name = field.declared.name;
    const clash = actual.fields.find((candidate) => candidate !== existing && candidate.name === name);
    if (clash) {
      this.refuse(Hazard.NAME_CONFLICT, objectName, existing.name, `field ${objectName}.${existing.name} is renamed to "${name}", which the ${clash.isCustom ? 'custom ' : ''}field "${clash.name}" already uses; rename that field, then run the sync again`);
      return;
    }
    const oldColumns = this.columnsOfActual(existing, tableName);
    const statements: SqlStatement[] = [];
    oldColumns.forEach((column, index) => {
      const target = field.columns[index];
      if (target && column.name !== target.name) {
        statements.push({ sql: `ALTER TABLE ${qualified(this.schema, tableName)} RENAME COLUMN ${quoteIdentifier(column.name)} TO ${quoteIdentifier(target.name)}` });
      }
      if (column.enumName && target?.enumName && column.enumName !== target.enumName && this.actual.live.enums.has(column.enumName)) {
        statements.push({ sql: `ALTER TYPE ${qualified(this.schema, column.enumName)} RENAME TO ${quoteIdentifier(target.enumName)}` });
      }
    });
    if (existing.relationType === RelationType.MANY_TO_ONE && field.foreignKey) {
      const oldName = foreignKeyName(tableName, oldColumns[0].name);
      if (this.liveForeignKey(oldName) && oldName !== field.foreignKey.name) {
        statements.push({ sql: `ALTER TABLE ${qualified(this.schema, tableName)} RENAME CONSTRAINT ${quoteIdentifier(oldName)} TO ${quoteIdentifier(field.foreignKey.name)}` });
        this.renamedForeignKeys.set(oldName, field.foreignKey.name);
      }
    }
    statements.push({ sql: `UPDATE metadata."fieldMetadata" SET "name" = $1, "updatedAt" = now() WHERE "id" = $2`, params: [name, existing.id] });
    this.add(Phase.RENAME, {
      kind: 'RENAME_FIELD',
      object: objectName,
      field: name,
      summary: `rename field ${objectName}.${existing.name} to ${name}`,
      statements,
    });
  }

  private updateField(objectName: string, tableName: string, existing: ActualField, field: DesiredField): void {
    const declared = field.declared;
    const relation = declared.relation;
    const desiredValues: Partial<Record<keyof ActualField, unknown>> = {
      label: declared.label,
      description: declared.description,
      icon: declared.icon,
      isSystem: declared.isSystem,
      isNullable: declared.isNullable,
      isUnique: declared.isUnique,
      isDeprecated: false,
      defaultValue: declared.defaultValue,
      options: declared.options,
      settings: declared.settings,
      relationType: relation?.type ?? null,
      relationTargetObjectMetadataId: relation ? (this.objectIds.get(relation.targetObject) ?? null) : null,
      relationTargetFieldMetadataId: relation?.inverseFieldName ? (this.fieldIds.get(`${relation.targetObject}.${relation.inverseFieldName}`) ?? null) : null,
      onDelete: relation?.onDelete ?? null,
    };
    const changed = (Object.keys(desiredValues) as Array<keyof ActualField>).filter((key) => !sameJson(existing[key], desiredValues[key]));
    if (changed.length === 0) return;

    const params: unknown[] = [];
    const sets = changed.map((key) => {
      const value = desiredValues[key];
      params.push(JSONB_COLUMNS.has(key) ? jsonParam(value) : value);
      return `${quoteIdentifier(key)} = $${params.length}${JSONB_COLUMNS.has(key) ? '::jsonb' : ''}`;
    });
    params.push(existing.id);
    const statements: SqlStatement[] = [];
    const preflight: PreflightCheck[] = [];
    let hazard: Hazard | null = null;
    const table = qualified(this.schema, tableName);
    const oldColumns = this.columnsOfActual({ ...existing, name: declared.name }, tableName);

    if (changed.includes('isNullable') && getFieldTypeDefinition(declared.type).kind === 'plain') {
      const column = quoteIdentifier(field.columns[0].name);
      if (declared.isNullable) {
        statements.push({ sql: `ALTER TABLE ${table} ALTER COLUMN ${column} DROP NOT NULL` });
      } else {
        preflight.push({
          kind: 'NO_NULLS',
          table: tableName,
          columns: [field.columns[0].name],
          remedy: `fill the empty values of ${objectName}.${declared.name}, or keep the field nullable`,
        });
        statements.push({ sql: `ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL` });
        if (this.isLarge(tableName)) hazard = Hazard.BLOCKS_WRITES;
      }
    }
    if (changed.includes('options') && field.enumValues && declared.type !== FieldType.RATING) {
      const column = field.columns[0];
      const current = this.actual.live.enums.get(column.enumName!) ?? [];
      const removed = current.filter((value) => !field.enumValues!.includes(value));
      if (removed.length > 0) {
        // Postgres cannot drop an enum label: swap in a new type, converting through text.
        const oldType = `${column.enumName}_old`;
        const arraySuffix = column.type === 'enum[]' ? '[]' : '';
        preflight.push({
          kind: 'ONLY_VALUES',
          table: tableName,
          columns: [column.name],
          values: field.enumValues,
          isArray: column.type === 'enum[]',
          remedy: `change the records of ${objectName}.${declared.name} that hold ${removed.join(', ')} to a remaining option, or keep those options`,
        });
        statements.push(
          { sql: `ALTER TYPE ${qualified(this.schema, column.enumName!)} RENAME TO ${quoteIdentifier(oldType)}` },
          createEnumSql(this.schema, column.enumName!, field.enumValues),
          { sql: `ALTER TABLE ${table} ALTER COLUMN ${quoteIdentifier(column.name)} DROP DEFAULT` },
          {
            sql: `ALTER TABLE ${table} ALTER COLUMN ${quoteIdentifier(column.name)} TYPE ${qualified(this.schema, column.enumName!)}${arraySuffix} USING ${quoteIdentifier(column.name)}::text${arraySuffix}::${qualified(this.schema, column.enumName!)}${arraySuffix}`,
          },
          { sql: `DROP TYPE ${qualified(this.schema, oldType)}` },
        );
        if (column.defaultSql) {
          statements.push({ sql: `ALTER TABLE ${table} ALTER COLUMN ${quoteIdentifier(column.name)} SET DEFAULT ${column.defaultSql}` });
        }
        hazard = Hazard.REWRITES_TABLE;
      } else {
        // Enum labels sort in creation order: place each new one before the next declared option
        // that exists, so an upgraded workspace sorts like a new one.
        const labels = [...current];
        field.enumValues.forEach((value, index) => {
          if (labels.includes(value)) return;
          const next = field.enumValues!.slice(index + 1).find((candidate) => labels.includes(candidate));
          statements.push({
            sql: `ALTER TYPE ${qualified(this.schema, column.enumName!)} ADD VALUE IF NOT EXISTS '${value.replace(/'/g, "''")}'${next ? ` BEFORE '${next.replace(/'/g, "''")}'` : ''}`,
          });
          labels.splice(next ? labels.indexOf(next) : labels.length, 0, value);
        });
      }
    }
    if (changed.includes('defaultValue') && !(hazard === Hazard.REWRITES_TABLE)) {
      field.columns.forEach((column, index) => {
        if (column.defaultSql !== oldColumns[index]?.defaultSql) {
          statements.push({
            sql: `ALTER TABLE ${table} ALTER COLUMN ${quoteIdentifier(column.name)} ${column.defaultSql ? `SET DEFAULT ${column.defaultSql}` : 'DROP DEFAULT'}`,
          });
        }
      });
    }
    statements.push({ sql: `UPDATE metadata."fieldMetadata" SET ${sets.join(', ')}, "updatedAt" = now() WHERE "id" = $${params.length}`, params });
    this.add(Phase.FIELD, {
      kind: 'UPDATE_FIELD',
      object: objectName,
      field: declared.name,
      hazard,
      summary: `update field ${objectName}.${declared.name}: ${changed.join(', ')}`,
      statements,
      preflight,
    });
  }

  private removeField(objectName: string, tableName: string, existing: ActualField, declaredFields: DeclaredField[]): void {
    const deprecated = declaredFields.some((field) => field.isDeprecated && field.standardId === existing.standardId);
    if (!deprecated && this.allowHazards.has(Hazard.DROPS_DATA)) {
      const columns = this.columnsOfActual(existing, tableName);
      const statements: SqlStatement[] = [];
      if (columns.length > 0) {
        statements.push({
          sql: `ALTER TABLE ${qualified(this.schema, tableName)} ${columns.map((column) => `DROP COLUMN ${quoteIdentifier(column.name)}`).join(', ')}`,
        });
      }
      for (const column of columns.filter((candidate) => candidate.enumName && this.actual.live.enums.has(candidate.enumName))) {
        statements.push({ sql: `DROP TYPE ${qualified(this.schema, column.enumName!)}` });
      }
      // Views, filters and sorts that show the field would point at nothing: they go with it.
      for (const viewObject of this.actual.objects.filter((object) => !object.isCustom && object.standardId !== null && VIEW_OBJECTS_WITH_FIELDS.includes(object.standardId))) {
        if (this.actual.live.tables.get(viewObject.tableName)?.columns.has('fieldMetadataId')) {
          statements.push({ sql: `DELETE FROM ${qualified(this.schema, viewObject.tableName)} WHERE "fieldMetadataId" = $1`, params: [existing.id] });
        }
      }
      statements.push(
        { sql: `DELETE FROM metadata."indexMetadata" WHERE "objectMetadataId" = $1 AND "columns" && $2::text[]`, params: [existing.objectMetadataId, columns.map((c) => c.name)] },
        { sql: `DELETE FROM metadata."fieldMetadata" WHERE "id" = $1`, params: [existing.id] },
      );
      this.add(Phase.DROP, {
        kind: 'DROP_FIELD',
        object: objectName,
        field: existing.name,
        hazard: Hazard.DROPS_DATA,
        summary: `drop field ${objectName}.${existing.name} and its column(s) ${columns.map((c) => c.name).join(', ') || '(none)'}`,
        statements,
      });
      return;
    }
    this.add(Phase.FIELD, {
      kind: 'TURN_FIELD_CUSTOM',
      object: objectName,
      field: existing.name,
      summary: deprecated
        ? `field ${objectName}.${existing.name} is deprecated: kept, with its data, as a custom field`
        : `field ${objectName}.${existing.name} is no longer declared: kept, with its data, as a custom field (--allow-hazards DROPS_DATA drops it)`,
      statements: [
        {
          sql: `UPDATE metadata."fieldMetadata" SET "isCustom" = true, "isDeprecated" = $1, "updatedAt" = now() WHERE "id" = $2`,
          params: [deprecated, existing.id],
        },
      ],
    });
  }

  private columnsOfActual(field: ActualField, tableName: string): ColumnSpec[] {
    return actualFieldColumns(field, tableName);
  }

  // Foreign keys, indexes, label identifiers

  private liveForeignKey(name: string): LiveForeignKey | undefined {
    return this.actual.live.foreignKeys.find((candidate) => candidate.name === name);
  }

  private compareForeignKeys(): void {
    const live = new Map(this.actual.live.foreignKeys.map((fk) => [this.renamedForeignKeys.get(fk.name) ?? fk.name, fk]));
    for (const object of this.comparedObjects()) {
      if (this.refusals.some((refusal) => refusal.object === object.declared.nameSingular && refusal.field === null)) continue;
      for (const field of object.fields.filter((candidate) => candidate.foreignKey)) {
        const fk = field.foreignKey!;
        const target = this.desired.objects.find((candidate) => candidate.declared.nameSingular === fk.targetTable);
        if (!target) continue;
        const existing = live.get(fk.name);
        if (existing && existing.onDelete === fk.onDelete && existing.targetTable === target.tableName) continue;
        const table = qualified(this.schema, object.tableName);
        const add: SqlStatement = {
          sql: `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdentifier(fk.name)} FOREIGN KEY (${quoteIdentifier(fk.column)}) REFERENCES ${qualified(this.schema, target.tableName)} ("id") ON DELETE ${fk.onDelete.replace('_', ' ')}`,
        };
        const scansRows = this.isLarge(object.tableName);
        this.add(Phase.FOREIGN_KEY, {
          kind: existing ? 'UPDATE_FOREIGN_KEY' : 'CREATE_FOREIGN_KEY',
          object: object.declared.nameSingular,
          field: field.declared.name,
          hazard: scansRows ? Hazard.BLOCKS_WRITES : null,
          summary: existing
            ? `change foreign key ${object.declared.nameSingular}.${fk.column} -> ${target.tableName}: on delete ${existing.onDelete} -> ${fk.onDelete}`
            : `create foreign key ${object.declared.nameSingular}.${fk.column} -> ${target.tableName} (on delete ${fk.onDelete})`,
          statements: existing ? [{ sql: `ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdentifier(existing.name)}` }, add] : [add],
        });
      }
    }
  }

  private compareIndexes(matches: Map<DesiredObject, ActualObject>): void {
    for (const object of this.comparedObjects()) {
      const actual = matches.get(object);
      const objectId = this.objectIds.get(object.declared.nameSingular)!;
      if (!actual && this.refusals.some((refusal) => refusal.object === object.declared.nameSingular && refusal.field === null)) continue;
      const existing = this.actual.indexes.filter((index) => index.objectMetadataId === objectId && !index.isCustom);
      const desiredNames = new Set(object.indexes.map((index) => index.name));
      for (const index of existing.filter((candidate) => !desiredNames.has(candidate.name))) {
        this.add(Phase.RENAME, {
          kind: 'DROP_INDEX',
          object: object.declared.nameSingular,
          field: null,
          summary: `drop index ${index.name}`,
          statements: [
            { sql: `DROP INDEX IF EXISTS ${qualified(this.schema, index.name)}` },
            { sql: `DELETE FROM metadata."indexMetadata" WHERE "id" = $1`, params: [index.id] },
          ],
        });
      }
      for (const index of object.indexes) {
        const current = existing.find((candidate) => candidate.name === index.name);
        const liveIndex = this.actual.live.indexes.find((candidate) => candidate.name === index.name);
        if (current && liveIndex?.isValid && sameJson(current.columns, index.columns) && current.isUnique === index.isUnique && (current.whereClause ?? null) === index.where) {
          continue;
        }
        this.createIndex(object, objectId, index, current?.id ?? null, !!actual);
      }
    }
  }

  private createIndex(object: DesiredObject, objectId: string, index: IndexSpec, metadataId: string | null, tableExists: boolean): void {
    const replacesLiveIndex = this.actual.live.indexes.some((candidate) => candidate.name === index.name);
    const statements: SqlStatement[] = [
      ...(replacesLiveIndex ? [{ sql: `DROP INDEX ${qualified(this.schema, index.name)}` }] : []),
      {
        sql: `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX ${quoteIdentifier(index.name)} ON ${qualified(this.schema, object.tableName)} (${index.columns.map(quoteIdentifier).join(', ')})${index.where ? ` WHERE ${index.where}` : ''}`,
      },
      metadataId
        ? {
            sql: `UPDATE metadata."indexMetadata" SET "columns" = $1, "isUnique" = $2, "whereClause" = $3, "updatedAt" = now() WHERE "id" = $4`,
            params: [index.columns, index.isUnique, index.where, metadataId],
          }
        : {
            sql: `INSERT INTO metadata."indexMetadata" ("id", "workspaceId", "objectMetadataId", "name", "columns", "isUnique", "whereClause", "isCustom") VALUES ($1, $2, $3, $4, $5, $6, $7, false)`,
            params: [this.newId('index', object.declared.standardId, index.name), this.actual.workspaceId, objectId, index.name, index.columns, index.isUnique, index.where],
          },
    ];
    this.add(Phase.INDEX, {
      kind: 'CREATE_INDEX',
      object: object.declared.nameSingular,
      field: null,
      hazard: tableExists && this.isLarge(object.tableName) ? Hazard.BLOCKS_WRITES : null,
      summary: `create ${index.isUnique ? 'unique ' : ''}index ${index.name} on ${object.tableName} (${index.columns.join(', ')})`,
      statements,
      preflight:
        index.isUnique && tableExists
          ? [{
              kind: 'NO_DUPLICATES',
              table: object.tableName,
              columns: index.columns,
              where: index.where,
              remedy: `make the values of ${index.columns.join(', ')} on ${object.declared.nameSingular} unique`,
            }]
          : [],
    });
  }

  private compareLabelIdentifiers(matches: Map<DesiredObject, ActualObject>): void {
    for (const object of this.comparedObjects()) {
      const actual = matches.get(object);
      const standardId = object.declared.labelIdentifierStandardId;
      const field = standardId ? object.fields.find((candidate) => candidate.declared.standardId === standardId) : undefined;
      const fieldId = field ? this.fieldIds.get(`${object.declared.nameSingular}.${field.declared.name}`)! : null;
      if (!actual && this.refusals.some((refusal) => refusal.object === object.declared.nameSingular && refusal.field === null)) continue;
      if ((actual?.labelIdentifierFieldMetadataId ?? null) === fieldId) continue;
      this.add(Phase.FINAL, {
        kind: 'UPDATE_OBJECT',
        object: object.declared.nameSingular,
        field: field?.declared.name ?? null,
        summary: `set the label identifier of ${object.declared.nameSingular} to ${field?.declared.name ?? 'none'}`,
        statements: [
          {
            sql: `UPDATE metadata."objectMetadata" SET "labelIdentifierFieldMetadataId" = $1, "updatedAt" = now() WHERE "id" = $2`,
            params: [fieldId, this.objectIds.get(object.declared.nameSingular)],
          },
        ],
      });
    }
  }
}
