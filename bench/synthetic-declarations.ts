import { DeclarationSetBuilder } from '../src/declarations/declaration-set.builder';
import { DeclaredSchema, DeclaredSelectOption } from '../src/declarations/declared-schema';
import { EntityClass } from '../src/declarations/declaration.storage';
import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIndex,
  WorkspaceIsDeprecated,
  WorkspaceIsNullable,
  WorkspaceIsSystem,
  WorkspaceIsUnique,
  WorkspaceRelation,
  WorkspaceTargets,
} from '../src/declarations/decorators/workspace.decorators';
import { FieldType, OnDeleteAction, RelationType } from '../src/declarations/field-type';
import { SEARCHABLE_TYPES } from '../src/declarations/search-fields';
import { deterministicUuid } from '../src/sync/deterministic-id';

/**
 * A synthetic declaration set the size of a real CRM's standard set: 34 business objects, each with
 * fields of every type, chained by relations (each object points at the two before it, some of
 * them required), some relating to themselves, SELECT and MULTI_SELECT options with ids and values
 * in upper, mixed and lower case, a unique EMAILS field, and polymorphic target objects that point
 * at every business object and every custom object.
 *
 * `v1` is the set as first released; `v2` evolves it the ways a release does: fields renamed by
 * standardId, one deprecated, one removed, an option added, an option value renamed by its id, an
 * on-delete rule changed, and a new target object. Every call builds fresh classes, so sets never share declarations.
 */
export type SyntheticVersion = 'v1' | 'v2';

export const SYNTHETIC_OBJECT_NAMES = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  'golf',
  'hotel',
  'india',
  'juliet',
  'kilo',
  'lima',
  'mike',
  'november',
  'oscar',
  'papa',
  'quebec',
  'romeo',
  'sierra',
  'tango',
  'uniform',
  'victor',
  'whiskey',
  'xray',
  'yankee',
  'zulu',
  'amber',
  'cobalt',
  'ember',
  'flint',
  'garnet',
  'harbor',
  'indigo',
  'jasper',
] as const;

/** Target objects: each points at one record of any business object or custom object. */
const TARGETS_V1 = ['commentTarget', 'fileTarget', 'starTarget'];
const TARGETS_V2 = [...TARGETS_V1, 'timelineTarget'];

/**
 * Every field type a declaration can hold, legacy ones included (old sets still carry them), but
 * relations and search fields, which every object declares apart.
 */
export const SYNTHETIC_FIELD_TYPES: FieldType[] = Object.values(FieldType).filter(
  (type) => type !== FieldType.RELATION && type !== FieldType.TS_VECTOR,
);

/** Typed fields per business object; the type of field k of object i is SYNTHETIC_FIELD_TYPES[(i + k) % n]. */
const TYPED_FIELDS = 12;

/** Objects 0, 5, 10 ... relate to themselves (`parent` / `children`). */
export const SELF_RELATION_EVERY = 5;

/** The EMAILS field (type index 15) of object 10 is unique. */
export const UNIQUE_EMAILS = { object: 10, field: 5 } as const;

/** The `second` relation (CASCADE) of objects 2, 5, 8 ... is required: a NOT NULL foreign key. */
export const isRequiredSecond = (objectIndex: number): boolean => objectIndex >= 2 && objectIndex % 3 === 2;

/** v2: what changes, by object index and field index. */
export const SYNTHETIC_V2_CHANGES = {
  /** Field 0 of these objects is renamed (same standardId): `<name>` -> `<name>Renamed`. */
  renamedOn: [0, 1, 2, 3, 4],
  deprecated: { object: 5, field: 1 },
  removed: { object: 6, field: 2 },
  /** The `previous` relation of this object changes from SET_NULL to CASCADE. */
  onDeleteChanged: 10,
  /** The SELECT of object 0 (field 7) gains an option and renames one value, known by its option id. */
  optionsChanged: { object: 0, field: 7 },
  optionRenamed: { from: 'closed', to: 'closedWon' },
  newTarget: 'timelineTarget',
} as const;

