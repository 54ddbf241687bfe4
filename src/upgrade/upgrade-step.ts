import { createHash } from 'node:crypto';

import { EntityManager, QueryRunner } from 'typeorm';

import { inTransaction } from '../database/transaction';
import { ActualState } from '../metadata/actual-state';
import { StepProgress } from '../observability/step-progress';
import { WorkspaceRow } from '../metadata/workspace.repository';
import { LedgerEntry, LedgerRepository } from './ledger.repository';

export type UpgradePhase = 'before-sync' | 'after-sync';

export const DEDUPE_RULES = ['keep-oldest'] as const;
export type DedupeRule = (typeof DEDUPE_RULES)[number];

/** Rows done of one task of a step; the runner adds which workspace and step. */
export type TaskProgress = Pick<StepProgress, 'task' | 'done' | 'total' | 'unit' | 'phase' | 'pid' | 'finished'>;

export interface UpgradeStepOptions {
  /** Rows per batch of a data move: the fixed size, or the largest one when batchTargetMs is set. */
  batchSize: number;
  /**
   * When set, each batch is sized so that its transaction lasts about this long (smaller when the
   * table is slow or busy, larger up to batchSize when it is fast), so no batch holds its row locks
   * for long. Unset: every batch takes batchSize rows.
   */
  batchTargetMs?: number;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  /** Hook after each committed batch, given how long its transaction took from its start to its commit. */
  onBatch?: (step: string, batch: number, elapsedMs: number) => Promise<void> | void;
  /** Rows done of a long task of the step (a data move, a backfill, an index build), after each batch. */
  onProgress?: (progress: TaskProgress) => void;
  /** How duplicates found before a unique index is built are resolved; none: the step stops. */
  dedupe?: DedupeRule;
  /** From this many (estimated) rows on, indexes are built CONCURRENTLY, outside a transaction. */
  concurrentIndexRows?: number;
  /**
   * How often a running index build's progress is read (on a second connection of the pool) and
   * reported; unset: only its start and end (the embedded database has one session).
   */
  indexProgressMs?: number;
  /** Hook inside each batch's transaction, before it commits, given the transaction (fault injection in tests). */
  beforeBatchCommit?: (step: string, batch: number, manager: EntityManager) => Promise<void> | void;
  /** Hook at the named points between a step's own transactions (fault injection in tests). */
  crashPoint?: (point: string) => void;
}

export interface StepReport {
  /** Rows whose values the step moved or changed. */
  rowsAffected: number;
  /** What the step did or found, one line each; stored in the ledger's log. */
  notes: string[];
  /** The longest a batch transaction held its locks, in milliseconds. */
  maxBatchMs: number;
}

export interface UpgradeStepContext {
  workspace: WorkspaceRow;
  entry: LedgerEntry;
  options: UpgradeStepOptions;
  /** The workspace's connection; it holds the workspace's session-level advisory lock. */
  connection: QueryRunner;
  /** Runs `work` in one transaction on the workspace's connection, under lock and statement timeouts. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  /**
   * Runs one batch of a data move as `transaction` does, but its commit does not wait for the disk
   * (CommitFlush `no-wait`): the batch's row locks are released as soon as it commits, however busy
   * the disk is (a WAL checkpoint can hold a flush for half a second). Only for work that a rerun
   * does again if it is lost: a batch writes its checkpoint in its own transaction (or, draining
   * noted rows, removes its notes there), so a server crash that loses the last batches loses what
   * says they were done with them. The server's log is one sequence: the next commit that waits (a
   * switch, an index build, at the latest the ledger's finish) makes every batch before it durable.
   */
  batch<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  ledger(manager: EntityManager): LedgerRepository;
}

/** The context of a step running on `connection` for its ledger `entry`. */
export const stepContext = (
  workspace: WorkspaceRow,
  entry: LedgerEntry,
  options: UpgradeStepOptions,
  connection: QueryRunner,
): UpgradeStepContext => ({
  workspace,
  entry,
  options,
  connection,
  ledger: (manager) => new LedgerRepository(manager),
  transaction: (work) => inTransaction(connection, options, work),
  batch: (work) => inTransaction(connection, options, work, 'no-wait'),
});

/** What a step's pre-flight reads: the workspace as it is before any step of the run writes. */
export interface UpgradePreflightContext {
  workspace: WorkspaceRow;
  /** Its metadata rows and live catalog, read once for every step. */
  state: ActualState;
  manager: EntityManager;
  options: UpgradeStepOptions;
}

/**
 * One step of a version's upgrade. Self-contained: it names the fields it touches by standardId
 * and reads the shapes of its version from the frozen snapshots, never from today's classes.
 * Idempotent and resumable: it discovers what is left to do from the workspace itself and its
 * ledger checkpoint, so a second run is a no-op and an interrupted run finishes.
 */
export interface UpgradeStep {
  version: string;
  name: string;
  phase: UpgradePhase;
  description: string;
  /** What the step does, as data: its checksum changes when its definition does. */
  definition: Record<string, unknown>;
  /**
   * The standardIds of fields whose data the step moves, beside those its definition names: what
   * `declarations:check` takes as handled by this step. Not part of the checksum.
   */
  claims?: string[];
  /**
   * Read-only checks of what would make the step (or a later one) stop part-way, run for every
   * step of the run before the first one writes: each problem found, with what to do. Written
   * against whichever shape the field has before this run (a run from 0.22 checks 0.24's steps too).
   */
  preflight?(context: UpgradePreflightContext): Promise<string[]>;
  run(context: UpgradeStepContext): Promise<StepReport>;
}

export const stepChecksum = (step: UpgradeStep): string =>
  createHash('sha256')
    .update(JSON.stringify({ version: step.version, name: step.name, phase: step.phase, definition: step.definition }))
    .digest('hex')
    .slice(0, 16);
