import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { runCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { createWorkspace } from './workspace-state';

describe('walk options and forced syncs', () => {
  let database: TestDatabase;
  let client: Client;
  let cwd: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = await connectClient(database.url);
    cwd = mkdtempSync(join(tmpdir(), 'wms-walk-'));
    env = { DATABASE_URL: database.url };
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('refuses -w together with --workspace-count-limit or --start-from-workspace-id', async () => {
    const id = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';
    for (const extra of [
      ['--workspace-count-limit', '1'],
      ['--start-from-workspace-id', id],
    ]) {
      const result = await runCli(['workspace:sync-metadata', '-w', id, ...extra], env, cwd);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        '-w selects workspaces by id; it cannot be combined with --start-from-workspace-id or --workspace-count-limit.',
      );
    }
  });

  it('syncs past drift with -f but stores no fingerprint, so the next run compares in full again', async () => {
    const workspace = await createWorkspace(env, cwd);
    await client.query(`ALTER TABLE "${workspace.schemaName}"."person" DROP COLUMN "city"`);
    await client.query(`UPDATE core.workspace SET "fingerprint" = NULL WHERE "id" = $1`, [workspace.id]);

    const forced = await runCli(['workspace:sync-metadata', '-w', workspace.id, '-f'], env, cwd);
    expect(forced.code).toBe(0);
    const [{ fingerprint }] = (await client.query(`SELECT "fingerprint" FROM core.workspace WHERE "id" = $1`, [workspace.id])).rows;
    expect(fingerprint).toBeNull();

    const next = await runCli(['workspace:sync-metadata', '-w', workspace.id], env, cwd);
    expect(next.code).toBe(1);
    expect(next.stdout).toContain('field person.city has no column "city"');
  });
});
