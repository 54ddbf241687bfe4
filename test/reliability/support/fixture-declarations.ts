import { DeclaredSchema } from '../../../src/declarations/declared-schema';
import { FieldType } from '../../../src/declarations/field-type';
import { CURRENT_VERSION } from '../../../src/standard-objects/version.constant';
import { getVersionSnapshot } from '../../../src/standard-objects/version-snapshots';
import { v1 } from '../../fixtures/declarations/v1';
import { v2 } from '../../fixtures/declarations/v2';
import { v3 } from '../../fixtures/declarations/v3';

/** A copy of `schema` with `change` applied to field `object.field`. */
const changeField = (
  schema: DeclaredSchema,
  version: string,
  object: string,
  field: string,
  change: (declared: DeclaredSchema['objects'][number]['fields'][number]) => object | null,
): DeclaredSchema => {
  const copy: DeclaredSchema = JSON.parse(JSON.stringify(schema));
  const target = copy.objects.find((candidate) => candidate.nameSingular === object)!;
  target.fields = target.fields.flatMap((candidate) => {
    if (candidate.name !== field) return [candidate];
    const changed = change(candidate);
    return changed ? [{ ...candidate, ...changed }] : [];
  });
  return { ...copy, version };
};

const SETS: Record<string, () => DeclaredSchema> = {
  v1: () => v1,
  v2: () => v2,
  v3: () => v3,
  /** v2 with the option LOST of person.stage removed: rows holding LOST cannot convert to the new enum. */
  'v2-without-lost': () =>
    changeField(v2, 'v2-without-lost', 'person', 'stage', (field) => ({
      options: field.options!.filter((option) => option.value !== 'LOST').map((option, position) => ({ ...option, position })),
    })),
  /** v2 with person.city declared as a NUMBER: a type change that sync does not make. */
  'v2-city-number': () => changeField(v2, 'v2-city-number', 'person', 'city', () => ({ type: FieldType.NUMBER, defaultValue: 0 })),
  /** The current standard declarations without person.city: a standard field removed from the code. */
  'standard-without-city': () => changeField(getVersionSnapshot(CURRENT_VERSION), CURRENT_VERSION, 'person', 'city', () => null),
};

/** A test declaration set by name. */
export const fixtureDeclarations = (name: string): DeclaredSchema => {
  const set = SETS[name];
  if (!set) throw new Error(`no declaration set "${name}" (known: ${Object.keys(SETS).join(', ')})`);
  return set();
};
