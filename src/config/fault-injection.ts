/**
 * Crash points for the tests that kill the process mid-run and require the rerun to finish with
 * no value lost. Read from the environment; unset (the normal case) they do nothing.
 *
 * - WMS_FAULT_KILL_IN_BATCH=<n>: SIGKILL inside the n-th data-move batch, before it commits.
 * - WMS_FAULT_KILL_AT_STATEMENT=<n>: SIGKILL right after the n-th statement a sync applies.
 * - WMS_FAULT_KILL_AT_POINT=<name>: SIGKILL when an upgrade step reaches the crash point so named
 *   (e.g. `index-built`: the unique index exists, its metadata row does not yet).
 * - WMS_FAULT_SIGINT_AT_WORKSPACE=<n>: the process sends itself SIGINT when it starts on the n-th
 *   workspace, and that workspace goes on once the signal has been handled: a workspace is in
 *   flight when the signal arrives, whatever the speed of the machine.
 */
const countFrom = (variable: string): number | null => {
  const value = Number(process.env[variable]);
  return Number.isInteger(value) && value > 0 ? value : null;
};

const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('killed');
};

export const faultInjection = {
  beforeBatchCommit: (() => {
    const at = countFrom('WMS_FAULT_KILL_IN_BATCH');
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
    const at = countFrom('WMS_FAULT_KILL_AT_STATEMENT');
    if (at === null) return undefined;
    let statements = 0;
    return () => {
      statements += 1;
      if (statements === at) die();
    };
  })(),
  onWorkspaceStart: (() => {
    const at = countFrom('WMS_FAULT_SIGINT_AT_WORKSPACE');
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
};
