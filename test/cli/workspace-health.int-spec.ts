import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { runCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import {
  columnNames,
  createWorkspace,
  CreatedWorkspaceJson,
  lastStdoutLine,
  liveSchemaOf,
  metadataOf,
  stdoutLines,
  workspaceRow,
} from './workspace-state';

const HEALTH = 'workspace:health';

describe('workspace:health', () => {
  let cwd: string;
  let database: TestDatabase;
  let client: Client;
  let env: Record<string, string>;
  /** Sorted by id: the fleet walks them in this order. */
  let healthy: CreatedWorkspaceJson;
  let drifted: CreatedWorkspaceJson;

  const stateOf = async (workspace: CreatedWorkspaceJson) => ({
    metadata: await metadataOf(client, workspace.id),
    live: await liveSchemaOf(client, workspace.schemaName),
    row: await workspaceRow(client, workspace.id),
  });

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-health-'));
    database = await createTestDatabase();
    client = await connectClient(database.url);
    env = { DATABASE_URL: database.url };
    const workspaces = [await createWorkspace(env, cwd), await createWorkspace(env, cwd)].sort((a, b) => a.id.localeCompare(b.id));
    // The drifted workspace comes first, so that reporting the healthy one shows the walk went on.
    [drifted, healthy] = workspaces;
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('reports a healthy workspace and exits 0', async () => {
    const result = await runCli([HEALTH, '-w', healthy.id], env, cwd);
    expect(result.code).toBe(0);
    expect(stdoutLines(result)).toEqual([`✔ ${healthy.id}: healthy`, '1 succeeded, 0 failed, 0 skipped']);
  });

  describe('with drift: a dropped column, a stray column, a dropped table', () => {
    let before: Awaited<ReturnType<typeof stateOf>>;

    beforeAll(async () => {
      await client.query(`ALTER TABLE "${drifted.schemaName}"."person" DROP COLUMN "jobTitle"`);
      await client.query(`ALTER TABLE "${drifted.schemaName}"."company" ADD COLUMN "stray" text`);
      await client.query(`DROP TABLE "${drifted.schemaName}"."viewSort"`);
      before = await stateOf(drifted);
    });

    it('reports each issue with its kind and names, per workspace, goes on to the next, exits 1 and repairs nothing', async () => {
      const result = await runCli([HEALTH], env, cwd);
      expect(result.code).toBe(1);
      expect(stdoutLines(result)).toEqual([
        `✖ ${drifted.id}: 4 drift issue(s)`,
        '  EXTRA_COLUMN: column "stray" of company belongs to no field of company',
        '  MISSING_COLUMN: field person.jobTitle has no column "jobTitle"',
        '  MISSING_TABLE: object viewSort has no table viewSort',
        '  MISSING_INDEX: index IDX_viewSort_viewId is in metadata but not in the schema',
        `✔ ${healthy.id}: healthy`,
        '1 succeeded, 1 failed, 0 skipped',
      ]);

      expect(await stateOf(drifted)).toEqual(before);
      expect(await columnNames(client, drifted.schemaName, 'person')).not.toContain('jobTitle');
      expect(await columnNames(client, drifted.schemaName, 'company')).toContain('stray');
    });

    it('--json lists the issues of each workspace', async () => {
      const result = await runCli([HEALTH, '--json', '-w', drifted.id, '-w', healthy.id], env, cwd);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.summary).toEqual({ succeeded: 1, failed: 1, skipped: 0 });
      expect(report.workspaces).toEqual([
        {
          id: drifted.id,
          status: 'failed',
          message: '4 drift issue(s)',
          issues: [
            expect.objectContaining({ kind: 'EXTRA_COLUMN', table: 'company', column: 'stray' }),
            expect.objectContaining({ kind: 'MISSING_COLUMN', table: 'person', column: 'jobTitle' }),
            expect.objectContaining({ kind: 'MISSING_TABLE', table: 'viewSort', column: null }),
            expect.objectContaining({ kind: 'MISSING_INDEX', table: 'viewSort', column: null }),
          ],
        },
        { id: healthy.id, status: 'succeeded', message: null, issues: [] },
      ]);
      expect(result.stderr).toContain('1 succeeded, 1 failed, 0 skipped');
      expect(await stateOf(drifted)).toEqual(before);
    });

    it('workspace:sync-metadata refuses the drifted workspace, says to run workspace:health or pass -f, and writes nothing', async () => {
      // As after a release: the declarations changed, so the fingerprint no longer matches.
      await client.query(`UPDATE core.workspace SET "fingerprint" = NULL WHERE "id" = $1`, [drifted.id]);
      const state = await stateOf(drifted);

      const result = await runCli(['workspace:sync-metadata', '-w', drifted.id], env, cwd);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`✖ ${drifted.id} (${drifted.schemaName}): failed: metadata and tables have drifted apart (`);
      expect(result.stdout).toContain('field person.jobTitle has no column "jobTitle"');
      expect(result.stdout).toContain('object viewSort has no table viewSort');
      expect(result.stdout).toContain('run workspace:health to see it all, repair it, or pass -f to sync anyway');
      expect(lastStdoutLine(result)).toBe('0 succeeded, 1 failed, 0 skipped');

      expect(await stateOf(drifted)).toEqual(state);
      expect(state.row.fingerprint).toBeNull();
    });
  });
});
