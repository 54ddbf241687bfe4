import {
  declarationStorage,
  EntityClass,
  IndexOptions,
  PropertyRecord,
  WorkspaceEntityOptions,
  WorkspaceFieldOptions,
  WorkspaceRelationOptions,
  WorkspaceTargetsOptions,
} from '../declaration.storage';

type ClassOrPropertyDecorator = (target: object, propertyKey?: string | symbol) => void;

const onProperty =
  (apply: (record: PropertyRecord) => void): PropertyDecorator =>
  (target, propertyKey) =>
    apply(declarationStorage.propertyRecord(target.constructor, String(propertyKey)));

/** Declares a standard object. */
export const WorkspaceEntity =
  (options: WorkspaceEntityOptions): ClassDecorator =>
  (target) => {
    declarationStorage.classRecord(target).entity = options;
  };

/**
 * Declares a polymorphic target object once: a nullable relation (foreign key `<object>Id`,
 * indexed) to each of the named standard objects, and with `customObjects`, to every custom object.
 */
export const WorkspaceTargets =
  (options: WorkspaceTargetsOptions): ClassDecorator =>
  (target) => {
    declarationStorage.classRecord(target).targets = options;
  };

/** Declares a field of a plain or composite type. */
export const WorkspaceField = (options: WorkspaceFieldOptions): PropertyDecorator =>
  onProperty((record) => {
    record.field = options;
  });

/** Declares a relation; the MANY_TO_ONE side owns the foreign key `<name>Id`. */
export const WorkspaceRelation = (options: WorkspaceRelationOptions): PropertyDecorator =>
  onProperty((record) => {
    record.relation = options;
  });

export const WorkspaceIsNullable = (): PropertyDecorator =>
  onProperty((record) => {
    record.isNullable = true;
  });

export const WorkspaceIsDeprecated = (): PropertyDecorator =>
  onProperty((record) => {
    record.isDeprecated = true;
  });

/** The field is created inactive; a workspace that activates it keeps it active. */
export const WorkspaceIsInactive = (): PropertyDecorator =>
  onProperty((record) => {
    record.isInactive = true;
  });

export const WorkspaceIsUnique = (): PropertyDecorator =>
  onProperty((record) => {
    record.isUnique = true;
  });

/** On a class: a system object (hidden from users). On a property: a system field. */
export const WorkspaceIsSystem = (): ClassOrPropertyDecorator => (target, propertyKey) => {
  if (propertyKey === undefined) {
    declarationStorage.classRecord(target as EntityClass).isSystem = true;
  } else {
    declarationStorage.propertyRecord(target.constructor, String(propertyKey)).isSystem = true;
  }
};

/** Only workspaces with the named feature flag get this object or field. */
export const WorkspaceGate =
  (options: { featureFlag: string }): ClassOrPropertyDecorator =>
  (target, propertyKey) => {
    if (propertyKey === undefined) {
      declarationStorage.classRecord(target as EntityClass).gate = options.featureFlag;
    } else {
      declarationStorage.propertyRecord(target.constructor, String(propertyKey)).gate = options.featureFlag;
    }
  };

/**
 * On a class: `@WorkspaceIndex(['fieldA', 'fieldB'], { isUnique })`. On a property:
 * `@WorkspaceIndex({ isUnique })` indexes that field alone.
 */
export function WorkspaceIndex(fields: string[], options?: IndexOptions): ClassDecorator;
export function WorkspaceIndex(options?: IndexOptions): PropertyDecorator;
export function WorkspaceIndex(fieldsOrOptions?: string[] | IndexOptions, options: IndexOptions = {}): ClassOrPropertyDecorator {
  return (target, propertyKey) => {
    if (propertyKey === undefined) {
      const fields = Array.isArray(fieldsOrOptions) ? fieldsOrOptions : [];
      declarationStorage.classRecord(target as EntityClass).indexes.push({ ...options, fields });
    } else {
      const indexOptions = Array.isArray(fieldsOrOptions) ? options : (fieldsOrOptions ?? {});
      declarationStorage.propertyRecord(target.constructor, String(propertyKey)).index = indexOptions;
    }
  };
}
