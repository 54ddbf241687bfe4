import { Queue, QueueEvents } from 'bullmq';
import { Client } from 'pg';

import { QUEUE_PREFIX } from '../../src/workspace/workspace-queue';
import { CliProcess, runCli, startCli } from '../utils/cli';
import { createSecondTestDatabase, Relay, SECOND_ADMIN_URL } from '../utils/second-server';
import { connectClient, createTestDatabase, migrateDatabase, TestDatabase, urlOn } from '../utils/test-database';
import { createFleet, drift, FleetWorkspace, queueOf, REDIS_URL, resetFleet, syncedOf, takeCityAway } from '../fleet/fleet.fixtures';

const SYNC = 'workspace:sync-metadata';

type ServerName = 'main' | 'eu2';
type ServerWorkspace = FleetWorkspace & { server: ServerName };

const lastLine = (stdout: string) => stdout.trimEnd().split('\n').at(-1);

/** Resolves at the next `event` of the queue (events from now on: listen before what causes it). */
const nextEvent = async (queue: Queue, event: 'waiting' | 'completed'): Promise<() => Promise<void>> => {
  const events = new QueueEvents(queue.name, { connection: { url: REDIS_URL }, prefix: QUEUE_PREFIX });
  await events.waitUntilReady();
  const happened = new Promise<void>((resolve) => events.once(event, () => resolve()));
  return async () => {
    await happened;
    await events.close();
  };
};