/** Option values as real sets declare them: upper case, mixed case and lower case. */
export const SYNTHETIC_OPTION_VALUES = ['NEW', 'inProgress', 'closed'] as const;
const OPTION_LABELS = ['New', 'In progress', 'Closed'];
const OPTION_COLORS = ['blue', 'green', 'gray'];
const ADDED_OPTION = { value: 'ARCHIVED', label: 'Archived', color: 'red' };

const id = (...parts: Array<string | number>): string => deterministicUuid('synthetic-declarations', ...parts.map(String));
const capitalize = (name: string): string => name[0].toUpperCase() + name.slice(1);
const plural = (name: string): string => `${name}s`;

/** A class named `name` (the builder names classes in its messages). */
const namedClass = (name: string, base: abstract new () => object): EntityClass => {
  const holder = { [name]: class extends (base as new () => object) {} };
  return holder[name];
};

const property = (target: EntityClass, name: string, ...decorators: PropertyDecorator[]): void => {
  for (const decorate of decorators) decorate(target.prototype as object, name);
};

/** The name of typed field k of object i (a type's short name and k keep names distinct). */
export const syntheticFieldName = (objectIndex: number, k: number): string => {
  const type = SYNTHETIC_FIELD_TYPES[(objectIndex + k) % SYNTHETIC_FIELD_TYPES.length];
  return `${type.toLowerCase().replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase())}${k}`;
};

/**
 * The options of select field k of object i, each with an id of its own: in v2 the SELECT named by
 * SYNTHETIC_V2_CHANGES.optionsChanged renames a value (same id) and gains an option.
 */
const selectOptions = (objectName: string, objectIndex: number, k: number, version: SyntheticVersion): DeclaredSelectOption[] => {
  const { optionsChanged, optionRenamed } = SYNTHETIC_V2_CHANGES;
  const changed = version === 'v2' && objectIndex === optionsChanged.object && k === optionsChanged.field;
  const options = SYNTHETIC_OPTION_VALUES.map((value, position) => ({
    id: id(objectName, 'field', k, 'option', position),
    value: changed && value === optionRenamed.from ? optionRenamed.to : value,
    label: OPTION_LABELS[position],
    position,
    color: OPTION_COLORS[position],
  }));
  return changed
    ? [...options, { id: id(objectName, 'field', k, 'option', options.length), ...ADDED_OPTION, position: options.length }]
    : options;
};

/** Options of a typed field: the type's nullability and default, options for the select types. */
const typedField = (
  type: FieldType,
  objectIndex: number,
  k: number,
  version: SyntheticVersion,
): { defaultValue?: unknown; options?: DeclaredSelectOption[]; nullable: boolean } => {
  const objectName = SYNTHETIC_OBJECT_NAMES[objectIndex];
  switch (type) {
    case FieldType.TEXT:
      return { defaultValue: '', nullable: false };
    case FieldType.NUMBER:
      return { defaultValue: 0, nullable: false };
    case FieldType.BOOLEAN:
      return { defaultValue: false, nullable: false };
    case FieldType.SELECT:
      return { defaultValue: 'NEW', options: selectOptions(objectName, objectIndex, k, version), nullable: false };
    case FieldType.MULTI_SELECT:
      return { options: selectOptions(objectName, objectIndex, k, version), nullable: true };
    default:
      return { nullable: true };
  }
};

