/**
 * Crash points for the tests that kill the process mid-run and require the rerun to finish with
 * no value lost. Read from the environment; unset (the normal case) they do nothing.
 *
 * - WMS_FAULT_KILL_IN_BATCH=<n>: SIGKILL inside the n-th data-move batch, before it commits.
 * - WMS_FAULT_KILL_AT_STATEMENT=<n>: SIGKILL right after the n-th statement a sync applies.
 * - WMS_FAULT_KILL_AT_POINT=<name>: SIGKILL when an upgrade step reaches the crash point so named
 *   (e.g. `index-built`: the unique index exists, its metadata row does not yet).
 */
const killAt = (variable: string): number | null => {
  const value = Number(process.env[variable]);
  return Number.isInteger(value) && value > 0 ? value : null;
};

const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('killed');
};

export const faultInjection = {
  beforeBatchCommit: (() => {
    const at = killAt('WMS_FAULT_KILL_IN_BATCH');
    if (at === null) return undefined;
    let batches = 0;
    return () => {
      batches += 1;
      if (batches === at) die();
    };
  })(),
  crashPoint: (() => {
    const at = process.env.WMS_FAULT_KILL_AT_POINT;
    if (!at) return undefined;
    return (point: string) => {
      if (point === at) die();
    };
  })(),
  onStatement: (() => {
    const at = killAt('WMS_FAULT_KILL_AT_STATEMENT');
    if (at === null) return undefined;
    let statements = 0;
    return () => {
      statements += 1;
      if (statements === at) die();
    };
  })(),
};
