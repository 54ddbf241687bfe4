import { EntityManager } from 'typeorm';

import { ActualStateRepository } from '../metadata/actual-state.repository';
import { WorkspaceRow } from '../metadata/workspace.repository';
import { getVersionSnapshot } from '../standard-objects/version-snapshots';
import { sharedDesiredState } from '../sync/desired-state';
import { Hazard } from '../sync/plan';
import { WorkspaceComparator } from '../sync/workspace.comparator';
import { checkWorkspaceHealth } from '../sync/workspace-health';
import { BLOCKING_DRIFT } from '../sync/workspace-sync.service';
import { LedgerEntry } from './ledger.repository';
import { UpgradeStep, UpgradeStepOptions } from './upgrade-step';

/**
 * What would stop the upgrade part-way, found before its first step writes: drift between metadata
 * and tables and a new standard field whose name a custom field holds (the sync to each version's
 * snapshot would refuse them, after the steps had moved data), and each step's own checks (fields
 * in its way, values its index cannot hold). Returns the refusal, naming every problem and what to
 * do, or null. Name conflicts are taken from a comparison of today's state with each snapshot: the
 * type changes it also finds are what the steps do, so only NAME_CONFLICT counts.
 *
 * `ledger` is the workspace's ledger, read under its lock. Drift is not checked while a step of the
 * run is RUNNING or FAILED: an interrupted data move leaves its new columns in place until it
 * resumes, and the sync still checks drift itself.
 */
export const upgradePreflight = async (
  manager: EntityManager,
  workspace: WorkspaceRow,
  ledger: LedgerEntry[],
  versions: string[],
  steps: UpgradeStep[],
  options: UpgradeStepOptions,
): Promise<string | null> => {
  const state = await new ActualStateRepository(manager).readForPlanning(workspace.id, workspace.schemaName);
  const inFlight = ledger.some(
    (entry) =>
      (entry.status === 'RUNNING' || entry.status === 'FAILED') &&
      steps.some((step) => step.version === entry.version && step.name === entry.step),
  );
  const problems: string[] = [];
  if (!inFlight) {
    const drift = checkWorkspaceHealth(state).filter((issue) => BLOCKING_DRIFT.has(issue.kind));
    if (drift.length > 0) {
      problems.push(
        `metadata and tables have drifted apart (${drift.map((issue) => issue.message).join('; ')}); the sync of the upgrade would refuse it: run workspace:health to see it all, repair it, then rerun`,
      );
    }
  }
  const flags = workspace.featureFlags ?? [];
  for (const version of versions) {
    const refusals = WorkspaceComparator.refusals(sharedDesiredState(getVersionSnapshot(version), flags), state);
    for (const refusal of refusals.filter((candidate) => candidate.hazard === Hazard.NAME_CONFLICT)) {
      if (!problems.some((problem) => problem.endsWith(refusal.message))) problems.push(`sync to ${version}: ${refusal.message}`);
    }
  }
  for (const step of steps) {
    if (!step.preflight) continue;
    const found = await step.preflight({ workspace, state, manager, options });
    problems.push(...found.map((problem) => `${step.version} ${step.name}: ${problem}`));
  }
  return problems.length > 0 ? `pre-flight checks failed, nothing was written: ${problems.join('; ')}` : null;
};
