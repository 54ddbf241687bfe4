import { performance } from 'node:perf_hooks';

import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';

import { connectionLostMessage, isConnectionLoss } from '../database/connection-loss';
import { ServiceMetrics } from '../observability/service-metrics';
import { StepProgressEvents } from '../observability/step-progress';
import { getVersionSnapshot } from '../standard-objects/version-snapshots';
import { Hazard } from '../sync/plan';
import { WorkspaceSyncService } from '../sync/workspace-sync.service';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';
import { LedgerEntry, LedgerRepository } from './ledger.repository';
import { stepChecksum, stepContext, UpgradeStep, UpgradeStepOptions } from './upgrade-step';
import { findUpgradeVersion, upgradeCommandName, UpgradeVersion, UPGRADE_VERSIONS } from './upgrade-versions';
import { upgradePreflight } from './upgrade-preflight';
import { WorkspaceOutcome } from '../sync/sync-result';

export interface UpgradeOptions extends Partial<UpgradeStepOptions> {
  dryRun?: boolean;
  /** Run only this step (the `upgrade-0.23:<step>` commands); no sync, no version change. */
  onlyStep?: string;
  allowHazards?: ReadonlySet<Hazard>;
  /** Passed to the sync (fault injection in tests). */
  onStatement?: (executed: number) => Promise<void> | void;
  /** Pre-flight the steps of every later version too (`upgrade` to the latest: a value 0.24 cannot index is refused before 0.23 writes). */
  preflightLaterVersions?: boolean;
}

export type StepStatus = 'done' | 'skipped' | 'failed' | 'checksum-changed' | 'would-run';

export interface StepOutcome {
  version: string;
  step: string;
  phase: string;
  status: StepStatus;
  notes: string[];
  rowsAffected: number;
  maxBatchMs: number;
  error: string | null;
}

export type UpgradeStatus = 'upgraded' | 'up-to-date' | 'planned' | 'failed' | 'skipped';

/** The sync one version's upgrade ran, with its plan. */
export interface VersionSync {
  version: string;
  outcome: WorkspaceOutcome;
}

export interface UpgradeOutcome {
  workspaceId: string;
  /** The version the workspace is at when the run ends. */
  version: string | null;
  schemaName: string;
  status: UpgradeStatus;
  message: string | null;
  steps: StepOutcome[];
  /** Each version's sync, in order (upgrading from 0.22 to the latest: 0.23's, then 0.24's). */
  syncs: VersionSync[];
}

export const DEFAULT_STEP_OPTIONS: UpgradeStepOptions = {
  batchSize: 10_000,
  // A batch's transaction runs up to about twice its target, quiet or busy: sized for 50 ms, none of
  // the 0.25 move's held its row locks over 107 ms, for about 3% more time than batches of 100 ms,
  // whose longest reached 200 ms (docs/benchmarks.md, upgrade-0.25).
  batchTargetMs: 50,
  lockTimeoutMs: 5_000,
  statementTimeoutMs: 60_000,
};

/** The step options of a run: an explicit batch size is taken as it is, unless a batch time is given too. */
export const stepOptionsOf = (options: UpgradeOptions): UpgradeStepOptions => ({
  ...DEFAULT_STEP_OPTIONS,
  ...options,
  batchTargetMs: options.batchTargetMs ?? (options.batchSize === undefined ? DEFAULT_STEP_OPTIONS.batchTargetMs : undefined),
});

/** Whether a workspace at `current` is already beyond `version`. */
const isPast = (current: string | null, version: string): boolean => {
  const order = UPGRADE_VERSIONS.map((candidate) => candidate.version);
  return current !== null && order.includes(current) && order.indexOf(current) > order.indexOf(version);
};

/** Which upgrade a workspace at `current` must run before it can take `target`. */
export const nextUpgradeFor = (current: string | null): string | null =>
  UPGRADE_VERSIONS.find((candidate) => candidate.previous === current)?.version ?? null;

/** Every upgrade a workspace at `current` has still to take, in order. */
const pendingUpgrades = (current: string | null): UpgradeVersion[] => {
  const pending: UpgradeVersion[] = [];
  for (let next = nextUpgradeFor(current); next; next = nextUpgradeFor(next)) pending.push(findUpgradeVersion(next)!);
  return pending;
};

