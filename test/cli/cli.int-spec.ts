import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { CURRENT_VERSION } from '../../src/standard-objects/version.constant';
import { PROJECT_ROOT, runCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';

describe('CLI', () => {
  let cwd: string;

  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-cli-'));
  });

  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  describe('arguments', () => {
    it('--help lists every command with one line each and exits 0', async () => {
      const result = await runCli(['--help'], {}, cwd);
      expect(result.code).toBe(0);
      for (const command of ['database:migrate', 'database:reset', 'snapshot:generate']) {
        expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b.*\\S`, 'm'));
      }
    });

    it('exits 2 with one clear line on an unknown command', async () => {
      const result = await runCli(['database:migrat'], {}, cwd);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("unknown command 'database:migrat'");
      expect(result.stderr).toContain('database:migrate');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });

    it('exits 2 on an unknown option', async () => {
      const result = await runCli(['database:migrate', '--no-such-option'], {}, cwd);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("unknown option '--no-such-option'");
    });

    it('exits 2 when an option misses its value', async () => {
      const result = await runCli(['snapshot:generate', '--out-dir'], {}, cwd);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("option '--out-dir <dir>' argument missing");
    });

    it('exits 2 when no command is given', async () => {
      const result = await runCli([], {}, cwd);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Usage: command:prod');
    });

    it('refuses database:reset unconfirmed with exit 1, and touches nothing', async () => {
      const result = await runCli(['database:reset'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }, cwd);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('Error: database:reset deletes every workspace and all its data. Pass --yes to confirm.\n');
    });

    it('rejects an invalid configuration with a message naming the variable', async () => {
      const result = await runCli(['database:migrate'], { DATABASE_URL: 'mysql://nope' }, cwd);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
    });
  });

  describe('snapshot:generate', () => {
    it('writes the current snapshot, and --check fails on a stale one', async () => {
      const outDir = join(cwd, 'snapshots');
      const write = await runCli(['snapshot:generate', '--out-dir', outDir], {}, cwd);
      expect(write.code).toBe(0);
      const file = `${CURRENT_VERSION}.json`;
      const committed = readFileSync(join(PROJECT_ROOT, 'src', 'standard-objects', 'snapshots', file), 'utf8');
      expect(readFileSync(join(outDir, file), 'utf8')).toBe(committed);

      expect((await runCli(['snapshot:generate', '--check', '--out-dir', outDir], {}, cwd)).code).toBe(0);
      writeFileSync(join(outDir, file), committed.replace('"Person"', '"Human"'));
      const stale = await runCli(['snapshot:generate', '--check', '--out-dir', outDir], {}, cwd);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain(`${file} is out of date with the declarations. Run snapshot:generate and commit the result.`);
    });
  });

  describe('errors', () => {
    it('prints one line for a failure, and the stack only with -v', async () => {
      const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/unreachable' };
      const quiet = await runCli(['database:migrate'], env, cwd);
      expect(quiet.code).toBe(1);
      const errorLines = quiet.stderr.split('\n').filter((line) => line.startsWith('Error:'));
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]).toContain('Could not connect to the database');
      expect(quiet.stderr).not.toMatch(/\n\s+at /);

      const verbose = await runCli(['database:migrate', '-v'], env, cwd);
      expect(verbose.code).toBe(1);
      expect(verbose.stderr).toMatch(/\n\s+at /);
    });
  });

  describe('on a PostgreSQL server', () => {
    let database: TestDatabase;
    let client: Client;

    beforeAll(async () => {
      database = await createTestDatabase({ migrated: false });
      client = await connectClient(database.url);
    });

    afterAll(async () => {
      await client.end();
      await database.drop();
    });

    const tableExists = async (name: string): Promise<boolean> =>
      (await client.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [name])).rows[0].exists;

    it('database:migrate applies the core schema, says which database it uses, and is idempotent', async () => {
      const first = await runCli(['database:migrate'], { DATABASE_URL: database.url }, cwd);
      expect(first.code).toBe(0);
      expect(first.stderr).toBe(`Database: PostgreSQL server at 127.0.0.1:5432/${database.name}\n`);
      expect(first.stdout).toContain(
        'Applied 8 migration(s): CoreSchema1763769600000, ApiKeys1764028800000, DeclaredStates1764201600000, SyncExpectations1764460800000, ObjectProperties1764720000000, ForeignKeyIndexes1764979200000, WalkRuns1765065600000, WorkspaceDefaultCountry1765238400000',
      );
      expect(await tableExists('core.workspace')).toBe(true);
      expect(await tableExists('metadata."fieldMetadata"')).toBe(true);

      const second = await runCli(['database:migrate'], { DATABASE_URL: database.url }, cwd);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('No pending migrations');
    });

    it('database:reset --yes drops workspaces and metadata and migrates again', async () => {
      await client.query(`INSERT INTO core.workspace ("displayName", "schemaName") VALUES ('Acme', 'workspace_reset1')`);
      await client.query(`CREATE SCHEMA workspace_reset1`);
      await client.query(`CREATE TABLE workspace_reset1.person (id uuid)`);
      await client.query(`CREATE SCHEMA unrelated_schema`);

      const result = await runCli(['database:reset', '--yes'], { DATABASE_URL: database.url }, cwd);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Dropped 3 schema(s): core, metadata, workspace_reset1.');
      expect(await tableExists('workspace_reset1.person')).toBe(false);
      expect((await client.query(`SELECT count(*)::int AS n FROM core.workspace`)).rows[0].n).toBe(0);
      expect((await client.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'unrelated_schema'`)).rows[0].n).toBe(1);
    });
  });

  it('refuses to run a database command while migrations are pending, and says what to do', async () => {
    const database = await createTestDatabase({ migrated: false });
    try {
      const result = await runCli(['workspace:list'], { DATABASE_URL: database.url }, cwd);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'Error: 8 database migration(s) pending (CoreSchema1763769600000, ApiKeys1764028800000, DeclaredStates1764201600000, SyncExpectations1764460800000, ObjectProperties1764720000000, ForeignKeyIndexes1764979200000, WalkRuns1765065600000, WorkspaceDefaultCountry1765238400000). Run `npm run command:prod -- database:migrate` first.',
      );
      const client = await connectClient(database.url);
      const tables = await client.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname IN ('core', 'metadata')`);
      await client.end();
      expect(tables.rows[0].n).toBe(0);
    } finally {
      await database.drop();
    }
  });
});
