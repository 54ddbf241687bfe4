import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Queue } from 'bullmq';
import { Client } from 'pg';

import { CliProcess, runCli, startCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import {
  cityOf,
  createFleet,
  drift as driftApart,
  FleetWorkspace,
  queueOf,
  REDIS_URL,
  resetFleet as resetWorkspaces,
  syncedOf,
  takeCityAway,
} from './fleet.fixtures';

const SYNC = 'workspace:sync-metadata';

describe('staged rollout: --canary, --canary-workspace-id, --stages and --max-failures', () => {
  let cwd: string;
  let database: TestDatabase;
  let client: Client;
  let env: Record<string, string>;
  let queue: Queue;
  let fleet: FleetWorkspace[];
  const workers: CliProcess[] = [];

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-rollout-'));
    database = await createTestDatabase();
    client = await connectClient(database.url);
    env = { DATABASE_URL: database.url, REDIS_URL };
    queue = queueOf(database.url);
    fleet = await createFleet(database.url, 20);
  });

  afterAll(async () => {
    for (const worker of workers) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await queue.obliterate({ force: true });
    await queue.close();
    await client.end();
    await database.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  const drift = (workspace: FleetWorkspace, drifted = true) => driftApart(client, workspace, drifted);
  const synced = () => syncedOf(client, fleet);
  const resetFleet = () => resetWorkspaces(client, fleet);

  const lastLine = (stdout: string) => stdout.trimEnd().split('\n').at(-1);

  it('a canary that fails halts before the rest: the rest untouched, exit 1, how to resume; the rerun finishes', async () => {
    await resetFleet();
    await drift(fleet[0]);

    const run = await runCli([SYNC, '--canary', '2', '--continue-on-error'], env, cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`✖ ${fleet[0].id} (${fleet[0].schemaName}): failed: metadata and tables have drifted apart`);
    expect(run.stdout).toContain('Canary, 2 workspace(s): 1 succeeded, 1 failed, 0 skipped (halted)');
    expect(run.stdout).toContain(
      'Halted: the canary did not succeed (1 succeeded, 1 failed, 0 skipped); the other 18 workspace(s) were not touched. Fix what failed and run the same command again to resume',
    );
    expect(lastLine(run.stdout)).toBe('1 succeeded, 1 failed, 0 skipped');
    expect(await synced()).toEqual(fleet.map((_, index) => index === 1));

    await drift(fleet[0], false);
    const rerun = await runCli([SYNC, '--canary', '2'], env, cwd);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('Canary, 2 workspace(s): 2 succeeded, 0 failed, 0 skipped');
    expect(rerun.stdout).toContain('The rest, 18 workspace(s): 18 succeeded, 0 failed, 0 skipped');
    expect(lastLine(rerun.stdout)).toBe('20 succeeded, 0 failed, 0 skipped');
    expect(await synced()).toEqual(fleet.map(() => true));
  });

  it('--canary-workspace-id runs the named workspace first, and only it when it fails', async () => {
    await resetFleet();
    const canary = fleet[12];
    await drift(canary);
    const run = await runCli([SYNC, '--canary-workspace-id', canary.id], env, cwd);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toContain(`✖ ${canary.id} (${canary.schemaName}): failed: metadata and tables have drifted apart`);
    expect(run.stdout).toContain('the other 19 workspace(s) were not touched');
    expect(await synced()).toEqual(fleet.map(() => false));

    await drift(canary, false);
    const rerun = await runCli([SYNC, '--canary-workspace-id', canary.id], env, cwd);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout.split('\n')[0]).toBe(`✔ ${canary.id} (${canary.schemaName}): applied 1 action(s), 2 statement(s)`);
    expect(await synced()).toEqual(fleet.map(() => true));
  });

  /**
   * 20 workspaces in stages ending at 2, 50% and 100% (2, 8 and 10 workspaces), 1 failure
   * tolerated: two drifted workspaces in stage 2 halt the run there; stage 3 is untouched. Fixed
   * one, the rerun finishes every stage (the other failure tolerated, exit 1); fixed both, exit 0.
   */
  const stagedRun = async (extra: string[], runEnv: Record<string, string>) => {
    await resetFleet();
    await drift(fleet[3]);
    await drift(fleet[5]);
    const args = [SYNC, '--stages', '2,50%,100%', '--max-failures', '1', ...extra];

    const run = await runCli(args, runEnv, cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Stage 1 of 3 (2), 2 workspace(s): 2 succeeded, 0 failed, 0 skipped');
    expect(run.stdout).toMatch(/^Stage 2 of 3 \(50%\), 8 workspace\(s\): \d succeeded, 2 failed, 0 skipped \(halted\)$/m);
    expect(run.stdout).not.toContain('Stage 3 of 3');
    expect(run.stdout).toMatch(
      /^Halted at stage 2 of 3 \(50%\): 2 failed, more than the 1 allowed \(--max-failures\); \d+ workspace\(s\) not reached\. Fix what failed and run the same command again to resume/m,
    );
    const afterHalt = await synced();
    expect(afterHalt.slice(0, 3)).toEqual([true, true, true]);
    expect(afterHalt[3]).toBe(false);
    expect(afterHalt[5]).toBe(false);
    expect(afterHalt.slice(10)).toEqual(fleet.slice(10).map(() => false));

    await drift(fleet[3], false);
    const rerun = await runCli(args, runEnv, cwd);
    expect(rerun.code).toBe(1);
    expect(rerun.stdout).toContain('Stage 2 of 3 (50%), 8 workspace(s): 7 succeeded, 1 failed, 0 skipped');
    expect(rerun.stdout).toContain('Stage 3 of 3 (100%), 10 workspace(s): 10 succeeded, 0 failed, 0 skipped');
    expect(lastLine(rerun.stdout)).toBe('19 succeeded, 1 failed, 0 skipped');
    expect(await synced()).toEqual(fleet.map((_, index) => index !== 5));

    await drift(fleet[5], false);
    const last = await runCli([...args, '--json'], runEnv, cwd);
    expect(last.code).toBe(0);
    const document = JSON.parse(last.stdout);
    expect(document.halted).toBeNull();
    expect(document.stages).toEqual([
      { name: 'stage 1 of 3 (2)', workspaces: 2, maxFailures: 1, succeeded: 2, failed: 0, skipped: 0, halted: false },
      { name: 'stage 2 of 3 (50%)', workspaces: 8, maxFailures: 1, succeeded: 8, failed: 0, skipped: 0, halted: false },
      { name: 'stage 3 of 3 (100%)', workspaces: 10, maxFailures: 1, succeeded: 10, failed: 0, skipped: 0, halted: false },
    ]);
    expect(last.stderr).toContain('Stage 3 of 3 (100%), 10 workspace(s): 10 succeeded, 0 failed, 0 skipped');
    expect(await synced()).toEqual(fleet.map(() => true));
  };

  it('--stages halts at the stage that passes --max-failures; a rerun finishes', async () => {
    await stagedRun([], env);
  });

  it('the same through --queue, done by a worker, and a canary that fails there', async () => {
    const worker = startCli(['worker', '--concurrency', '2'], env, cwd);
    workers.push(worker);
    await stagedRun(['--queue', '--concurrency', '4'], env);

    await resetFleet();
    await drift(fleet[0]);
    const canary = await runCli([SYNC, '--queue', '--canary', '1'], env, cwd);
    expect(canary.code).toBe(1);
    expect(canary.stdout).toContain('Canary, 1 workspace(s): 0 succeeded, 1 failed, 0 skipped (halted)');
    expect(canary.stdout).toContain('the other 19 workspace(s) were not touched');
    expect(await synced()).toEqual(fleet.map(() => false));
    await drift(fleet[0], false);
    expect(await queue.getJobCounts('waiting', 'active', 'delayed')).toEqual({ waiting: 0, active: 0, delayed: 0 });
  });

  it.each([
    [['--stages', '0'], '--stages takes where each stage ends'],
    [['--stages', '10%,5%'], '--stages takes where each stage ends'],
    [['--stages', '1,,100%'], '--stages takes where each stage ends'],
    [['--stages', '101%'], '--stages takes where each stage ends'],
    [['--max-failures', 'x'], '--max-failures takes the failures a stage tolerates'],
    [['--max-failures', '-1'], '--max-failures takes the failures a stage tolerates'],
    [['--canary', '0'], '--canary takes a whole number from 1'],
    [['--canary-workspace-id', 'first'], '--canary-workspace-id takes a workspace id (a UUID)'],
  ])('%j is refused with exit 2 and what to pass, nothing written', async (args, message) => {
    if ((await cityOf(client, fleet.slice(0, 1)))[0].rows === 1) await takeCityAway(client, fleet.slice(0, 1));
    const run = await runCli([SYNC, ...args], env, cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect((await cityOf(client, fleet.slice(0, 1)))[0]).toEqual({ id: fleet[0].id, rows: 0, column: false });
  });

  it('--canary with --canary-workspace-id, or a canary outside -w, is refused with exit 2', async () => {
    const both = await runCli([SYNC, '--canary', '1', '--canary-workspace-id', fleet[0].id], env, cwd);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--canary takes the first n workspaces, --canary-workspace-id names them: use one or the other.');
    const outside = await runCli([SYNC, '-w', fleet[1].id, '--canary-workspace-id', fleet[0].id], env, cwd);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain(`--canary-workspace-id ${fleet[0].id} is not one of the workspaces selected with -w.`);
  });
});
