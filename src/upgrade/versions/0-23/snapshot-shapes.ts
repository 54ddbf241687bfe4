import { DeclaredField } from '../../../declarations/declared-schema';
import { STANDARD_OBJECT_IDS } from '../../../standard-objects/standard-ids.constant';
import { getVersionSnapshot } from '../../../standard-objects/version-snapshots';

/** A standard field as a frozen snapshot declares it, by object and field standardId. */
export const snapshotField = (version: string, objectStandardId: string, fieldStandardId: string): DeclaredField => {
  const object = getVersionSnapshot(version).objects.find((candidate) => candidate.standardId === objectStandardId);
  const field = object?.fields.find((candidate) => candidate.standardId === fieldStandardId);
  if (!field) {
    throw new Error(`the ${version} snapshot has no field ${fieldStandardId} on object ${objectStandardId}`);
  }
  return field;
};

export const PERSON = STANDARD_OBJECT_IDS.person;
export const COMPANY = STANDARD_OBJECT_IDS.company;
