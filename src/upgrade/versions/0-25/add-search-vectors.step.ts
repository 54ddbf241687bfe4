import { DeclaredSchema } from '../../../declarations/declared-schema';
import { FieldType } from '../../../declarations/field-type';
import { getVersionSnapshot } from '../../../standard-objects/version-snapshots';
import { addSearchVectorOnline, readSearchVectorPlan } from '../../steps/search-vector-online';
import { StepReport, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';

/** The search fields of the 0.25 snapshot, by object: what the step adds where the workspace has the object. */
export const SEARCH_FIELDS_0_25 = getVersionSnapshot('0.25').objects.flatMap((object) =>
  object.fields
    .filter((field) => field.type === FieldType.TS_VECTOR)
    .map((field) => ({ object: object.nameSingular, standardId: field.standardId, name: field.name, settings: field.settings })),
);

/** The step's work against the search fields of `declared` (the 0.25 snapshot when it runs in the upgrade). */
export const addSearchVectorsFrom = async (context: UpgradeStepContext, declared: DeclaredSchema): Promise<StepReport> => {
  const report: StepReport = { rowsAffected: 0, notes: [], maxBatchMs: 0 };
  const plan = await readSearchVectorPlan(context, declared);
  for (const target of plan.targets) await addSearchVectorOnline(context, plan, target, report);
  if (report.notes.length === 0) report.notes.push('every search field in place and filled');
  return report;
};

/**
 * The search field (TS_VECTOR) of each object of the 0.25 snapshot that the workspace has without
 * one (person, company, opportunity, note), added online: column, trigger and metadata row in one
 * brief-lock transaction, then the existing rows filled in batches of pages sized by time, with a
 * checkpoint each. Runs after the field moves (the vectors read their new columns) and before the
 * sync, which then finds the fields converged; their indexes are the next step's. The moves add
 * the search fields of person and note before their batches, which fill them as they write every
 * row: this step finds those in place and filled.
 */
export const addSearchVectors: UpgradeStep = {
  version: '0.25',
  name: 'add-search-vectors',
  phase: 'before-sync',
  description: 'Add the search fields of person, company, opportunity and note online, then fill them in batches',
  definition: {
    revision: 2,
    fields: SEARCH_FIELDS_0_25,
    add: 'column without default, trigger function and trigger, metadata row: one transaction, brief lock timeout, retried',
    fill: 'batches of consecutive pages sized by time, checkpoint per batch, the trigger expression; a field added by a field move is filled by its batches',
  },
  claims: SEARCH_FIELDS_0_25.map((field) => field.standardId),
  run: (context: UpgradeStepContext): Promise<StepReport> => addSearchVectorsFrom(context, getVersionSnapshot('0.25')),
};
