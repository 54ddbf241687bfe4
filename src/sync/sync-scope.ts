import { FieldType } from '../declarations/field-type';
import { VIEW_OBJECTS_WITH_FIELDS } from '../metadata/actual-state';
import { DesiredField, DesiredObject, DesiredState } from './desired-state';

/** New standard fields of an object of which nothing else changed. */
export interface Addition {
  object: DesiredObject;
  fields: DesiredField[];
}

/**
 * The part of a workspace a sync needs to compare when the workspace is known to be in the
 * previous declared state (its fingerprint is recorded): the standard objects whose declarations
 * changed, and the view objects when a field goes (their rows that show it go with it). The
 * objects their relations point at are read too, with the inverse fields those relations name,
 * for their ids, and not compared. Nothing else can have changed.
 */
export interface SyncScope {
  /** standardIds of the standard objects compared. */
  compared: ReadonlySet<string>;
  /** Their names, for reports. */
  objectNames: string[];
  /** standardIds of the objects whose metadata rows are read: the compared ones and their relations' targets. */
  standardIds: string[];
  /** standardIds of the targets' fields that the compared objects' relations name as their inverse: read for their ids. */
  referencedFieldIds: string[];
  /** The compared objects' tables, as the catalog is read. */
  tableNames: string[];
  /** Enum types the compared objects' declared fields use. */
  enumNames: string[];
  /** The desired state restricted to the objects read. */
  desired: DesiredState;
  /**
   * When all that changed is new fields that need nothing but their own columns and metadata row
   * (no relation, no index, not unique, no volatile default): those fields, by object. Their plan
   * is known from the declarations, without reading the workspace, once the workspace is checked
   * to be as recorded where the plan touches it (see additionsExpectation). Otherwise null.
   */
  additions: Addition[] | null;
}

/** JSON with keys in sorted order: equal texts for equal values, whatever the order keys were written in. */
const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, item) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(
          Object.keys(item)
            .sort()
            .map((key) => [key, item[key]]),
        )
      : item,
  );

/** A new field whose plan is its columns and its metadata row, and nothing else. */
const isPlainAddition = (field: DesiredField): boolean =>
  !field.declared.relation &&
  !field.foreignKey &&
  !field.declared.isUnique &&
  field.declared.type !== FieldType.TS_VECTOR &&
  field.columns.length > 0 &&
  field.columns.every((column) => column.defaultSql !== 'gen_random_uuid()');

/** The new fields of `object` if nothing else of it changed since `before` and they are plain additions; else null. */
const additionTo = (before: DesiredObject, object: DesiredObject): Addition | null => {
  const known = new Set(before.declared.fields.map((field) => field.standardId));
  const fields = object.fields.filter((field) => !known.has(field.declared.standardId));
  const rest: DesiredObject = {
    ...object,
    declared: { ...object.declared, fields: object.declared.fields.filter((field) => known.has(field.standardId)) },
    fields: object.fields.filter((field) => known.has(field.declared.standardId)),
  };
  if (fields.length === 0 || !fields.every(isPlainAddition) || stableJson(rest) !== stableJson(before)) return null;
  return { object, fields };
};

const relationTargets = (object: DesiredObject): string[] =>
  object.declared.fields.flatMap((field) => (field.relation ? [field.relation.targetObject] : []));

/**
 * What a sync from `previous` to `next` must compare, or null when it must compare the whole
 * workspace: a different version (upgrades change tables in their own steps), different shared
 * fields of custom objects, or a standard object added, removed or renamed (which can collide with
 * custom objects and tables).
 */
export const scopeOfChange = (previous: DesiredState, next: DesiredState): SyncScope | null => {
  if (previous.version !== next.version) return null;
  if (stableJson(previous.customObjectFields) !== stableJson(next.customObjectFields)) return null;
  const before = new Map(previous.objects.map((object) => [object.declared.standardId, object]));
  if (before.size !== next.objects.length) return null;
  for (const object of next.objects) {
    const old = before.get(object.declared.standardId);
    if (
      !old ||
      old.tableName !== object.tableName ||
      old.declared.nameSingular !== object.declared.nameSingular ||
      old.declared.namePlural !== object.declared.namePlural
    ) {
      return null;
    }
  }

  const changed = next.objects.filter((object) => stableJson(before.get(object.declared.standardId)) !== stableJson(object));
  const compared = new Set<DesiredObject>(changed);
  const losesField = changed.some((object) => {
    const kept = new Set(object.fields.map((field) => field.declared.standardId));
    return before.get(object.declared.standardId)!.fields.some((field) => !kept.has(field.declared.standardId));
  });
  // View filters name options by value: a value renamed by its option id rewrites them.
  const renamesOption = changed.some((object) => {
    const old = new Map(
      before.get(object.declared.standardId)!.fields.map((field) => [field.declared.standardId, field.declared.options ?? []]),
    );
    return object.fields.some((field) =>
      (field.declared.options ?? []).some(
        (option) =>
          option.id !== undefined &&
          (old.get(field.declared.standardId) ?? []).some((was) => was.id === option.id && was.value !== option.value),
      ),
    );
  });
  if (losesField || renamesOption) {
    for (const object of next.objects.filter((candidate) => VIEW_OBJECTS_WITH_FIELDS.includes(candidate.declared.standardId)))
      compared.add(object);
  }
  const byName = new Map(next.objects.map((object) => [object.declared.nameSingular, object]));
  const read = new Set<DesiredObject>(compared);
  for (const object of compared) {
    for (const target of [...relationTargets(object), ...relationTargets(before.get(object.declared.standardId)!)]) {
      const found = byName.get(target);
      if (found) read.add(found);
    }
  }

  const comparedObjects = next.objects.filter((object) => compared.has(object));
  const additions = losesField ? [] : changed.map((object) => additionTo(before.get(object.declared.standardId)!, object));
  const referencedFieldIds = new Set<string>();
  for (const object of comparedObjects) {
    for (const field of object.declared.fields) {
      const target = field.relation?.inverseFieldName ? byName.get(field.relation.targetObject) : undefined;
      const inverse = target?.declared.fields.find((candidate) => candidate.name === field.relation!.inverseFieldName);
      if (inverse) referencedFieldIds.add(inverse.standardId);
    }
  }
  return {
    compared: new Set(comparedObjects.map((object) => object.declared.standardId)),
    objectNames: comparedObjects.map((object) => object.declared.nameSingular),
    standardIds: next.objects.filter((object) => read.has(object)).map((object) => object.declared.standardId),
    referencedFieldIds: [...referencedFieldIds],
    tableNames: comparedObjects.map((object) => object.tableName),
    enumNames: [
      ...new Set(
        comparedObjects.flatMap((object) =>
          object.fields.flatMap((field) => field.columns.flatMap((column) => (column.enumName ? [column.enumName] : []))),
        ),
      ),
    ],
    desired: { ...next, objects: next.objects.filter((object) => read.has(object)) },
    additions: additions.length > 0 && additions.every((addition) => addition !== null) ? (additions as Addition[]) : null,
  };
};
