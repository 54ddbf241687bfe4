import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';

import { loadAppConfig } from '../../src/config/app-config';
import { createDataSource, DatabaseService } from '../../src/database/database.service';
import { unpackEmbeddedTemplate } from '../../src/database/embedded-template';
import { runCli } from '../utils/cli';

/** The default for a new user: no DATABASE_URL, PGlite on disk under DATA_DIR. */
describe('embedded database (no DATABASE_URL)', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'wms-embedded-'));
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('migrates itself, holds the core schema, and keeps data across restarts', async () => {
    const dataDir = join(directory, 'service');
    const config = loadAppConfig({ DATA_DIR: dataDir });
    const first = new DatabaseService(config, createDataSource(config));
    expect(first.isEmbedded).toBe(true);
    const dataSource = await first.connect();
    const tables = await dataSource.query(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE table_schema IN ('core', 'metadata') ORDER BY 1`,
    );
    expect(tables.map((row: { name: string }) => row.name)).toEqual([
      'core.apiKey',
      'core.declaredState',
      'core.upgradeLedger',
      'core.walkRun',
      'core.workspace',
      'core.workspaceOutcome',
      'metadata.fieldMetadata',
      'metadata.indexMetadata',
      'metadata.objectMetadata',
    ]);
    await dataSource.query(`INSERT INTO core.workspace ("displayName", "schemaName") VALUES ('Embedded', 'workspace_emb1')`);
    await expect(
      dataSource.query(`INSERT INTO core.workspace ("displayName", "schemaName") VALUES ('Again', 'workspace_emb1')`),
    ).rejects.toThrow(/UQ_workspace_schemaName/);
    await first.close();
    expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);

    const second = new DatabaseService(config, createDataSource(config));
    const reopened = await second.connect();
    const rows = await reopened.query(`SELECT "displayName", "schemaName" FROM core.workspace`);
    expect(rows).toEqual([{ displayName: 'Embedded', schemaName: 'workspace_emb1' }]);
    await second.close();
  });

  it('starts a new database from the template archive, which is what the installed PGlite makes with initdb', async () => {
    const dataDir = join(directory, 'template');
    expect(await unpackEmbeddedTemplate(dataDir)).toBe(true);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    // A directory that holds a database (or anything) is never unpacked over.
    expect(await unpackEmbeddedTemplate(dataDir)).toBe(false);
    expect(existsSync(`${dataDir}.unpacking`)).toBe(false);

    // What initdb decides: the server and catalog versions, encoding, locale, databases, roles and
    // the built-in catalog. An archive left from another PGlite release differs here, or fails to open.
    const facts = async (db: PGlite) =>
      (
        await db.query(
          `SELECT version() AS version,
                  (SELECT catalog_version_no FROM pg_control_system()) AS catalog,
                  current_setting('server_encoding') AS encoding,
                  (SELECT datcollate FROM pg_database WHERE datname = current_database()) AS collation,
                  (SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database) AS databases,
                  (SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles) AS roles,
                  (SELECT count(*)::int FROM pg_proc) AS functions,
                  (SELECT count(*)::int FROM pg_class) AS relations`,
        )
      ).rows[0];
    const fromTemplate = await PGlite.create(dataDir);
    const initdb = await PGlite.create();
    try {
      expect(await facts(fromTemplate)).toEqual(await facts(initdb));
    } finally {
      await fromTemplate.close();
      await initdb.close();
    }
  });

  it('runs database:migrate, workspace:list, workspace:create, workspace:sync-metadata and database:reset through the CLI', async () => {
    const cwd = join(directory, 'cli');
    mkdirSync(cwd);
    const migrate = await runCli(['database:migrate'], {}, cwd);
    expect(migrate.code).toBe(0);
    expect(migrate.stderr).toBe(`Database: embedded PostgreSQL (PGlite) in ${join(cwd, '.data', 'pglite')}\n`);
    expect(migrate.stdout).toContain(
      'Applied 8 migration(s): CoreSchema1763769600000, ApiKeys1764028800000, DeclaredStates1764201600000, SyncExpectations1764460800000, ObjectProperties1764720000000, ForeignKeyIndexes1764979200000, WalkRuns1765065600000, WorkspaceDefaultCountry1765238400000',
    );

    const list = await runCli(['workspace:list', '--json'], {}, cwd);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({ workspaces: [] });

    const create = await runCli(['workspace:create', '--name', 'Embedded demo', '--json'], {}, cwd);
    expect(create.code).toBe(0);
    const { workspace, records } = JSON.parse(create.stdout);
    expect(records).toEqual({ companies: 5, people: 5, opportunities: 3 });
    const sync = await runCli(['workspace:sync-metadata', '--check', '--json'], {}, cwd);
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({
      workspaces: [{ id: workspace.id, status: 'up-to-date', actions: [] }],
      summary: { succeeded: 1, failed: 0, skipped: 0 },
    });
    expect(sync.stderr).toContain('1 succeeded, 0 failed, 0 skipped');

    const reset = await runCli(['database:reset', '--yes'], {}, cwd);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain(`Dropped 3 schema(s): core, metadata, ${workspace.schemaName}.`);
    expect(reset.stdout).toContain(
      'Applied 8 migration(s): CoreSchema1763769600000, ApiKeys1764028800000, DeclaredStates1764201600000, SyncExpectations1764460800000, ObjectProperties1764720000000, ForeignKeyIndexes1764979200000, WalkRuns1765065600000, WorkspaceDefaultCountry1765238400000',
    );
  });

  it('runs the quick start, `demo`, in one process: a workspace from 0.22 to the latest version, each sync plan shown, in sync and healthy', async () => {
    const cwd = join(directory, 'demo');
    mkdirSync(cwd);
    const demo = await runCli(['demo'], {}, cwd);
    expect(demo.code).toBe(0);
    expect(demo.stderr).toBe(`Database: embedded PostgreSQL (PGlite) in ${join(cwd, '.data', 'pglite')}\n`);
    const lines = demo.stdout.split('\n');
    const stages = lines.filter((line) => line.startsWith('== ')).map((line) => line.split(' ')[1]);
    expect(stages).toEqual(['database:migrate:', 'workspace:create', 'upgrade', 'workspace:sync-metadata', 'workspace:health']);
    expect(lines).toContain('  sync 0.23: applied');
    expect(lines).toContain('  sync 0.24: applied');
    expect(lines).toContain('  sync 0.25: applied');
    expect(demo.stdout).toMatch(/✔ \S+ \(workspace_\w+\): upgraded to 0\.25/);
    expect(demo.stdout).toMatch(/= \S+ \(workspace_\w+\): up to date/);
    expect(demo.stdout).toMatch(/✔ \S+: healthy/);

    const list = await runCli(['workspace:list', '--json'], {}, cwd);
    expect(JSON.parse(list.stdout).workspaces).toEqual([expect.objectContaining({ displayName: 'Demo', version: '0.25' })]);
  });
});
