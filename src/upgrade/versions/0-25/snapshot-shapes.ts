import { DeclaredField } from '../../../declarations/declared-schema';
import { STANDARD_OBJECT_IDS } from '../../../standard-objects/standard-ids.constant';
import { getVersionSnapshot } from '../../../standard-objects/version-snapshots';

export { snapshotField } from '../0-23/snapshot-shapes';

/** A standard field as a frozen snapshot declares it, by object standardId and field name. */
export const snapshotFieldNamed = (version: string, objectStandardId: string, name: string): DeclaredField => {
  const object = getVersionSnapshot(version).objects.find((candidate) => candidate.standardId === objectStandardId);
  const field = object?.fields.find((candidate) => candidate.name === name);
  if (!field) throw new Error(`the ${version} snapshot has no field ${name} on object ${objectStandardId}`);
  return field;
};

export const PERSON = STANDARD_OBJECT_IDS.person;
export const NOTE = STANDARD_OBJECT_IDS.note;