/** Builds the synthetic set at `version` and validates it; throws a DeclarationError listing every problem. */
export const buildSyntheticDeclarations = (version: SyntheticVersion): DeclaredSchema => {
  const targets = version === 'v1' ? TARGETS_V1 : TARGETS_V2;
  const changes = SYNTHETIC_V2_CHANGES;

  abstract class SyntheticBase {}
  property(
    SyntheticBase,
    'id',
    WorkspaceField({ standardId: id('base', 'id'), type: FieldType.UUID, label: 'Id', defaultValue: 'uuid' }),
    WorkspaceIsSystem(),
  );
  property(
    SyntheticBase,
    'createdAt',
    WorkspaceField({ standardId: id('base', 'createdAt'), type: FieldType.DATE_TIME, label: 'Creation date', defaultValue: 'now' }),
  );
  property(
    SyntheticBase,
    'updatedAt',
    WorkspaceField({ standardId: id('base', 'updatedAt'), type: FieldType.DATE_TIME, label: 'Last update', defaultValue: 'now' }),
  );
  property(
    SyntheticBase,
    'deletedAt',
    WorkspaceField({ standardId: id('base', 'deletedAt'), type: FieldType.DATE_TIME, label: 'Deleted at' }),
    WorkspaceIsNullable(),
    WorkspaceIsSystem(),
  );

  const business = SYNTHETIC_OBJECT_NAMES.map((name) => namedClass(`${capitalize(name)}Synthetic`, SyntheticBase));
  const targetClasses = new Map(targets.map((name) => [name, namedClass(`${capitalize(name)}Synthetic`, SyntheticBase)]));

  const customBase = namedClass('CustomSynthetic', SyntheticBase);
  property(customBase, 'name', WorkspaceField({ standardId: id('custom', 'name'), type: FieldType.TEXT, label: 'Name', defaultValue: '' }));

  SYNTHETIC_OBJECT_NAMES.forEach((name, i) => {
    const entity = business[i];
    property(
      entity,
      'name',
      WorkspaceField({ standardId: id(name, 'name'), type: FieldType.TEXT, label: 'Name', defaultValue: '' }),
      WorkspaceIndex(),
    );
    for (let k = 0; k < TYPED_FIELDS; k += 1) {
      if (version === 'v2' && i === changes.removed.object && k === changes.removed.field) continue;
      const type = SYNTHETIC_FIELD_TYPES[(i + k) % SYNTHETIC_FIELD_TYPES.length];
      const base = syntheticFieldName(i, k);
      const renamed = version === 'v2' && k === 0 && (changes.renamedOn as readonly number[]).includes(i);
      const { defaultValue, options, nullable } = typedField(type, i, k, version);
      const decorators = [
        WorkspaceField({
          standardId: id(name, 'field', k),
          type,
          label: renamed ? `${capitalize(base)} (renamed)` : capitalize(base),
          description: `${capitalize(name)} field ${k} of type ${type}`,
          icon: 'IconAbc',
          ...(defaultValue !== undefined ? { defaultValue } : {}),
          ...(options ? { options } : {}),
        }),
      ];
      if (nullable) decorators.push(WorkspaceIsNullable());
      if (i === UNIQUE_EMAILS.object && k === UNIQUE_EMAILS.field) decorators.push(WorkspaceIsUnique());
      if (version === 'v2' && i === changes.deprecated.object && k === changes.deprecated.field) decorators.push(WorkspaceIsDeprecated());
      property(entity, renamed ? `${base}Renamed` : base, ...decorators);
    }
    // A search field over the name and the object's typed fields a search field can index.
    const searchable = Array.from({ length: TYPED_FIELDS }, (_unused, k) => k).filter(
      (k) =>
        SEARCHABLE_TYPES.includes(SYNTHETIC_FIELD_TYPES[(i + k) % SYNTHETIC_FIELD_TYPES.length]) &&
        !(version === 'v2' && i === changes.removed.object && k === changes.removed.field) &&
        !(version === 'v2' && i === changes.deprecated.object && k === changes.deprecated.field) &&
        !(version === 'v2' && k === 0 && (changes.renamedOn as readonly number[]).includes(i)),
    );
    property(
      entity,
      'searchVector',
      WorkspaceField({
        standardId: id(name, 'searchVector'),
        type: FieldType.TS_VECTOR,
        label: 'Search vector',
        settings: {
          searchFields: [{ field: 'name', weight: 'A' }, ...searchable.map((k) => ({ field: syntheticFieldName(i, k), weight: 'B' }))],
        },
      }),
      WorkspaceIsNullable(),
      WorkspaceIsSystem(),
    );
    // Each object points at the one before it (SET_NULL) and the one before that (CASCADE, required on some).
    for (const [key, distance] of [
      ['previous', 1],
      ['second', 2],
    ] as const) {
      if (i < distance) continue;
      const target = business[i - distance];
      const onDelete =
        key === 'second' || (version === 'v2' && key === 'previous' && i === changes.onDeleteChanged)
          ? OnDeleteAction.CASCADE
          : OnDeleteAction.SET_NULL;
      const isRequired = key === 'second' && isRequiredSecond(i);
      property(
        entity,
        key,
        WorkspaceRelation({
          standardId: id(name, key),
          type: RelationType.MANY_TO_ONE,
          label: capitalize(key),
          inverseSideTarget: () => target,
          inverseSideFieldKey: `${key}Of${capitalize(name)}`,
          onDelete,
          ...(isRequired ? { isRequired } : {}),
        }),
        ...(isRequired ? [] : [WorkspaceIsNullable()]),
        WorkspaceIndex(),
      );
      property(
        target,
        `${key}Of${capitalize(name)}`,
        WorkspaceRelation({
          standardId: id(SYNTHETIC_OBJECT_NAMES[i - distance], `${key}Of`, name),
          type: RelationType.ONE_TO_MANY,
          label: `${capitalize(key)} of ${capitalize(name)}`,
          inverseSideTarget: () => entity,
          inverseSideFieldKey: key,
        }),
      );
    }
    // Every fifth object relates to itself (a company's parent company).
    if (i % SELF_RELATION_EVERY === 0) {
      property(
        entity,
        'parent',
        WorkspaceRelation({
          standardId: id(name, 'parent'),
          type: RelationType.MANY_TO_ONE,
          label: `Parent ${name}`,
          inverseSideTarget: () => entity,
          inverseSideFieldKey: 'children',
          onDelete: OnDeleteAction.SET_NULL,
        }),
        WorkspaceIsNullable(),
        WorkspaceIndex(),
      );
      property(
        entity,
        'children',
        WorkspaceRelation({
          standardId: id(name, 'children'),
          type: RelationType.ONE_TO_MANY,
          label: `Child ${plural(name)}`,
          inverseSideTarget: () => entity,
          inverseSideFieldKey: 'parent',
        }),
      );
    }
  });

  for (const [target, targetClass] of targetClasses) {
    property(
      targetClass,
      'note',
      WorkspaceField({ standardId: id(target, 'note'), type: FieldType.TEXT, label: 'Note', defaultValue: '' }),
    );
    // Declared once: a relation to every business object and every custom object.
    WorkspaceTargets({
      objects: () => business,
      standardIds: Object.fromEntries(SYNTHETIC_OBJECT_NAMES.map((name) => [name, id(target, name)])),
      inverseSideFieldKey: plural(target),
      description: (objectName) => `${capitalize(target)} of a ${objectName}`,
      customObjects: { standardId: id('custom', plural(target)), label: capitalize(plural(target)) },
    })(targetClass);
    SYNTHETIC_OBJECT_NAMES.forEach((name, i) => {
      property(
        business[i],
        plural(target),
        WorkspaceRelation({
          standardId: id(name, plural(target)),
          type: RelationType.ONE_TO_MANY,
          label: capitalize(plural(target)),
          inverseSideTarget: () => targetClass,
          inverseSideFieldKey: name,
        }),
      );
    });
  }

  SYNTHETIC_OBJECT_NAMES.forEach((name, i) =>
    WorkspaceEntity({
      standardId: id('object', name),
      nameSingular: name,
      namePlural: plural(name),
      labelSingular: capitalize(name),
      labelPlural: capitalize(plural(name)),
      icon: 'IconBox',
      labelIdentifierStandardId: id(name, 'name'),
    })(business[i]),
  );
  for (const [target, targetClass] of targetClasses) {
    WorkspaceEntity({
      standardId: id('object', target),
      nameSingular: target,
      namePlural: plural(target),
      labelSingular: capitalize(target),
      labelPlural: capitalize(plural(target)),
      icon: 'IconTarget',
    })(targetClass);
    WorkspaceIsSystem()(targetClass);
  }

  return DeclarationSetBuilder.build({
    entities: [...business, ...targetClasses.values()],
    customObjectBase: customBase,
    version: `synthetic-${version}`,
  });
};

/** The figures a report gives of a set: objects, fields (relations included) and relations (pairs). */
export const syntheticSetSize = (declared: DeclaredSchema): { objects: number; fields: number; relations: number } => {
  const fields = declared.objects.flatMap((object) => object.fields);
  return {
    objects: declared.objects.length,
    fields: fields.length,
    relations: fields.filter((field) => field.relation?.type === RelationType.MANY_TO_ONE).length,
  };
};
