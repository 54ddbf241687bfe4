import { ClassRecord, declarationStorage, EntityClass, PropertyRecord } from './declaration.storage';

export interface ResolvedProperty {
  record: PropertyRecord;
  /** The class that declared it (a base class for inherited fields). */
  owner: EntityClass;
}

export interface ResolvedClass {
  target: EntityClass;
  className: string;
  record: ClassRecord | undefined;
  properties: ResolvedProperty[];
}

/** A class with its decorator records and those of its base classes (inherited fields). */
export const resolveClass = (target: EntityClass): ResolvedClass => {
  const chain: EntityClass[] = [];
  for (let current = target; current && current !== Object.prototype.constructor;) {
    chain.push(current);
    const parent = Object.getPrototypeOf(current);
    current = parent && parent !== Function.prototype ? parent : undefined;
  }
  const properties: ResolvedProperty[] = [];
  for (const owner of chain) {
    for (const record of declarationStorage.find(owner)?.properties.values() ?? []) {
      properties.push({ record, owner });
    }
  }
  return { target, className: target.name, record: declarationStorage.find(target), properties };
};
