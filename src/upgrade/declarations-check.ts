import { DeclaredField, DeclaredObject, DeclaredSchema } from '../declarations/declared-schema';
import { RelationType } from '../declarations/field-type';
import { UpgradeStep } from './upgrade-step';

/**
 * The release check: today's declarations against a frozen snapshot, change by change, with who
 * handles each. Sync alone applies most changes; a change that needs data moved (a type change, a
 * relation matched by value becoming a foreign key, a new unique index, a new required field
 * without default, an existing field made required, an option removed) needs an upgrade step of
 * the next version that claims the field by its standardId, or workspaces holding data are
 * refused (or lose values) when they sync.
 */

export type DeclarationChangeKind =
  | 'ADD_OBJECT'
  | 'REMOVE_OBJECT'
  | 'RENAME_OBJECT'
  | 'UPDATE_OBJECT'
  | 'ADD_FIELD'
  | 'REMOVE_FIELD'
  | 'RENAME_FIELD'
  | 'DEPRECATE_FIELD'
  | 'UPDATE_FIELD'
  | 'TYPE_CHANGE'
  | 'RELATION_BY_VALUE_TO_FOREIGN_KEY'
  | 'NEW_UNIQUE_INDEX'
  | 'NEW_REQUIRED_FIELD'
  | 'FIELD_MADE_REQUIRED'
  | 'OPTIONS_REMOVED'
  | 'ON_DELETE_CHANGE'
  | 'ADD_INDEX'
  | 'REMOVE_INDEX';

export interface DeclarationChange {
  kind: DeclarationChangeKind;
  object: string;
  field: string | null;
  /** The standardId a step names to claim the change (the field's; null for object-level changes). */
  standardId: string | null;
  /** What changed, in words. */
  detail: string;
  /** The sync hazard the change brings, if any (the sync refuses it unless allowed, or never). */
  hazard: string | null;
  /** Whether existing values must be moved, filled or checked before the sync can apply it. */
  needsDataMove: boolean;
  /** `version:step` of the upgrade step that claims it; null when sync alone handles it, or nobody does. */
  claimedBy: string | null;
}

export interface DeclarationsCheckResult {
  against: string;
  /** The version whose upgrade steps must claim the changes that need data moved. */
  nextVersion: string;
  changes: DeclarationChange[];
  /** Changes that need data moved and that no step claims: the check fails when there is one. */
  unclaimed: DeclarationChange[];
}

/** The version after `version` (`0.24` -> `0.25`). */
export const followingVersion = (version: string): string => {
  const match = /^(\d+)\.(\d+)$/.exec(version);
  return match ? `${match[1]}.${Number(match[2]) + 1}` : `${version}+1`;
};

/** The folder of a version's upgrade steps. */
export const versionFolder = (version: string): string => `src/upgrade/versions/${version.replace('.', '-')}`;

/** The standardIds a step names in its definition. */
const namedStandardIds = (step: UpgradeStep): Set<string> => {
  const ids = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') ids.add(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(step.definition);
  return ids;
};

const requiredWithoutDefault = (field: DeclaredField): boolean =>
  !field.isNullable &&
  (field.defaultValue === null || field.defaultValue === undefined) &&
  field.relation?.type !== RelationType.ONE_TO_MANY;

/** The fields a declared index covers (`emails.primaryEmail` stands for `emails`). */
const indexFields = (object: DeclaredObject, fields: string[]): DeclaredField[] =>
  fields.flatMap((name) => object.fields.filter((field) => field.name === name.split('.')[0]));