describe('staged rollouts and the first-failure stop across two database servers', () => {
  let main: TestDatabase;
  let second: TestDatabase;
  let clients: Record<ServerName, Client>;
  let env: Record<string, string>;
  let eu2Url: string;
  let queues: Queue[];
  /** The workspaces of both servers in id order: the order of a rollout across them. */
  let fleet: ServerWorkspace[];
  const relay = new Relay();
  const workers: CliProcess[] = [];
  const stopWorkers = async () => {
    for (const worker of workers.splice(0)) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
      await worker.exited;
    }
  };

  beforeAll(async () => {
    main = await createTestDatabase();
    second = await createSecondTestDatabase();
    await migrateDatabase(second.url);
    await relay.up();
    eu2Url = urlOn(SECOND_ADMIN_URL, second.name, relay.port);
    env = { DATABASE_URL: main.url, DATABASE_SERVERS: `eu2=${eu2Url}`, DATABASE_RETRY_MS: '0', REDIS_URL };
    clients = { main: await connectClient(main.url), eu2: await connectClient(second.url) };
    queues = [queueOf(main.url), queueOf(eu2Url)];
    const onMain = (await createFleet(main.url, 5)).map((workspace) => ({ ...workspace, server: 'main' as const }));
    const onEu2 = (await createFleet(second.url, 5)).map((workspace) => ({ ...workspace, server: 'eu2' as const }));
    fleet = [...onMain, ...onEu2].sort((a, b) => a.id.localeCompare(b.id));
  });

  afterAll(async () => {
    await stopWorkers();
    for (const queue of queues ?? []) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await relay.down();
    for (const client of Object.values(clients ?? {})) await client.end();
    await main?.drop();
    await second?.drop();
  });

  const startWorkers = () => {
    for (const url of [main.url, eu2Url]) workers.push(startCli(['worker', '--concurrency', '2'], { DATABASE_URL: url, REDIS_URL }));
  };

  const on = (server: ServerName) => fleet.filter((workspace) => workspace.server === server);
  const driftOne = (workspace: ServerWorkspace, drifted = true) => drift(clients[workspace.server], workspace, drifted);
  const resetAll = async () => {
    for (const server of ['main', 'eu2'] as const) await resetFleet(clients[server], on(server));
  };
  /** Which workspaces have person.city (synced since the reset), in fleet order. */
  const synced = async (): Promise<boolean[]> => {
    const result: boolean[] = [];
    for (const workspace of fleet) result.push(...(await syncedOf(clients[workspace.server], [workspace])));
    return result;
  };
  /** Which workspaces have a fingerprint (synced since the reset, which clears it), in fleet order. */
  const fingerprinted = async (): Promise<boolean[]> => {
    const result: boolean[] = [];
    for (const workspace of fleet) {
      const { rows } = await clients[workspace.server].query(`SELECT fingerprint FROM core.workspace WHERE id = $1`, [workspace.id]);
      result.push(rows[0].fingerprint !== null);
    }
    return result;
  };
  const failureLine = (workspace: ServerWorkspace) =>
    `✖ ${workspace.id} (${workspace.schemaName}): failed: metadata and tables have drifted apart`;

  it('takes the canary as the first workspaces by id over both servers; one that fails halts the run before the rest', async () => {
    await resetAll();
    // The canary spans both servers: it ends at the first workspace of the server the first one is not on.
    const size = fleet.findIndex((workspace) => workspace.server !== fleet[0].server) + 1;
    const failing = fleet[size - 1];
    await driftOne(failing);

    const run = await runCli([SYNC, '--canary', String(size)], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${failureLine(failing)}`);
    expect(run.stdout).toMatch(new RegExp(`^✖ ${failing.id} .*\\(server ${failing.server}\\)$`, 'm'));
    expect(run.stdout).toContain(`Canary, ${size} workspace(s): ${size - 1} succeeded, 1 failed, 0 skipped (halted)`);
    expect(run.stdout).toContain(
      `Halted: the canary did not succeed (${size - 1} succeeded, 1 failed, 0 skipped); the other ${fleet.length - size} workspace(s) were not touched. Fix what failed and run the same command again to resume`,
    );
    expect(lastLine(run.stdout)).toBe(`${size - 1} succeeded, 1 failed, 0 skipped`);
    const touched = fleet.map((_, index) => index < size - 1);
    expect(await synced()).toEqual(touched);
    expect(await fingerprinted()).toEqual(touched);

    await driftOne(failing, false);
    const rerun = await runCli([SYNC, '--canary', String(size)], env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`Canary, ${size} workspace(s): ${size} succeeded, 0 failed, 0 skipped`);
    expect(rerun.stdout).toContain(`The rest, ${fleet.length - size} workspace(s): ${fleet.length - size} succeeded, 0 failed, 0 skipped`);
    expect(lastLine(rerun.stdout)).toBe(`${fleet.length} succeeded, 0 failed, 0 skipped`);
    expect(await synced()).toEqual(fleet.map(() => true));
  });

  it('--canary-workspace-id finds the canary on its server and runs it first, and only it when it fails', async () => {
    await resetAll();
    const canary = on('eu2')[2];
    await driftOne(canary);
    const run = await runCli([SYNC, '--canary-workspace-id', canary.id], env);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toContain(failureLine(canary));
    expect(run.stdout).toContain(`the other ${fleet.length - 1} workspace(s) were not touched`);
    expect(await synced()).toEqual(fleet.map(() => false));
    await driftOne(canary, false);
  });

  /**
   * 10 workspaces over two servers in stages ending at 2, 50% and 100% (2, 3 and 5 workspaces), 1
   * failure tolerated: two drifted workspaces of stage 2 halt the run there, stage 3 untouched on
   * either server; fixed, the rerun finishes every workspace on both.
   */
  const stagedRun = async (extra: string[]) => {
    await resetAll();
    await driftOne(fleet[2]);
    await driftOne(fleet[3]);
    const args = [SYNC, '--stages', '2,50%,100%', '--max-failures', '1', ...extra];

    const run = await runCli(args, env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Stage 1 of 3 (2), 2 workspace(s): 2 succeeded, 0 failed, 0 skipped');
    expect(run.stdout).toMatch(/^Stage 2 of 3 \(50%\), 3 workspace\(s\): \d succeeded, 2 failed, 0 skipped \(halted\)$/m);
    expect(run.stdout).not.toContain('Stage 3 of 3');
    expect(run.stdout).toMatch(
      /^Halted at stage 2 of 3 \(50%\): 2 failed, more than the 1 allowed \(--max-failures\); \d+ workspace\(s\) not reached\. Fix what failed and run the same command again to resume/m,
    );
    for (const workspace of [fleet[2], fleet[3]]) {
      expect(run.stdout).toMatch(new RegExp(`^✖ ${workspace.id} .*\\(server ${workspace.server}\\)$`, 'm'));
    }
    const afterHalt = await synced();
    expect(afterHalt.slice(0, 4)).toEqual([true, true, false, false]);
    expect(afterHalt.slice(5)).toEqual(fleet.slice(5).map(() => false));

    await driftOne(fleet[2], false);
    await driftOne(fleet[3], false);
    const rerun = await runCli([...args, '--json'], env);
    expect(rerun.code).toBe(0);
    const document = JSON.parse(rerun.stdout);
    expect(document.halted).toBeNull();
    expect(document.stages).toEqual([
      { name: 'stage 1 of 3 (2)', workspaces: 2, maxFailures: 1, succeeded: 2, failed: 0, skipped: 0, halted: false },
      { name: 'stage 2 of 3 (50%)', workspaces: 3, maxFailures: 1, succeeded: 3, failed: 0, skipped: 0, halted: false },
      { name: 'stage 3 of 3 (100%)', workspaces: 5, maxFailures: 1, succeeded: 5, failed: 0, skipped: 0, halted: false },
    ]);
    const servers = document.workspaces.map((entry: { id: string; server: string }) => [entry.id, entry.server]);
    expect(servers.sort()).toEqual(fleet.map((workspace) => [workspace.id, workspace.server]));
    expect(await synced()).toEqual(fleet.map(() => true));
  };

  it('--stages counts the whole fleet, halts at the stage that passes --max-failures; a rerun finishes both servers', async () => {
    await stagedRun([]);
  });

  it("the same through --queue, each server's workspaces done by its own workers", async () => {
    startWorkers();
    try {
      await stagedRun(['--queue', '--concurrency', '2']);
    } finally {
      await stopWorkers();
    }
    for (const queue of queues)
      expect(await queue.getJobCounts('waiting', 'active', 'delayed')).toEqual({ waiting: 0, active: 0, delayed: 0 });
  });

  it('a server that does not answer is a failure of the stage it was in: the canary halts, the line names the server', async () => {
    await resetAll();
    await relay.down();
    try {
      const run = await runCli([SYNC, '--canary', '2'], env);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        new RegExp(
          `^✖ server eu2 \\(127\\.0\\.0\\.1:${relay.port}/${second.name}\\): .*Its workspaces were not walked; run the command again once it answers\\.$`,
          'm',
        ),
      );
      expect(run.stdout).toContain('Canary, 2 workspace(s): 2 succeeded, 1 failed, 0 skipped (halted)');
      expect(run.stdout).toContain(`the other ${on('main').length - 2} workspace(s) were not touched`);
    } finally {
      await relay.up();
    }
    expect(await syncedOf(clients.main, on('main'))).toEqual(on('main').map((_, index) => index < 2));
    expect(await syncedOf(clients.eu2, on('eu2'))).toEqual(on('eu2').map(() => false));
  });

  it("stops every server's walk at the first failure of any, without --continue-on-error", async () => {
    await resetAll();
    const failing = on('eu2')[0];
    await driftOne(failing);
    // Only eu2 has a worker: main's first job waits in its queue, and is withdrawn when eu2's first workspace fails.
    workers.push(startCli(['worker'], { DATABASE_URL: eu2Url, REDIS_URL }));
    try {
      const run = await runCli([SYNC, '--queue', '--concurrency', '1'], env);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(failureLine(failing));
      expect(run.stdout).toContain(
        `Stopped at the first failure, ${fleet.length - 1} workspace(s) not reached; pass --continue-on-error to go on past failures.`,
      );
      expect(lastLine(run.stdout)).toBe('0 succeeded, 1 failed, 0 skipped');
    } finally {
      await stopWorkers();
      await driftOne(failing, false);
    }
    expect(await synced()).toEqual(fleet.map(() => false));
    expect(await queues[0].getJobCounts('waiting', 'active')).toEqual({ waiting: 0, active: 0 });
  });

  it('counts a server lost mid-walk through --queue exactly: its queued successes, and the rest of it failed', async () => {
    // Everything in sync but eu2's first workspace, which goes through the queue; after eu2's
    // workspaces, more in sync (settled by their rows, no job), so that eu2's walk reads a second page.
    expect((await runCli([SYNC], env)).code).toBe(0);
    const first = on('eu2')[0];
    await takeCityAway(clients.eu2, [first]);
    const extra = 150;
    await clients.eu2.query(
      `INSERT INTO core.workspace (id, "displayName", "schemaName", version, fingerprint, "featureFlags")
       SELECT ('ffffffff-ffff-4fff-8fff-' || lpad(n::text, 12, '0'))::uuid, 'In sync ' || n, 'workspace_insync' || n, w.version, w.fingerprint, w."featureFlags"
         FROM generate_series(1, $1) AS n, core.workspace w WHERE w.id = $2`,
      [extra, on('eu2')[1].id],
    );
    const eu2Total = on('eu2').length + extra;
    const eu2Queue = queues[1];

    const queued = await nextEvent(eu2Queue, 'waiting');
    const run = startCli([SYNC, '--queue', '--continue-on-error', '--concurrency', '1'], env);
    try {
      await queued();
      // The run waits for that job: pause it, have a worker of eu2 do the job, then take eu2 away.
      run.child.kill('SIGSTOP');
      const done = await nextEvent(eu2Queue, 'completed');
      workers.push(startCli(['worker'], { DATABASE_URL: eu2Url, REDIS_URL }));
      await done();
      await stopWorkers();
      await relay.down();
      run.child.kill('SIGCONT');
      const { code } = await run.exited;
      expect(code).toBe(1);
      // Page one: the queued workspace and 99 settled by their rows; the second page cannot be read.
      const notReached = eu2Total - 100;
      expect(run.stdout()).toMatch(
        new RegExp(`^✖ server eu2 .*\\. ${notReached} of its workspace\\(s\\) not reached; run the command again once it answers\\.$`, 'm'),
      );
      expect(lastLine(run.stdout())).toBe(`${on('main').length + 100} succeeded, ${notReached} failed, 0 skipped`);
    } finally {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGCONT');
      await relay.up();
      await clients.eu2.query(`DELETE FROM core.workspace WHERE "schemaName" LIKE 'workspace_insync%'`);
    }
    expect(await syncedOf(clients.eu2, [first])).toEqual([true]);
  });
});
