import { EventEmitter } from 'node:events';

import { QueuedOutcome, WorkspaceJobQueue, WorkspaceJobResult } from './workspace-queue';

/**
 * A job in a fake queue that completes right after the first time anyone looks at it, as a job
 * does when the producer's reconcile round reads it in the last moment of its run.
 */
const racingQueue = (result: WorkspaceJobResult) => {
  let looked = false;
  let completed = false;
  const look = () => {
    const wasCompleted = completed;
    if (!looked) {
      looked = true;
      completed = true;
    }
    return wasCompleted;
  };
  return {
    add: async () => ({}),
    remove: async () => 1,
    close: async () => undefined,
    on: () => undefined,
    getJob: async () => (look() ? { returnvalue: result, attemptsMade: 1 } : { returnvalue: null, attemptsMade: 0 }),
    getJobState: async () => (look() ? 'completed' : 'active'),
  };
};

describe('WorkspaceJobQueue: reading a finished job', () => {
  it('never reports a job that completed while it was read without its result; the next round reads it', async () => {
    const result = { status: 'applied' } as unknown as WorkspaceJobResult;
    const queue = racingQueue(result);
    const watch = { downForMs: 0, close: () => undefined };
    const listener = { note: () => undefined, onLost: () => undefined };
    const Constructor = WorkspaceJobQueue as unknown as new (...args: unknown[]) => WorkspaceJobQueue;
    const events = Object.assign(new EventEmitter(), { close: async () => undefined });
    const jobs = new Constructor(queue, events, watch, listener, 'redis://127.0.0.1:1', 60_000, 'run');
    const collect = (jobId: string) => (jobs as unknown as { collect(id: string): Promise<void> }).collect(jobId);
    try {
      let outcome: QueuedOutcome | null | undefined;
      const done = jobs.submit('sync', 'w1', {}).then((value) => (outcome = value));
      await new Promise((resolve) => setImmediate(resolve));
      await collect('run.w1');
      await new Promise((resolve) => setImmediate(resolve));
      // Read while it was still running: nothing settled, not a result of null.
      expect(outcome).toBeUndefined();
      await collect('run.w1');
      await done;
      expect(outcome).toEqual({ kind: 'done', result });
    } finally {
      await jobs.close();
    }
  });
});
