import { DeclaredSchema } from '../../../src/declarations/declared-schema';
import { v1 } from '../../fixtures/declarations/v1';
import { v2 } from '../../fixtures/declarations/v2';
import { v3 } from '../../fixtures/declarations/v3';

const SETS: Record<string, DeclaredSchema> = { v1, v2, v3 };

/** A test declaration set by name. */
export const fixtureDeclarations = (name: string): DeclaredSchema => {
  const set = SETS[name];
  if (!set) throw new Error(`no declaration set "${name}" (known: ${Object.keys(SETS).join(', ')})`);
  return set;
};