/** Every change from `previous` to `current`, matched by standardId: objects first, then their fields and indexes. */
export const compareDeclarations = (previous: DeclaredSchema, current: DeclaredSchema): DeclarationChange[] => {
  const changes: DeclarationChange[] = [];
  const add = (change: Omit<DeclarationChange, 'claimedBy' | 'hazard' | 'needsDataMove'> & Partial<DeclarationChange>): void => {
    changes.push({ hazard: null, needsDataMove: false, claimedBy: null, ...change });
  };
  const before = new Map(previous.objects.map((object) => [object.standardId, object]));
  const now = new Map(current.objects.map((object) => [object.standardId, object]));
  for (const object of previous.objects) {
    if (!now.has(object.standardId)) {
      add({
        kind: 'REMOVE_OBJECT',
        object: object.nameSingular,
        field: null,
        standardId: object.standardId,
        detail: 'object removed: its table and metadata are kept unless --allow-hazards DROPS_DATA',
        hazard: 'DROPS_DATA',
      });
    }
  }
  for (const object of current.objects) {
    const old = before.get(object.standardId);
    if (!old) {
      add({ kind: 'ADD_OBJECT', object: object.nameSingular, field: null, standardId: object.standardId, detail: 'new object' });
      continue;
    }
    if (old.nameSingular !== object.nameSingular || old.namePlural !== object.namePlural) {
      add({
        kind: 'RENAME_OBJECT',
        object: object.nameSingular,
        field: null,
        standardId: object.standardId,
        detail: `renamed from ${old.nameSingular}/${old.namePlural}`,
      });
    }
    const objectProperties = [
      'labelSingular',
      'labelPlural',
      'description',
      'icon',
      'isSystem',
      'labelIdentifierStandardId',
      'gate',
    ] as const;
    const changedProperties = objectProperties.filter((key) => JSON.stringify(old[key]) !== JSON.stringify(object[key]));
    if (changedProperties.length > 0) {
      add({
        kind: 'UPDATE_OBJECT',
        object: object.nameSingular,
        field: null,
        standardId: object.standardId,
        detail: `${changedProperties.join(', ')} changed`,
      });
    }
    compareFields(old, object, add);
    compareIndexes(old, object, add);
  }
  return changes;
};

type AddChange = (change: Omit<DeclarationChange, 'claimedBy' | 'hazard' | 'needsDataMove'> & Partial<DeclarationChange>) => void;

const compareFields = (old: DeclaredObject, object: DeclaredObject, add: AddChange): void => {
  const object_ = object.nameSingular;
  const before = new Map(old.fields.map((field) => [field.standardId, field]));
  const now = new Map(object.fields.map((field) => [field.standardId, field]));
  for (const field of old.fields) {
    if (!now.has(field.standardId)) {
      add({
        kind: 'REMOVE_FIELD',
        object: object_,
        field: field.name,
        standardId: field.standardId,
        detail: 'field removed: kept with its data as a custom field unless --allow-hazards DROPS_DATA',
        hazard: 'DROPS_DATA',
      });
    }
  }
  for (const field of object.fields) {
    const was = before.get(field.standardId);
    const at = { object: object_, field: field.name, standardId: field.standardId };
    if (!was) {
      if (field.relation?.type === RelationType.MANY_TO_ONE) {
        // A relation named like an existing field (pointOfContact beside pointOfContactEmail) replaces a match by value.
        const byValue = old.fields.find((candidate) => candidate.relation === null && candidate.name.startsWith(field.name));
        if (byValue) {
          add({
            ...at,
            kind: 'RELATION_BY_VALUE_TO_FOREIGN_KEY',
            detail: `new foreign key beside ${byValue.name}, which matched ${field.relation.targetObject} by value: existing rows must be backfilled`,
            needsDataMove: true,
          });
          continue;
        }
      }
      if (requiredWithoutDefault(field)) {
        add({
          ...at,
          kind: 'NEW_REQUIRED_FIELD',
          detail: `new required ${field.type} field without a default: existing rows have no value for it`,
          needsDataMove: true,
        });
      } else if (field.isUnique) {
        add({ ...at, kind: 'NEW_UNIQUE_INDEX', detail: 'new unique field: existing rows must hold distinct values', needsDataMove: true });
      } else {
        add({ ...at, kind: 'ADD_FIELD', detail: `new ${field.type} field` });
      }
      continue;
    }
    if (was.type !== field.type) {
      add({
        ...at,
        kind: 'TYPE_CHANGE',
        detail: `type ${was.type} -> ${field.type}: existing values must be migrated`,
        hazard: 'TYPE_CHANGE',
        needsDataMove: true,
      });
      continue;
    }
    if (was.name !== field.name) add({ ...at, kind: 'RENAME_FIELD', detail: `renamed from ${was.name}` });
    if (!was.isDeprecated && field.isDeprecated) {
      add({ ...at, kind: 'DEPRECATE_FIELD', detail: 'deprecated: existing workspaces keep it, with its data, as a custom field' });
    }
    if (!was.isUnique && field.isUnique) {
      add({
        ...at,
        kind: 'NEW_UNIQUE_INDEX',
        detail: 'made unique: existing duplicates must be resolved',
        hazard: 'BLOCKS_WRITES',
        needsDataMove: true,
      });
    }
    if (was.isNullable && !field.isNullable) {
      add({ ...at, kind: 'FIELD_MADE_REQUIRED', detail: 'made required: existing NULLs must be filled', needsDataMove: true });
    }
    const removedOptions = (was.options ?? [])
      .map((option) => option.value)
      .filter((value) => !(field.options ?? []).some((option) => option.value === value));
    if (removedOptions.length > 0) {
      add({
        ...at,
        kind: 'OPTIONS_REMOVED',
        detail: `options removed (${removedOptions.join(', ')}): records holding them must be given another value`,
        needsDataMove: true,
      });
    }
    if ((was.relation?.onDelete ?? null) !== (field.relation?.onDelete ?? null)) {
      add({
        ...at,
        kind: 'ON_DELETE_CHANGE',
        detail: `on delete ${was.relation?.onDelete ?? 'none'} -> ${field.relation?.onDelete ?? 'none'}: the foreign key is recreated`,
      });
    }
    const properties = ['label', 'description', 'icon', 'isSystem', 'isActive', 'defaultValue', 'options', 'settings', 'gate'] as const;
    const changed = properties.filter((key) => JSON.stringify(was[key]) !== JSON.stringify(field[key]));
    if (changed.length > 0 && !(changed.length === 1 && changed[0] === 'options' && removedOptions.length > 0)) {
      add({ ...at, kind: 'UPDATE_FIELD', detail: `${changed.join(', ')} changed` });
    }
  }
};

