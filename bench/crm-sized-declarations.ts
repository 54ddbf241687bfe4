import { createHash } from 'node:crypto';

import { DeclaredObject, DeclaredSchema } from '../src/declarations/declared-schema';

/** A UUID derived from `seed` (the same seed, the same id), formatted as version 4. */
const derivedId = (seed: string): string => {
  const hex = createHash('sha1').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/**
 * A declaration set of a real CRM's size for the benchmarks, made from `base`: its objects, then
 * `copies` copies of the whole set (`companyCopy1`, `personCopy1`, ...), each copy's relations
 * pointing at the objects of the same copy, its standardIds derived from the originals'. With the
 * 11 standard objects and 3 copies: 44 objects.
 */
export const crmSizedDeclarations = (base: DeclaredSchema, copies = 3): DeclaredSchema => {
  const copyOf = (object: DeclaredObject, copy: number): DeclaredObject => {
    const suffix = `Copy${copy}`;
    const id = (standardId: string) => derivedId(`${standardId}:${copy}`);
    return {
      ...object,
      standardId: id(object.standardId),
      nameSingular: `${object.nameSingular}${suffix}`,
      namePlural: `${object.namePlural}${suffix}`,
      labelSingular: `${object.labelSingular} ${copy}`,
      labelPlural: `${object.labelPlural} ${copy}`,
      labelIdentifierStandardId: object.labelIdentifierStandardId && id(object.labelIdentifierStandardId),
      fields: object.fields.map((field) => ({
        ...field,
        standardId: id(field.standardId),
        relation: field.relation && { ...field.relation, targetObject: `${field.relation.targetObject}${suffix}` },
      })),
      indexes: object.indexes.map((index) => ({ ...index, name: `${index.name}${suffix}` })),
    };
  };
  const objects = [...base.objects];
  for (let copy = 1; copy <= copies; copy += 1) {
    objects.push(...base.objects.map((object) => copyOf(object, copy)));
  }
  return { ...base, objects };
};
