import { readSync } from 'node:fs';

import { Client } from 'pg';

/**
 * Crash points for the tests that kill the process mid-run and require the rerun to finish with
 * no value lost. Read from the environment; unset (the normal case) they do nothing.
 *
 * - WMS_FAULT_KILL_IN_BATCH=<n>: SIGKILL inside the n-th data-move batch, before it commits.
 * - WMS_FAULT_KILL_AT_STATEMENT=<n>: SIGKILL right after the n-th statement a sync applies.
 * - WMS_FAULT_PAUSE_IN_BATCH=<n>, WMS_FAULT_PAUSE_AT_STATEMENT=<n>: pause there instead (below).
 * - WMS_FAULT_KILL_AFTER_QUERY=<n>: SIGKILL right after the server answered the n-th query the
 *   process sent (any query: reads, BEGIN, COMMIT, DDL), so that a test can stop a run at every
 *   statement boundary in turn.
 * - WMS_FAULT_PAUSE_AFTER_QUERY=<n>: after the n-th query, print `wms-fault: paused after query n`
 *   on stderr and wait for a line on stdin (the test does something to the server meanwhile, such
 *   as terminating the process's connections).
 * - WMS_FAULT_COUNT_QUERIES=1: print `wms-fault: n queries` on stderr when the process exits.
 * - WMS_FAULT_KILL_AT_POINT=<name>: SIGKILL when an upgrade step reaches the crash point so named
 *   (e.g. `index-built`: the unique index exists, its metadata row does not yet).
 * - WMS_FAULT_SIGINT_AT_WORKSPACE=<n>: the process sends itself SIGINT when it starts on the n-th
 *   workspace, and that workspace goes on once the signal has been handled: a workspace is in
 *   flight when the signal arrives, whatever the speed of the machine.
 */
const numberFrom = (variable: string): number | null => {
  const value = Number(process.env[variable]);
  return Number.isInteger(value) && value > 0 ? value : null;
};

const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('killed');
};

/** Blocks the whole process until the test writes a line on stdin: nothing runs while paused. */
const pauseProcess = (where: string): void => {
  process.stderr.write(`wms-fault: paused ${where}\n`);
  const buffer = Buffer.alloc(1);
  for (;;) {
    try {
      if (readSync(0, buffer, 0, 1, null) === 0 || buffer[0] === 0x0a) return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
    }
  }
};

/** A pg client that counts the queries answered by the server, for the query-level fault points. */
const countingClient = (): typeof Client | undefined => {
  const killAt = numberFrom('WMS_FAULT_KILL_AFTER_QUERY');
  const pauseAt = numberFrom('WMS_FAULT_PAUSE_AFTER_QUERY');
  const report = process.env.WMS_FAULT_COUNT_QUERIES === '1';
  if (killAt === null && pauseAt === null && !report) return undefined;
  let answered = 0;
  const onAnswered = () => {
    answered += 1;
    if (answered === killAt) die();
    if (answered === pauseAt) pauseProcess(`after query ${answered}`);
  };
  if (report) process.on('exit', () => process.stderr.write(`wms-fault: ${answered} queries\n`));
  type AnyQuery = (...args: unknown[]) => unknown;
  const counted =
    (query: AnyQuery): AnyQuery =>
    (...args: unknown[]) => {
      const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as (...results: unknown[]) => void) : null;
      if (callback) {
        return query(...args, (...results: unknown[]) => {
          onAnswered();
          callback(...results);
        });
      }
      const result = query(...args);
      if (!(result instanceof Promise)) return result;
      return result.then(
        (value) => {
          onAnswered();
          return value;
        },
        (error) => {
          onAnswered();
          throw error;
        },
      );
    };
  class CountingClient extends Client {
    constructor(...args: ConstructorParameters<typeof Client>) {
      super(...args);
      this.query = counted(super.query.bind(this) as AnyQuery) as Client['query'];
    }
  }
  return CountingClient;
};

/** A counter that kills or pauses the process when it reaches the number in `kill` or `pause`. */
const countedPoint = (kill: string, pause: string, what: string): (() => void) | undefined => {
  const killAt = numberFrom(kill);
  const pauseAt = numberFrom(pause);
  if (killAt === null && pauseAt === null) return undefined;
  let count = 0;
  return () => {
    count += 1;
    if (count === killAt) die();
    if (count === pauseAt) pauseProcess(`${what} ${count}`);
  };
};

/** The crash points of a run, read from the environment once at start-up; every one unset in normal runs. */
export interface FaultInjection {
  /** Inside each data-move batch, before it commits. */
  beforeBatchCommit?: () => void;
  /** After each statement a sync applies. */
  onStatement?: () => void;
  /** At each crash point an upgrade step reaches, by name. */
  crashPoint?: (point: string) => void;
  /** When a walk starts on a workspace. */
  onWorkspaceStart?: () => Promise<void>;
  /** The pg client class the pool is to use; undefined: pg's own. */
  databaseClient?: typeof Client;
}

/** The provider of the process's FaultInjection. */
export const FAULT_INJECTION = Symbol('FAULT_INJECTION');

export const faultInjectionFromEnvironment = (): FaultInjection => ({
  beforeBatchCommit: countedPoint('WMS_FAULT_KILL_IN_BATCH', 'WMS_FAULT_PAUSE_IN_BATCH', 'in batch'),
  onStatement: countedPoint('WMS_FAULT_KILL_AT_STATEMENT', 'WMS_FAULT_PAUSE_AT_STATEMENT', 'at statement'),
  crashPoint: (() => {
    const at = process.env.WMS_FAULT_KILL_AT_POINT;
    if (!at) return undefined;
    return (point: string) => {
      if (point === at) die();
    };
  })(),
  onWorkspaceStart: (() => {
    const at = numberFrom('WMS_FAULT_SIGINT_AT_WORKSPACE');
    if (at === null) return undefined;
    let started = 0;
    return async (): Promise<void> => {
      started += 1;
      if (started !== at) return;
      const handled = new Promise<void>((resolve) => process.once('SIGINT', () => setImmediate(resolve)));
      process.kill(process.pid, 'SIGINT');
      await handled;
    };
  })(),
  databaseClient: countingClient(),
});
