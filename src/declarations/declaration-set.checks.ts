import { DeclarationRule } from './declaration.error';
import { DeclaredObject } from './declared-schema';
import { RelationType } from './field-type';
import { ResolvedClass } from './resolved-class';

/*
 * The rules of a declaration set that span objects: object names and standardIds unique across the set,
 * and relations whose two sides agree. Each problem goes to `report`, so that all are told at once.
 */

type Report = (className: string, propertyName: string | null, rule: DeclarationRule, message: string) => void;

export const checkObjectIdentity = (
  objects: DeclaredObject[],
  sources: ReadonlyMap<DeclaredObject, ResolvedClass>,
  report: Report,
): void => {
  const names = new Map<string, string>();
  const standardIds = new Map<string, string>();
  const fieldStandardIds = new Map<string, string>();
  const shortcuts = new Map<string, string>();
  for (const object of objects) {
    const resolved = sources.get(object)!;
    const className = resolved.className;
    if (object.nameSingular === object.namePlural) {
      report(className, null, 'duplicate-object-name', `nameSingular and namePlural are both "${object.nameSingular}"`);
    }
    for (const name of [object.nameSingular, object.namePlural]) {
      const other = names.get(name);
      if (other && other !== className) {
        report(className, null, 'duplicate-object-name', `object name "${name}" is already used by ${other}`);
      }
      names.set(name, className);
    }
    const other = standardIds.get(object.standardId) ?? fieldStandardIds.get(object.standardId);
    if (other) {
      report(className, null, 'duplicate-standard-id', `standardId ${object.standardId} is already used by ${other}`);
    }
    standardIds.set(object.standardId, className);
    if (object.shortcut !== undefined) {
      const owner = shortcuts.get(object.shortcut);
      if (owner) report(className, null, 'invalid-object-property', `shortcut "${object.shortcut}" is already the shortcut of ${owner}`);
      shortcuts.set(object.shortcut, className);
    }

    // A field's standardId is unique within its object (buildFields checks that); real sets reuse
    // one on several objects, as the metadata constraint (per object) allows. It only may not name an object.
    for (const field of object.fields) {
      const objectOwner = standardIds.get(field.standardId);
      if (objectOwner) {
        report(className, field.name, 'duplicate-standard-id', `standardId ${field.standardId} is already used by ${objectOwner}`);
      }
      if (!fieldStandardIds.has(field.standardId)) fieldStandardIds.set(field.standardId, `${className}.${field.name}`);
    }
  }
};

export const checkRelations = (
  object: DeclaredObject,
  resolved: ResolvedClass,
  classes: readonly ResolvedClass[],
  report: Report,
): void => {
  const className = resolved.className;
  for (const field of object.fields) {
    if (!field.relation || !field.relation.inverseFieldName) continue;
    const property = resolved.properties.find((p) => p.record.propertyName === field.name)!;
    const target = property.record.relation!.inverseSideTarget();
    const targetClass = classes.find((candidate) => candidate.target === target);
    if (!targetClass) continue;
    const inverse = targetClass.properties.find((p) => p.record.propertyName === field.relation!.inverseFieldName);
    if (!inverse || !inverse.record.relation) {
      report(
        className,
        field.name,
        'relation-inverse-missing',
        `the inverse field "${field.relation.inverseFieldName}" is not a relation of ${targetClass.className}`,
      );
      continue;
    }
    const expectedType = field.relation.type === RelationType.MANY_TO_ONE ? RelationType.ONE_TO_MANY : RelationType.MANY_TO_ONE;
    const inverseRelation = inverse.record.relation;
    if (
      inverseRelation.type !== expectedType ||
      inverseRelation.inverseSideTarget?.() !== resolved.target ||
      inverseRelation.inverseSideFieldKey !== field.name
    ) {
      report(
        className,
        field.name,
        'relation-inverse-mismatch',
        `${targetClass.className}.${inverse.record.propertyName} must be a ${expectedType} relation back to ${className}.${field.name}`,
      );
    }
  }
};
