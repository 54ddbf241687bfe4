import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { runCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { cityOf, createFleet, FleetWorkspace, takeCityAway } from './fleet.fixtures';

const SYNC = 'workspace:sync-metadata';

describe('pooled connections are recycled while a walk goes through the fleet', () => {
  let cwd: string;
  let database: TestDatabase;
  let client: Client;
  let fleet: FleetWorkspace[];

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-recycle-'));
    database = await createTestDatabase();
    client = await connectClient(database.url);
    fleet = await createFleet(database.url, 9);
    // Which server process wrote each workspace's fingerprint.
    await client.query(`CREATE TABLE public.fingerprint_writer ("workspaceId" uuid, "pid" int)`);
    await client.query(
      `CREATE FUNCTION public.record_fingerprint_writer() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW."fingerprint" IS NOT NULL THEN
           INSERT INTO public.fingerprint_writer VALUES (NEW."id", pg_backend_pid());
         END IF;
         RETURN NEW;
       END $$`,
    );
    await client.query(
      `CREATE TRIGGER record_fingerprint_writer AFTER UPDATE OF "fingerprint" ON core.workspace
         FOR EACH ROW EXECUTE FUNCTION public.record_fingerprint_writer()`,
    );
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  /** Syncs the fleet after taking person.city away; returns how many workspaces each server process wrote. */
  const syncAndCountWriters = async (recycleAfter: string): Promise<number[]> => {
    await takeCityAway(client, fleet);
    await client.query(`TRUNCATE public.fingerprint_writer`);
    const run = await runCli([SYNC], { DATABASE_URL: database.url, DATABASE_RECYCLE_AFTER: recycleAfter }, cwd);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('9 succeeded, 0 failed, 0 skipped');
    expect(await cityOf(client, fleet)).toEqual(fleet.map((workspace) => ({ id: workspace.id, rows: 1, column: true })));
    const { rows } = await client.query<{ workspaces: number }>(
      `SELECT count(DISTINCT "workspaceId")::int AS workspaces FROM public.fingerprint_writer GROUP BY "pid"`,
    );
    return rows.map((row) => row.workspaces);
  };

  it('DATABASE_RECYCLE_AFTER=3: no connection serves more than 3 workspaces, so 9 workspaces take at least 3 server processes', async () => {
    const workspacesPerProcess = await syncAndCountWriters('3');
    expect(workspacesPerProcess.reduce((sum, count) => sum + count, 0)).toBe(9);
    expect(workspacesPerProcess.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...workspacesPerProcess)).toBeLessThanOrEqual(3);
  });

  it('DATABASE_RECYCLE_AFTER=0: one connection serves the whole walk at concurrency 1', async () => {
    expect(await syncAndCountWriters('0')).toEqual([9]);
  });

  it('a value that is not a whole number is refused at start-up, naming the variable', async () => {
    const run = await runCli([SYNC], { DATABASE_URL: database.url, DATABASE_RECYCLE_AFTER: 'often' }, cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('DATABASE_RECYCLE_AFTER must be a whole number of uses');
  });
});