const compareIndexes = (old: DeclaredObject, object: DeclaredObject, add: AddChange): void => {
  const before = new Map(old.indexes.map((index) => [index.name, index]));
  const oldStandardIds = new Set(old.fields.map((field) => field.standardId));
  for (const index of object.indexes) {
    if (before.has(index.name)) continue;
    const fields = indexFields(object, index.fields);
    // A unique index over fields that are new has no existing values to clash.
    const overExisting = fields.some((field) => oldStandardIds.has(field.standardId));
    const unique = index.isUnique && overExisting;
    add({
      kind: unique ? 'NEW_UNIQUE_INDEX' : 'ADD_INDEX',
      object: object.nameSingular,
      field: fields.map((field) => field.name).join(', ') || null,
      standardId: fields[0]?.standardId ?? null,
      detail: unique ? `new unique index ${index.name}: existing duplicates must be resolved` : `new index ${index.name}`,
      hazard: index.isUnique ? 'BLOCKS_WRITES' : null,
      needsDataMove: unique,
    });
  }
  for (const index of old.indexes) {
    if (!object.indexes.some((candidate) => candidate.name === index.name)) {
      add({ kind: 'REMOVE_INDEX', object: object.nameSingular, field: null, standardId: null, detail: `index ${index.name} removed` });
    }
  }
};

/**
 * Checks `current` against the snapshot of `against`: each change that needs data moved must be
 * claimed by one of `steps` (the steps of the versions after `against`, the next one included).
 */
export const checkDeclarations = (
  current: DeclaredSchema,
  previous: DeclaredSchema,
  against: string,
  steps: UpgradeStep[],
  nextVersion: string,
): DeclarationsCheckResult => {
  const named = steps.map((step) => ({ step, ids: namedStandardIds(step) }));
  const changes = compareDeclarations(previous, current).map((change) => {
    if (!change.needsDataMove || change.standardId === null) return change;
    // A step that lists the field in its claims comes before one whose definition merely names it.
    const step =
      steps.find((candidate) => candidate.claims?.includes(change.standardId!)) ??
      named.find(({ ids }) => ids.has(change.standardId!))?.step;
    return step ? { ...change, claimedBy: `${step.version}:${step.name}` } : change;
  });
  return { against, nextVersion, changes, unclaimed: changes.filter((change) => change.needsDataMove && change.claimedBy === null) };
};

/** One line per change: where, what, its hazard, and who handles it (or what to do). */
export const formatDeclarationChange = (change: DeclarationChange, nextVersion: string): string => {
  const where = change.field ? `${change.object}.${change.field}` : change.object;
  const hazard = change.hazard ? ` [${change.hazard}]` : '';
  const who = !change.needsDataMove
    ? 'sync alone'
    : change.claimedBy
      ? `upgrade step ${change.claimedBy}`
      : `NOT CLAIMED: add a step to ${versionFolder(nextVersion)} whose definition (or claims) names standardId ${change.standardId}, or revert the change`;
  return `${change.kind} ${where}${hazard}: ${change.detail} -> ${who}`;
};
