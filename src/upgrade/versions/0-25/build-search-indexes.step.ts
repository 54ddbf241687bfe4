import { DeclaredSchema } from '../../../declarations/declared-schema';
import { getVersionSnapshot } from '../../../standard-objects/version-snapshots';
import { SEARCH_FIELDS_0_25 } from './add-search-vectors.step';
import { buildSearchIndex, readSearchVectorPlan } from '../../steps/search-vector-online';
import { StepReport, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';

/** The step's work against the search fields of `declared` (the 0.25 snapshot when it runs in the upgrade). */
export const buildSearchIndexesFrom = async (context: UpgradeStepContext, declared: DeclaredSchema): Promise<StepReport> => {
  const report: StepReport = { rowsAffected: 0, notes: [], maxBatchMs: 0 };
  const plan = await readSearchVectorPlan(context, declared);
  for (const target of plan.targets) await buildSearchIndex(context, plan, target, report);
  if (report.notes.length === 0) report.notes.push('no search field to index');
  return report;
};

/**
 * The GIN index of each search field the previous step added, built on its own: CONCURRENTLY,
 * outside any transaction, on a table at or above the large-table threshold (concurrentIndexRows,
 * 100,000 estimated rows by default: writers go on), in a transaction below it; an invalid index left by a killed build is dropped and built again.
 * Before the sync, after the fill: the sync would otherwise build a missing index itself, in its
 * transaction, blocking writers for the whole build; and one build after the fill is cheaper than
 * updating the index row by row during it.
 */
export const buildSearchIndexes: UpgradeStep = {
  version: '0.25',
  name: 'build-search-indexes',
  phase: 'before-sync',
  description: 'Build the GIN index of each search field (CONCURRENTLY on large tables), with its metadata row',
  definition: {
    revision: 1,
    indexes: SEARCH_FIELDS_0_25.map((field) => ({ object: field.object, field: field.name, using: 'GIN' })),
    concurrently: 'at or above concurrentIndexRows estimated rows, outside any transaction; an invalid leftover dropped and rebuilt',
  },
  run: (context: UpgradeStepContext): Promise<StepReport> => buildSearchIndexesFrom(context, getVersionSnapshot('0.25')),
};