/**
 * Runs one version's upgrade on one workspace: before-sync steps, the sync to that version's
 * frozen snapshot, after-sync steps, then the version. The workspace's session-level advisory
 * lock is held on one connection throughout; every step is recorded in the ledger and skipped
 * once done; an interrupted step resumes from its checkpoint.
 */
@Injectable()
export class UpgradeRunner {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Optional() @Inject(ServiceMetrics) private readonly metrics?: ServiceMetrics,
    @Optional() @Inject(StepProgressEvents) private readonly progress?: StepProgressEvents,
  ) {}

  async upgrade(workspace: WorkspaceRow, version: string, options: UpgradeOptions = {}): Promise<UpgradeOutcome> {
    const target = findUpgradeVersion(version);
    const outcome: UpgradeOutcome = {
      workspaceId: workspace.id,
      version: workspace.version,
      schemaName: workspace.schemaName,
      status: 'failed',
      message: null,
      steps: [],
      syncs: [],
    };
    if (!target) {
      return { ...outcome, message: `no upgrade to ${version} exists (known: ${UPGRADE_VERSIONS.map((v) => v.version).join(', ')})` };
    }
    const steps = options.onlyStep ? target.steps.filter((step) => step.name === options.onlyStep) : target.steps;
    if (workspace.version === version) {
      return { ...outcome, status: 'up-to-date', message: `already at ${version}` };
    }
    if (isPast(workspace.version, version)) {
      return { ...outcome, status: 'up-to-date', message: `already at ${workspace.version}, past ${version}` };
    }
    if (workspace.version !== target.previous && workspace.version !== version) {
      const next = nextUpgradeFor(workspace.version);
      return {
        ...outcome,
        message: `workspace is at ${workspace.version ?? 'no version'}, ${upgradeCommandName(version)} needs ${target.previous}${next ? `; run ${upgradeCommandName(next)} first` : ''}`,
      };
    }

    return this.underLock(workspace, outcome, async (connection, current) => {
      if (current.version === version) {
        return { ...outcome, version, status: 'up-to-date', message: `already at ${version}` };
      }
      const ledger = await new LedgerRepository(connection.manager).list(workspace.id);
      // Everything that would stop the upgrade part-way is refused before its first step writes.
      const later = options.preflightLaterVersions ? pendingUpgrades(version) : [];
      const refusal = await upgradePreflight(
        connection.manager,
        current,
        ledger,
        options.onlyStep ? [] : [version, ...later.map((upgrade) => upgrade.version)],
        [...steps, ...later.flatMap((upgrade) => upgrade.steps)],
        stepOptionsOf(options),
      );
      if (refusal) return { ...outcome, message: refusal };
      return this.upgradeLocked(connection, current, version, steps, ledger, options, outcome);
    });
  }

  /**
   * Runs every pending upgrade in order (the `upgrade` command), all under one hold of the
   * workspace's lock: one pre-flight covers every version before the first step writes, and nothing
   * else changes the workspace between two versions. Stops at the first that does not succeed. A
   * dry run lists the steps of every pending version.
   */
  async upgradeToLatest(workspace: WorkspaceRow, options: UpgradeOptions = {}): Promise<UpgradeOutcome> {
    const combined: UpgradeOutcome = {
      workspaceId: workspace.id,
      version: workspace.version,
      schemaName: workspace.schemaName,
      status: 'up-to-date',
      message: null,
      steps: [],
      syncs: [],
    };
    const next = nextUpgradeFor(workspace.version);
    if (!next) return { ...combined, message: `already at ${workspace.version}` };
    if (options.dryRun) {
      const outcome = await this.upgrade(workspace, next, { ...options, preflightLaterVersions: true });
      const planned = { ...combined, steps: outcome.steps, syncs: outcome.syncs, version: outcome.version, message: outcome.message };
      // A dry run writes nothing, so the workspace stays where it is: the later versions are listed from the ledger.
      if (outcome.status === 'planned') return this.planLaterVersions({ ...planned, status: 'planned' }, workspace, next);
      return { ...planned, status: outcome.status === 'up-to-date' ? 'upgraded' : outcome.status };
    }
    // `combined` itself: a connection lost part-way reports the version reached so far.
    return this.underLock(workspace, combined, async (connection, current) => {
      // Another runner may have upgraded the workspace, in part or whole, between our read and our lock.
      const pending = pendingUpgrades(current.version);
      if (pending.length === 0) return { ...combined, version: current.version, message: `already at ${current.version}` };
      const ledger = await new LedgerRepository(connection.manager).list(workspace.id);
      const refusal = await upgradePreflight(
        connection.manager,
        current,
        ledger,
        pending.map((upgrade) => upgrade.version),
        pending.flatMap((upgrade) => upgrade.steps),
        stepOptionsOf(options),
      );
      if (refusal) return { ...combined, version: current.version, status: 'failed', message: refusal };
      let at = current;
      for (const upgrade of pending) {
        const outcome = await this.upgradeLocked(connection, at, upgrade.version, upgrade.steps, ledger, options, {
          ...combined,
          version: at.version,
          status: 'failed',
          steps: [],
          syncs: [],
        });
        combined.steps.push(...outcome.steps);
        combined.syncs.push(...outcome.syncs);
        combined.version = outcome.version;
        if (outcome.status !== 'upgraded') return { ...combined, status: outcome.status, message: outcome.message };
        at = { ...at, version: upgrade.version };
      }
      return { ...combined, status: 'upgraded' };
    });
  }

  /**
   * Runs `work` on a connection of its own holding the workspace's session-level advisory lock, with
   * the workspace as read under that lock (another runner may have upgraded it since the caller read
   * it); `skipped` when another runner holds it. A lost connection fails the workspace with the
   * reason (the server ended the session, and its lock with it).
   */
  private async underLock(
    workspace: WorkspaceRow,
    outcome: UpgradeOutcome,
    work: (connection: QueryRunner, current: WorkspaceRow) => Promise<UpgradeOutcome>,
  ): Promise<UpgradeOutcome> {
    const connection = this.dataSource.createQueryRunner();
    await connection.connect();
    try {
      const workspaces = new WorkspaceRepository(connection.manager);
      if (!(await workspaces.tryLockSession(workspace.id))) {
        return { ...outcome, status: 'skipped', message: 'skipped: locked by another runner' };
      }
      try {
        const current = await workspaces.findById(workspace.id);
        if (!current) return { ...outcome, status: 'failed', message: `workspace ${workspace.id} no longer exists` };
        return await work(connection, current);
      } finally {
        await workspaces.unlockSession(workspace.id).catch((error: unknown) => {
          if (!isConnectionLoss(error)) throw error;
        });
      }
    } catch (error) {
      if (!isConnectionLoss(error)) throw error;
      return { ...outcome, status: 'failed', message: connectionLostMessage(error) };
    } finally {
      await connection.release();
    }
  }

  /** A dry run of every upgrade after `planned`: each step as the ledger has it, then that version's sync and version. */
  private async planLaterVersions(outcome: UpgradeOutcome, workspace: WorkspaceRow, planned: string): Promise<UpgradeOutcome> {
    const ledger = await new LedgerRepository(this.dataSource.manager).list(workspace.id);
    const messages = [outcome.message];
    for (const upgrade of pendingUpgrades(planned)) {
      for (const phase of ['before-sync', 'after-sync'] as const) {
        for (const step of upgrade.steps.filter((candidate) => candidate.phase === phase)) {
          outcome.steps.push(this.settledStep(ledger, step) ?? this.wouldRun(step));
        }
      }
      messages.push(`then ${upgrade.version}: its steps, sync to the ${upgrade.version} snapshot and record version ${upgrade.version}`);
    }
    return { ...outcome, message: messages.filter(Boolean).join('; ') };
  }

  private async upgradeLocked(
    connection: QueryRunner,
    workspace: WorkspaceRow,
    version: string,
    steps: UpgradeStep[],
    ledger: LedgerEntry[],
    options: UpgradeOptions,
    outcome: UpgradeOutcome,
  ): Promise<UpgradeOutcome> {
    const stepOptions = stepOptionsOf(options);
    const runPhase = async (phase: UpgradeStep['phase']): Promise<boolean> => {
      for (const step of steps.filter((candidate) => candidate.phase === phase)) {
        const result = await this.runStep(connection, workspace, step, ledger, stepOptions, options.dryRun ?? false);
        outcome.steps.push(result);
        if (result.status === 'failed') {
          outcome.message = `step ${step.name} failed: ${result.error}`;
          return false;
        }
      }
      return true;
    };

    if (!(await runPhase('before-sync'))) return outcome;
    if (options.onlyStep) {
      if (!(await runPhase('after-sync'))) return outcome;
      return { ...outcome, status: options.dryRun ? 'planned' : 'upgraded' };
    }
    if (options.dryRun) {
      outcome.steps.push(...steps.filter((step) => step.phase === 'after-sync').map((step) => this.wouldRun(step)));
      return { ...outcome, status: 'planned', message: `then sync to the ${version} snapshot and record version ${version}` };
    }
    // The workspace as read under the lock: a step changes its metadata and tables, never its row.
    const sync = await new WorkspaceSyncService(this.dataSource, getVersionSnapshot(version)).sync(workspace, {
      connection,
      check: true,
      allowHazards: options.allowHazards,
      onStatement: options.onStatement,
    });
    outcome.syncs.push({ version, outcome: sync });
    if (sync.status === 'failed' || sync.status === 'skipped') {
      return { ...outcome, status: 'failed', message: `sync to ${version} failed: ${sync.message}` };
    }
    if (!(await runPhase('after-sync'))) return outcome;
    await new WorkspaceRepository(connection.manager).setVersion(workspace.id, version);
    return { ...outcome, version, status: 'upgraded' };
  }

  private wouldRun(step: UpgradeStep): StepOutcome {
    return {
      version: step.version,
      step: step.name,
      phase: step.phase,
      status: 'would-run',
      notes: [step.description],
      rowsAffected: 0,
      maxBatchMs: 0,
      error: null,
    };
  }

  /** A step the workspace's `ledger` records as done or baselined: skipped, or flagged when it changed since. Null: still to run. */
  private settledStep(ledger: LedgerEntry[], step: UpgradeStep): StepOutcome | null {
    const checksum = stepChecksum(step);
    const existing = ledger.find((entry) => entry.version === step.version && entry.step === step.name);
    if (!existing || (existing.status !== 'DONE' && existing.status !== 'BASELINED')) return null;
    const base = { version: step.version, step: step.name, phase: step.phase, rowsAffected: 0, maxBatchMs: 0, error: null };
    return existing.checksum === checksum
      ? { ...base, status: 'skipped', notes: [`already ${existing.status === 'DONE' ? 'done' : 'baselined'}`] }
      : {
          ...base,
          status: 'checksum-changed',
          notes: [`the step changed since it ran here (checksum ${existing.checksum} -> ${checksum}); not run again, review it`],
        };
  }

  private async runStep(
    connection: QueryRunner,
    workspace: WorkspaceRow,
    step: UpgradeStep,
    entries: LedgerEntry[],
    options: UpgradeStepOptions,
    dryRun: boolean,
  ): Promise<StepOutcome> {
    const ledger = new LedgerRepository(connection.manager);
    const checksum = stepChecksum(step);
    const base = { version: step.version, step: step.name, phase: step.phase, rowsAffected: 0, maxBatchMs: 0, error: null };
    const settled = this.settledStep(entries, step);
    if (settled) return settled;
    if (dryRun) return this.wouldRun(step);

    const entry = await ledger.start(workspace.id, step.version, step.name, checksum);
    const { progress } = this;
    const context = stepContext(
      workspace,
      entry,
      {
        ...options,
        onProgress:
          progress || options.onProgress
            ? (task) => {
                options.onProgress?.(task);
                progress?.publish({ workspaceId: workspace.id, version: step.version, step: step.name, ...task });
              }
            : undefined,
      },
      connection,
    );
    const started = performance.now();
    const measure = (status: 'done' | 'failed', rows: number) => {
      this.metrics?.stepDuration.observe({ version: step.version, step: step.name, status }, (performance.now() - started) / 1000);
      if (rows > 0) this.metrics?.rowsMoved.inc({ version: step.version, step: step.name }, rows);
    };
    try {
      const report = await step.run(context);
      measure('done', report.rowsAffected);
      await ledger.finish(
        entry.id,
        report.rowsAffected,
        report.notes.map((note) => ({ note })),
      );
      return { ...base, status: 'done', notes: report.notes, rowsAffected: report.rowsAffected, maxBatchMs: report.maxBatchMs };
    } catch (error) {
      measure('failed', 0);
      if (isConnectionLoss(error)) {
        // The step stays RUNNING at its last committed checkpoint: the next run resumes it.
        return { ...base, status: 'failed', notes: [], error: connectionLostMessage(error) };
      }
      const message = (error as Error).message;
      await ledger.fail(entry.id, message);
      return { ...base, status: 'failed', notes: [], error: message };
    }
  }
}
