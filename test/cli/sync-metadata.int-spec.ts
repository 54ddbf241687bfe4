import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { CliResult, runCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import {
  columnNames,
  createWorkspace,
  CreatedWorkspaceJson,
  lastStdoutLine,
  liveSchemaOf,
  metadataOf,
  removeStandardField,
  stdoutLines,
  workspaceRow,
} from './workspace-state';

interface JsonAction {
  kind: string;
  object: string;
  field: string | null;
  hazard: string | null;
  sql: string;
}

interface JsonReport {
  workspaces: Array<{ id: string; status: string; message: string | null; actions: JsonAction[] }>;
  summary: { succeeded: number; failed: number; skipped: number };
}

const SYNC = 'workspace:sync-metadata';

/** The ids of the workspaces a human-readable run reported on, in the order it reported them. */
const reportedIds = (result: CliResult): string[] =>
  stdoutLines(result).flatMap((line) => line.match(/^[=✔~✖-] ([0-9a-f-]{36})\b/)?.[1] ?? []);

const parseReport = (result: CliResult): JsonReport => JSON.parse(result.stdout);

describe('workspace:sync-metadata', () => {
  let cwd: string;
  let database: TestDatabase;
  let client: Client;
  let env: Record<string, string>;

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-sync-'));
    database = await createTestDatabase();
    client = await connectClient(database.url);
    env = { DATABASE_URL: database.url };
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  const stateOf = async (workspace: CreatedWorkspaceJson) => ({
    metadata: await metadataOf(client, workspace.id),
    live: await liveSchemaOf(client, workspace.schemaName),
    row: await workspaceRow(client, workspace.id),
  });

  it('a created workspace is already in sync: syncing it changes nothing, and it matches a workspace never synced', async () => {
    const created = await createWorkspace(env, cwd);
    const synced = await createWorkspace(env, cwd);

    const sync = await runCli([SYNC, '--check', '-w', synced.id], env, cwd);
    expect(sync.code).toBe(0);
    expect(stdoutLines(sync)).toEqual([`= ${synced.id} (${synced.schemaName}): up to date`, '1 succeeded, 0 failed, 0 skipped']);

    expect(await metadataOf(client, synced.id)).toEqual(await metadataOf(client, created.id));
    expect(await liveSchemaOf(client, synced.schemaName)).toEqual(await liveSchemaOf(client, created.schemaName));
    expect((await metadataOf(client, created.id)).fields.length).toBeGreaterThan(100);
    expect((await liveSchemaOf(client, created.schemaName)).columns.length).toBeGreaterThan(100);

    const again = await runCli([SYNC, '--dry-run', '--json', '--check', '-w', created.id, '-w', synced.id], env, cwd);
    expect(again.code).toBe(0);
    const report = parseReport(again);
    expect(report.workspaces.map(({ id, status, actions }) => ({ id, status, actions }))).toEqual([
      { id: created.id, status: 'up-to-date', actions: [] },
      { id: synced.id, status: 'up-to-date', actions: [] },
    ]);
    expect(report.summary).toEqual({ succeeded: 2, failed: 0, skipped: 0 });
  });

  it('refuses a 0.22 workspace, names the upgrade command and the fields, and changes nothing', async () => {
    const old = await createWorkspace(env, cwd, ['--version', '0.22']);
    const before = await stateOf(old);

    const result = await runCli([SYNC, '-w', old.id], env, cwd);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✖ ${old.id} (${old.schemaName}): failed: 6 change(s) refused, nothing was written`);
    expect(result.stdout).toContain('[REFUSED TYPE_CHANGE] field person.email changes type EMAIL -> EMAILS (and name to emails)');
    expect(result.stdout).toContain('[REFUSED TYPE_CHANGE] field company.domainName changes type LINK -> LINKS');
    expect(result.stdout).toContain('[REFUSED TYPE_CHANGE] field company.address changes type TEXT -> ADDRESS');
    expect(result.stdout).toContain('[REFUSED TYPE_CHANGE] field person.phone changes type PHONE -> PHONES (and name to phones)');
    expect(result.stdout).toContain('[REFUSED TYPE_CHANGE] field note.body changes type TEXT -> RICH_TEXT_V2 (and name to bodyV2)');
    expect(result.stdout).toContain('run `upgrade-0.23`, which migrates it with its data');
    expect(lastStdoutLine(result)).toBe('0 succeeded, 1 failed, 0 skipped');

    expect(await stateOf(old)).toEqual(before);
    expect(before.row.version).toBe('0.22');
  });

  it('--dry-run --json prints the plan and writes nothing; the real run applies exactly that plan', async () => {
    const workspace = await createWorkspace(env, cwd);
    const fresh = await createWorkspace(env, cwd);
    const cityFieldId = (
      await client.query(
        `SELECT f."id" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
          WHERE o."workspaceId" = $1 AND o."nameSingular" = 'person' AND f."name" = 'city'`,
        [workspace.id],
      )
    ).rows[0].id;
    await removeStandardField(client, workspace, 'person', 'city');

    const readable = await runCli([SYNC, '--dry-run', '-w', workspace.id], env, cwd);
    expect(readable.code).toBe(0);
    expect(stdoutLines(readable)).toEqual([
      `~ ${workspace.id} (${workspace.schemaName}): 1 action(s) planned (dry run, nothing written)`,
      '  create field person.city (TEXT)',
      '1 succeeded, 0 failed, 0 skipped',
    ]);

    const dryRun = await runCli([SYNC, '--dry-run', '--json', '-w', workspace.id], env, cwd);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stderr).toContain('1 succeeded, 0 failed, 0 skipped');
    const planned = parseReport(dryRun);
    expect(planned.summary).toEqual({ succeeded: 1, failed: 0, skipped: 0 });
    expect(planned.workspaces).toHaveLength(1);
    expect(planned.workspaces[0]).toMatchObject({ id: workspace.id, status: 'planned' });
    const actions = planned.workspaces[0].actions.map(({ kind, object, field, hazard, sql }) => ({ kind, object, field, hazard, sql }));
    expect(actions).toEqual([
      {
        kind: 'CREATE_FIELD',
        object: 'person',
        field: 'city',
        hazard: null,
        sql: expect.stringContaining(`ALTER TABLE "${workspace.schemaName}"."person" ADD COLUMN "city" text NOT NULL DEFAULT ''`),
      },
    ]);
    expect(actions[0].sql).toContain('INSERT INTO metadata."fieldMetadata"');
    expect(await columnNames(client, workspace.schemaName, 'person')).not.toContain('city');
    expect((await metadataOf(client, workspace.id)).fields.some((field) => field.object === 'person' && field.name === 'city')).toBe(false);
    expect((await workspaceRow(client, workspace.id)).fingerprint).toBeNull();

    const real = await runCli([SYNC, '--json', '-w', workspace.id], env, cwd);
    expect(real.code).toBe(0);
    const applied = parseReport(real);
    expect(applied.workspaces[0]).toMatchObject({ id: workspace.id, status: 'applied' });
    expect(applied.workspaces[0].actions.map(({ kind, object, field, hazard, sql }) => ({ kind, object, field, hazard, sql }))).toEqual(
      actions,
    );
    expect(applied.summary).toEqual({ succeeded: 1, failed: 0, skipped: 0 });

    expect(await columnNames(client, workspace.schemaName, 'person')).toContain('city');
    expect((await workspaceRow(client, workspace.id)).fingerprint).toBe(workspace.fingerprint);
    // The field comes back with its old id, so the default view's column points at it again.
    const viewField = await client.query(
      `SELECT count(*)::int AS n FROM "${workspace.schemaName}"."viewField" WHERE "fieldMetadataId" = $1`,
      [cityFieldId],
    );
    expect(viewField.rows[0].n).toBe(1);
    expect(
      (await metadataOf(client, workspace.id)).fields.find((field) => field.object === 'person' && field.name === 'city'),
    ).toMatchObject({
      type: 'TEXT',
      isCustom: false,
    });

    // Converged: the same metadata and tables as a workspace that never lost the field (column order aside).
    expect(await metadataOf(client, workspace.id)).toEqual(await metadataOf(client, fresh.id));
    expect(await liveSchemaOf(client, workspace.schemaName, { withPosition: false })).toEqual(
      await liveSchemaOf(client, fresh.schemaName, { withPosition: false }),
    );

    const after = await runCli([SYNC, '--dry-run', '--check', '--json', '-w', workspace.id], env, cwd);
    expect(after.code).toBe(0);
    expect(parseReport(after).workspaces.map(({ status, actions }) => ({ status, actions }))).toEqual([
      { status: 'up-to-date', actions: [] },
    ]);
  });

  it('marks a hazardous action, refuses it without --allow-hazards, and applies it with', async () => {
    const workspace = await createWorkspace(env, cwd);
    await client.query(`DELETE FROM metadata."indexMetadata" WHERE "workspaceId" = $1 AND "name" = 'IDX_person_companyId'`, [workspace.id]);
    await client.query(`DROP INDEX "${workspace.schemaName}"."IDX_person_companyId"`);
    // A large table: building the index there blocks writers for a while.
    await client.query(`INSERT INTO "${workspace.schemaName}"."person" ("jobTitle") SELECT 'Engineer' FROM generate_series(1, 100001)`);
    await client.query(`ANALYZE "${workspace.schemaName}"."person"`);
    await client.query(`UPDATE core.workspace SET "fingerprint" = NULL WHERE "id" = $1`, [workspace.id]);
    const indexExists = async () =>
      (await client.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`"${workspace.schemaName}"."IDX_person_companyId"`])).rows[0]
        .exists;

    const refused = await runCli([SYNC, '--dry-run', '-w', workspace.id], env, cwd);
    expect(refused.code).toBe(1);
    expect(stdoutLines(refused).slice(0, 3)).toEqual([
      `✖ ${workspace.id} (${workspace.schemaName}): failed: 1 change(s) refused, nothing was written`,
      '  [BLOCKS_WRITES] create index IDX_person_companyId on person (companyId)',
      '  [REFUSED BLOCKS_WRITES] create index IDX_person_companyId on person (companyId): this is BLOCKS_WRITES; pass --allow-hazards BLOCKS_WRITES to apply it',
    ]);
    expect((await runCli([SYNC, '-w', workspace.id], env, cwd)).code).toBe(1);
    expect(await indexExists()).toBe(false);

    const allowed = await runCli([SYNC, '--json', '--allow-hazards', 'BLOCKS_WRITES', '-w', workspace.id], env, cwd);
    expect(allowed.code).toBe(0);
    expect(parseReport(allowed).workspaces[0].actions.map(({ kind, object, hazard }) => ({ kind, object, hazard }))).toEqual([
      { kind: 'CREATE_INDEX', object: 'person', hazard: 'BLOCKS_WRITES' },
    ]);
    expect(await indexExists()).toBe(true);
    expect((await metadataOf(client, workspace.id)).indexes.map((index) => index.name)).toContain('IDX_person_companyId');
  });

  it('refuses a new standard field whose name a custom field took, says how to fix it, and writes nothing', async () => {
    const workspace = await createWorkspace(env, cwd);
    await removeStandardField(client, workspace, 'person', 'city');
    await client.query(
      `INSERT INTO metadata."fieldMetadata" ("workspaceId", "objectMetadataId", "name", "label", "type", "isCustom")
       SELECT $1, "id", 'city', 'City (ours)', 'TEXT', true FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "nameSingular" = 'person'`,
      [workspace.id],
    );
    await client.query(`ALTER TABLE "${workspace.schemaName}"."person" ADD COLUMN "city" text`);
    await client.query(`UPDATE "${workspace.schemaName}"."person" SET "city" = 'Paris'`);
    const before = await stateOf(workspace);

    const result = await runCli([SYNC, '-w', workspace.id], env, cwd);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✖ ${workspace.id} (${workspace.schemaName}): failed: 1 change(s) refused, nothing was written`);
    expect(result.stdout).toContain(
      '[REFUSED NAME_CONFLICT] the new standard field person.city collides with the custom field "city"; rename the custom field (for example to "cityCustom"), then run the sync again',
    );
    expect(lastStdoutLine(result)).toBe('0 succeeded, 1 failed, 0 skipped');
    expect(await stateOf(workspace)).toEqual(before);
    expect(before.row.fingerprint).toBeNull();

    // The fix it names works: rename the custom field, and the sync adds the standard one beside it.
    await client.query(
      `UPDATE metadata."fieldMetadata" SET "name" = 'cityCustom' WHERE "workspaceId" = $1 AND "name" = 'city' AND "isCustom"`,
      [workspace.id],
    );
    await client.query(`ALTER TABLE "${workspace.schemaName}"."person" RENAME COLUMN "city" TO "cityCustom"`);
    const fixed = await runCli([SYNC, '-w', workspace.id], env, cwd);
    expect(fixed.code).toBe(0);
    expect(lastStdoutLine(fixed)).toBe('1 succeeded, 0 failed, 0 skipped');
    const people = await client.query(`SELECT DISTINCT "city", "cityCustom" FROM "${workspace.schemaName}"."person"`);
    expect(people.rows).toEqual([{ city: '', cityCustom: 'Paris' }]);
  });

  it('the fingerprint fast path: a workspace in sync is "up to date" without reading its tables; --check reads them', async () => {
    const workspace = await createWorkspace(env, cwd);
    const first = await runCli([SYNC, '-w', workspace.id], env, cwd);
    expect(first.code).toBe(0);
    expect(stdoutLines(first)).toEqual([`= ${workspace.id} (${workspace.schemaName}): up to date`, '1 succeeded, 0 failed, 0 skipped']);

    // Break the table behind the service's back: the fingerprint still says in sync.
    await client.query(`ALTER TABLE "${workspace.schemaName}"."person" DROP COLUMN "jobTitle"`);
    const fast = await runCli([SYNC, '-w', workspace.id], env, cwd);
    expect(fast.code).toBe(0);
    expect(fast.stdout).toContain(`= ${workspace.id} (${workspace.schemaName}): up to date`);

    const checked = await runCli([SYNC, '--check', '-w', workspace.id], env, cwd);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('field person.jobTitle has no column "jobTitle"');
  });

  it('skips a workspace another runner holds, writes nothing, and does not exit 0', async () => {
    const workspace = await createWorkspace(env, cwd);
    await removeStandardField(client, workspace, 'person', 'city');
    const before = await stateOf(workspace);
    // Another runner: a session holding the workspace's advisory lock (the key the service locks on).
    const other = await connectClient(database.url);
    try {
      await other.query(`SELECT pg_advisory_lock(hashtext('workspace'), hashtext($1))`, [workspace.id]);
      const result = await runCli([SYNC, '-w', workspace.id], env, cwd);
      expect(stdoutLines(result)).toEqual([
        `- ${workspace.id} (${workspace.schemaName}): skipped: locked by another runner`,
        '0 succeeded, 0 failed, 1 skipped',
      ]);
      // §5: exit status 0 only when every selected workspace succeeded.
      expect(result.code).toBe(1);
      expect(await stateOf(workspace)).toEqual(before);
    } finally {
      await other.end();
    }
    const released = await runCli([SYNC, '-w', workspace.id], env, cwd);
    expect(released.code).toBe(0);
    expect(await columnNames(client, workspace.schemaName, 'person')).toContain('city');
  });

  describe('selection, summary and exit status', () => {
    it('a workspace id that does not exist fails that workspace', async () => {
      const missing = randomUUID();
      const result = await runCli([SYNC, '-w', missing], env, cwd);
      expect(result.code).toBe(1);
      expect(stdoutLines(result)).toEqual([
        `✖ ${missing}: failed: workspace ${missing} does not exist`,
        '0 succeeded, 1 failed, 0 skipped',
      ]);
    });

    it.each([
      ['-w not-a-uuid', ['-w', 'not-a-uuid'], '--workspace-id takes a workspace id (a UUID); got "not-a-uuid".'],
      [
        '--start-from-workspace-id 42',
        ['--start-from-workspace-id', '42'],
        '--start-from-workspace-id takes a workspace id (a UUID); got "42".',
      ],
      [
        '--allow-hazards TYPE_CHANGE',
        ['--allow-hazards', 'TYPE_CHANGE'],
        'TYPE_CHANGE cannot be allowed: type changes go through the upgrade commands',
      ],
      ['--allow-hazards NAME_CONFLICT', ['--allow-hazards', 'NAME_CONFLICT'], 'NAME_CONFLICT cannot be allowed'],
      [
        '--allow-hazards DROP_EVERYTHING',
        ['--allow-hazards', 'DROP_EVERYTHING'],
        '"DROP_EVERYTHING" is not a hazard that can be allowed (DROPS_DATA, REWRITES_TABLE, BLOCKS_WRITES).',
      ],
      ['--workspace-count-limit 0', ['--workspace-count-limit', '0'], '--workspace-count-limit takes a whole number from 1 to'],
      ['--concurrency many', ['--concurrency', 'many'], '--concurrency takes a whole number from 1 to 64; got "many".'],
    ])('%s is a bad argument: exit 2', async (_case, args, message) => {
      const result = await runCli([SYNC, ...args], env, cwd);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe('');
    });

    describe('over a whole fleet', () => {
      let fleetDatabase: TestDatabase;
      let fleetEnv: Record<string, string>;

      beforeEach(async () => {
        fleetDatabase = await createTestDatabase();
        fleetEnv = { DATABASE_URL: fleetDatabase.url };
      });

      afterEach(() => fleetDatabase.drop());

      const createSorted = async (count: number, args: string[] = []): Promise<string[]> => {
        const ids: string[] = [];
        for (let index = 0; index < count; index += 1) ids.push((await createWorkspace(fleetEnv, cwd, args)).id);
        return ids.sort();
      };

      it('exits 0 only when every workspace succeeded, and ends with the summary line', async () => {
        const good = await createSorted(2);
        const allGood = await runCli([SYNC, '--check'], fleetEnv, cwd);
        expect(allGood.code).toBe(0);
        expect(reportedIds(allGood)).toEqual(good);
        expect(lastStdoutLine(allGood)).toBe('2 succeeded, 0 failed, 0 skipped');

        const [old] = await createSorted(1, ['--version', '0.22']);
        const oneBad = await runCli([SYNC, '--check', '--continue-on-error'], fleetEnv, cwd);
        expect(oneBad.code).toBe(1);
        expect(reportedIds(oneBad)).toEqual([...good, old].sort());
        expect(lastStdoutLine(oneBad)).toBe('2 succeeded, 1 failed, 0 skipped');
      });

      it('stops at the first failure and says so; --continue-on-error processes the rest', async () => {
        const broken = await createSorted(2, ['--version', '0.22']);

        const stopped = await runCli([SYNC], fleetEnv, cwd);
        expect(stopped.code).toBe(1);
        expect(reportedIds(stopped)).toEqual([broken[0]]);
        expect(stopped.stdout).not.toContain(broken[1]);
        expect(stdoutLines(stopped).slice(-2)).toEqual([
          'Stopped at the first failure, 1 workspace(s) not reached; pass --continue-on-error to go on past failures.',
          '0 succeeded, 1 failed, 0 skipped',
        ]);
        const stoppedJson = await runCli([SYNC, '--json'], fleetEnv, cwd);
        expect(JSON.parse(stoppedJson.stdout)).toMatchObject({
          stoppedEarly: true,
          notReached: 1,
          summary: { succeeded: 0, failed: 1, skipped: 0 },
        });

        const all = await runCli([SYNC, '--continue-on-error'], fleetEnv, cwd);
        expect(all.code).toBe(1);
        expect(reportedIds(all)).toEqual(broken);
        expect(all.stdout).not.toContain('Stopped at the first failure');
        expect(lastStdoutLine(all)).toBe('0 succeeded, 2 failed, 0 skipped');
      });

      it('walks workspaces in id order: --workspace-count-limit, --start-from-workspace-id, --concurrency', async () => {
        const ids = await createSorted(3);

        const limited = await runCli([SYNC, '--check', '--workspace-count-limit', '1'], fleetEnv, cwd);
        expect(limited.code).toBe(0);
        expect(reportedIds(limited)).toEqual([ids[0]]);
        expect(lastStdoutLine(limited)).toBe('1 succeeded, 0 failed, 0 skipped');

        const from = await runCli([SYNC, '--check', '--start-from-workspace-id', ids[1]], fleetEnv, cwd);
        expect(from.code).toBe(0);
        expect(reportedIds(from)).toEqual([ids[1], ids[2]]);
        expect(lastStdoutLine(from)).toBe('2 succeeded, 0 failed, 0 skipped');

        const both = await runCli([SYNC, '--check', '--start-from-workspace-id', ids[1], '--workspace-count-limit', '1'], fleetEnv, cwd);
        expect(reportedIds(both)).toEqual([ids[1]]);

        const concurrent = await runCli([SYNC, '--check', '--concurrency', '3'], fleetEnv, cwd);
        expect(concurrent.code).toBe(0);
        expect([...reportedIds(concurrent)].sort()).toEqual(ids);
        expect(lastStdoutLine(concurrent)).toBe('3 succeeded, 0 failed, 0 skipped');
      });
    });
  });
});
