import { DeclarationSetBuilder, DeclarationSetInput } from './declaration-set.builder';
import { DeclarationError, DeclarationIssue } from './declaration.error';
import { WorkspaceEntityOptions } from './declaration.storage';
import { WorkspaceField } from './decorators/workspace.decorators';
import { FieldType } from './field-type';

/**
 * Every test declares its own classes: the decorator storage is keyed by class object, so sets
 * never leak into each other. Relation properties are typed `object`, not as the target class,
 * because emitted decorator metadata would read a class declared further down (TDZ).
 */

export const SPEC_BASE_ID_STANDARD_ID = '45277723-accd-4948-9f51-2af70e490b49';

export abstract class SpecBaseEntity {
  @WorkspaceField({ standardId: SPEC_BASE_ID_STANDARD_ID, type: FieldType.UUID, label: 'Id', defaultValue: 'uuid' })
  id: string;
}

export const object = (
  standardId: string,
  nameSingular: string,
  namePlural: string,
  extra: Partial<WorkspaceEntityOptions> = {},
): WorkspaceEntityOptions => ({
  standardId,
  nameSingular,
  namePlural,
  labelSingular: nameSingular,
  labelPlural: namePlural,
  ...extra,
});

/** Builds the set and returns the DeclarationError it must throw. */
export const buildError = (input: DeclarationSetInput): DeclarationError => {
  let thrown: unknown;
  try {
    DeclarationSetBuilder.build(input);
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof DeclarationError)) {
    throw new Error(`expected a DeclarationError, got ${thrown === undefined ? 'no error' : String(thrown)}`);
  }
  return thrown;
};

/** The structured issue must be listed, and the message must show it as a person reads it. */
export const expectIssue = (
  error: DeclarationError,
  issue: Pick<DeclarationIssue, 'className' | 'propertyName' | 'rule'>,
  formatted: string,
): void => {
  expect(error.issues).toContainEqual(expect.objectContaining(issue));
  expect(error.message).toContain(formatted);
};
