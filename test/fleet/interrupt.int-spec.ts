import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { runCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { cityOf, createFleet, FleetWorkspace, linesPerWorkspace, takeCityAway } from './fleet.fixtures';

const SYNC = 'workspace:sync-metadata';

describe('SIGINT during an in-process walk', () => {
  let cwd: string;
  let database: TestDatabase;
  let client: Client;
  let env: Record<string, string>;
  let fleet: FleetWorkspace[];

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-interrupt-'));
    database = await createTestDatabase();
    client = await connectClient(database.url);
    env = { DATABASE_URL: database.url };
    fleet = await createFleet(database.url, 10);
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('finishes the workspace in flight, reports the run as interrupted with its summary, and a rerun does the rest', async () => {
    await takeCityAway(client, fleet);
    // SIGINT arrives while the 4th workspace is being synced.
    const interrupted = await runCli([SYNC], { ...env, WMS_FAULT_SIGINT_AT_WORKSPACE: '4' }, cwd);
    expect(interrupted.code).toBe(1);
    expect(interrupted.stderr).toContain('SIGINT: stopping after the workspaces in flight');
    const lines = interrupted.stdout.trimEnd().split('\n');
    expect(lines.slice(-2)).toEqual([
      'Interrupted by SIGINT after the workspaces in flight; 6 workspace(s) not reached. Run the command again to do the rest.',
      '4 succeeded, 0 failed, 0 skipped',
    ]);
    const done = fleet.slice(0, 4);
    const rest = fleet.slice(4);
    expect([...linesPerWorkspace([interrupted.stdout], '✔').keys()]).toEqual(done.map((workspace) => workspace.id));
    expect(await cityOf(client, done)).toEqual(done.map((workspace) => ({ id: workspace.id, rows: 1, column: true })));
    expect(await cityOf(client, rest)).toEqual(rest.map((workspace) => ({ id: workspace.id, rows: 0, column: false })));

    const rerun = await runCli([SYNC, '--concurrency', '2'], env, cwd);
    expect(rerun.code).toBe(0);
    expect([...linesPerWorkspace([rerun.stdout], '✔').keys()].sort()).toEqual(rest.map((workspace) => workspace.id));
    expect(rerun.stdout.match(/: up to date$/gm)).toHaveLength(4);
    expect(rerun.stdout.trimEnd().split('\n').at(-1)).toBe('10 succeeded, 0 failed, 0 skipped');
    expect(await cityOf(client, fleet)).toEqual(fleet.map((workspace) => ({ id: workspace.id, rows: 1, column: true })));
  });

  it('with --json, the report says interrupted and how many were not reached', async () => {
    await takeCityAway(client, fleet.slice(0, 3));
    const interrupted = await runCli([SYNC, '--json', '--workspace-count-limit', '3'], { ...env, WMS_FAULT_SIGINT_AT_WORKSPACE: '1' }, cwd);
    expect(interrupted.code).toBe(1);
    expect(JSON.parse(interrupted.stdout)).toMatchObject({
      interrupted: true,
      notReached: 2,
      summary: { succeeded: 1, failed: 0, skipped: 0 },
    });
    expect(interrupted.stderr.trimEnd().split('\n').slice(-2)).toEqual([
      'Interrupted by SIGINT after the workspaces in flight; 2 workspace(s) not reached. Run the command again to do the rest.',
      '1 succeeded, 0 failed, 0 skipped',
    ]);
  });
});
