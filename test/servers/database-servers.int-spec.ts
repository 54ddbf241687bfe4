import { Client } from 'pg';

import { CURRENT_VERSION } from '../../src/standard-objects/version.constant';
import { runCli, startCli } from '../utils/cli';
import { useTwoServers, versionsOf } from './servers.fixtures';

describe('several database servers', () => {
  const servers = useTwoServers({ migrated: false });
  let main: { url: string };
  let secondName: string;
  let secondUrl: string;
  let relay: (typeof servers)['relay'];
  let env: Record<string, string>;

  beforeAll(() => {
    ({ main, secondName, secondUrl, relay, env } = servers);
  });

  it('migrates every server with database:migrate', async () => {
    const result = await runCli(['database:migrate'], env);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^main: Applied \d+ migration\(s\)/m);
    expect(result.stdout).toMatch(/^eu2: Applied \d+ migration\(s\)/m);
    const again = await runCli(['database:migrate'], env);
    expect(again.stdout).toMatch(/^eu2: No pending migrations/m);
  });

  it('places a workspace on the server named, else on the one with the fewest; refuses an unknown name writing nothing', async () => {
    const named = await runCli(['workspace:create', '--name', 'placed-eu2', '--server', 'eu2', '--no-prefill', '--json'], env);
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout).server).toBe('eu2');
    // main has none, eu2 one: main; then one each, a tie: main, first in the directory.
    for (const name of ['policy-1', 'policy-2']) {
      const placed = await runCli(['workspace:create', '--name', name, '--no-prefill', '--json'], env);
      expect(placed.code).toBe(0);
      expect(JSON.parse(placed.stdout).server).toBe('main');
    }
    const unknown = await runCli(['workspace:create', '--name', 'nowhere', '--server', 'us9', '--no-prefill'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--server must name a database server (main, eu2); got "us9". Nothing was written.');
    expect(await versionsOf(main.url)).toEqual({ 'policy-1': CURRENT_VERSION, 'policy-2': CURRENT_VERSION });
    expect(await versionsOf(secondUrl)).toEqual({ 'placed-eu2': CURRENT_VERSION });

    const list = await runCli(['workspace:list', '--json'], env);
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout).workspaces.map((row: { displayName: string; server: string }) => [row.displayName, row.server]);
    expect(listed.sort()).toEqual([
      ['placed-eu2', 'eu2'],
      ['policy-1', 'main'],
      ['policy-2', 'main'],
    ]);
  });

  it('upgrades and syncs the workspaces of both servers in one command, and finds one by id wherever it is', async () => {
    for (const [name, server] of [
      ['old-main', 'main'],
      ['old-eu2', 'eu2'],
    ]) {
      const created = await runCli(['workspace:create', '--name', name, '--server', server, '--version', '0.22', '--no-prefill'], env);
      expect(created.code).toBe(0);
    }
    const upgrade = await runCli(['upgrade', '--concurrency', '2'], env);
    expect(upgrade.stderr).not.toMatch(/Error/);
    expect(upgrade.code).toBe(0);
    expect(upgrade.stdout).toMatch(/^5 succeeded, 0 failed, 0 skipped$/m);
    expect(await versionsOf(main.url)).toMatchObject({ 'old-main': CURRENT_VERSION });
    expect(await versionsOf(secondUrl)).toMatchObject({ 'old-eu2': CURRENT_VERSION });

    const sync = await runCli(['workspace:sync-metadata', '--check', '--json'], env);
    expect(sync.code).toBe(0);
    const report = JSON.parse(sync.stdout);
    expect(report.summary).toEqual({ succeeded: 5, failed: 0, skipped: 0 });
    const servers = report.workspaces.map((entry: { server: string }) => entry.server).sort();
    expect(servers).toEqual(['eu2', 'eu2', 'main', 'main', 'main']);

    const onSecond = await new Client({ connectionString: secondUrl });
    await onSecond.connect();
    const {
      rows: [{ id }],
    } = await onSecond.query<{ id: string }>(`SELECT id FROM core.workspace WHERE "displayName" = 'old-eu2'`);
    await onSecond.end();
    const missing = '00000000-0000-4000-8000-000000000000';
    const byId = await runCli(['workspace:health', '-w', id, '-w', missing], env);
    expect(byId.code).toBe(1);
    expect(byId.stdout).toContain(`✔ ${id}`);
    expect(byId.stdout).toContain(`workspace ${missing} does not exist on any server (main, eu2)`);
    expect(byId.stdout).toMatch(/^1 succeeded, 1 failed, 0 skipped$/m);
  });

  it('fails only the workspaces of a server that does not answer, and a rerun once it is back completes them', async () => {
    for (const [name, server] of [
      ['late-main', 'main'],
      ['late-eu2', 'eu2'],
    ]) {
      expect((await runCli(['workspace:create', '--name', name, '--server', server, '--version', '0.22', '--no-prefill'], env)).code).toBe(
        0,
      );
    }
    await relay.down();
    try {
      const down = await runCli(['upgrade'], env);
      expect(down.code).toBe(1);
      expect(down.stdout).toMatch(
        new RegExp(
          `^✖ server eu2 \\(127\\.0\\.0\\.1:${relay.port}/${secondName}\\): Could not connect to the database: connect ECONNREFUSED .*Check its entry in DATABASE_SERVERS and that the server is running\\. Its workspaces were not walked; run the command again once it answers\\.$`,
          'm',
        ),
      );
      expect(down.stdout).toMatch(/^4 succeeded, 1 failed, 0 skipped$/m);
      expect(await versionsOf(main.url)).toMatchObject({ 'late-main': CURRENT_VERSION });
      expect(await versionsOf(secondUrl)).toMatchObject({ 'late-eu2': '0.22' });

      const list = await runCli(['workspace:list'], env);
      expect(list.code).toBe(1);
      expect(list.stdout).toMatch(/^4 workspace\(s\); 1 server\(s\) did not answer$/m);
    } finally {
      await relay.up();
    }
    const rerun = await runCli(['upgrade'], env);
    expect(rerun.stderr).not.toMatch(/Error/);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/^7 succeeded, 0 failed, 0 skipped$/m);
    expect(await versionsOf(secondUrl)).toMatchObject({ 'late-eu2': CURRENT_VERSION });
  });

  it('fails the workspaces of a server lost mid-walk, each with its server named, and not the others', async () => {
    for (const name of ['mid-eu2-a', 'mid-eu2-b']) {
      expect((await runCli(['workspace:create', '--name', name, '--server', 'eu2', '--version', '0.22', '--no-prefill'], env)).code).toBe(
        0,
      );
    }
    expect(
      (await runCli(['workspace:create', '--name', 'mid-main', '--server', 'main', '--version', '0.22', '--no-prefill'], env)).code,
    ).toBe(0);
    // Upgrade main's first, then pause the process at the first statement an upgrade of eu2's applies.
    expect((await runCli(['upgrade'], { ...env, DATABASE_SERVERS: '' })).code).toBe(0);
    const run = startCli(['upgrade', '--continue-on-error'], { ...env, WMS_FAULT_PAUSE_AT_STATEMENT: '1' });
    await run.printed('wms-fault: paused at statement 1');
    await relay.down();
    try {
      run.child.stdin!.write('\n');
      const { code } = await run.exited;
      expect(code).toBe(1);
      const failures = run
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('✖'));
      expect(failures).toHaveLength(2);
      for (const line of failures) expect(line).toMatch(/\(server eu2\)$/);
      expect(run.stdout()).toMatch(/^8 succeeded, 2 failed, 0 skipped$/m);
      expect(await versionsOf(secondUrl)).toMatchObject({ 'mid-eu2-a': '0.22', 'mid-eu2-b': '0.22' });
    } finally {
      await relay.up();
    }
    const rerun = await runCli(['upgrade'], env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/^10 succeeded, 0 failed, 0 skipped$/m);
    expect(await versionsOf(secondUrl)).toMatchObject({ 'mid-eu2-a': CURRENT_VERSION, 'mid-eu2-b': CURRENT_VERSION });
  });

  it("shows the progress of another server's long steps in the command's progress", async () => {
    const created = await runCli(['workspace:create', '--name', 'progress-eu2', '--server', 'eu2', '--version', '0.22', '--json'], env);
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.stdout).workspace;
    const upgrade = await runCli(['upgrade', '-w', id], { ...env, LOG_LEVEL: 'info', PROGRESS_INTERVAL_MS: '0' });
    expect(upgrade.code).toBe(0);
    expect(upgrade.stderr).toMatch(new RegExp(`migrate-email-fields-to-emails \\(.*\\) of workspace ${id}: \\d+/\\d+ rows, .*done`));
  });

  it('runs the commands that name one workspace on the server that holds it', async () => {
    const seeded = await runCli(['workspace:seed:demo', '--name', 'demo-eu2', '--server', 'eu2', '--records', '20', '--json'], env);
    expect(seeded.code).toBe(0);
    const { id } = JSON.parse(seeded.stdout).workspace;
    const update = await runCli(['workspace:update', '-w', id, '--default-country', 'FR'], env);
    expect(update.code).toBe(0);
    const created = await runCli(['object:create', '-w', id, '--name-singular', 'ticket', '--name-plural', 'tickets'], env);
    expect(created.code).toBe(0);
    const exported = await runCli(['records:export', '-w', id, '--object', 'company'], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout.trim().split('\n').length).toBeGreaterThan(1);

    const client = new Client({ connectionString: secondUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT w."defaultCountry", o."nameSingular" FROM core.workspace w
           LEFT JOIN metadata."objectMetadata" o ON o."workspaceId" = w.id AND o."nameSingular" = 'ticket'
          WHERE w.id = $1`,
        [id],
      );
      expect(rows).toEqual([{ defaultCountry: 'FR', nameSingular: 'ticket' }]);
    } finally {
      await client.end();
    }
    const missing = await runCli(['workspace:update', '-w', '00000000-0000-4000-8000-000000000000', '--default-country', 'FR'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('workspace 00000000-0000-4000-8000-000000000000 does not exist; nothing was written');
  });

  it("routes queued jobs to each server's queue, done by that server's workers", async () => {
    const redis = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const eu2Url = env.DATABASE_SERVERS.slice('eu2='.length);
    const workers = [
      startCli(['worker', '--concurrency', '2'], { DATABASE_URL: main.url, REDIS_URL: redis }),
      startCli(['worker', '--concurrency', '2'], { DATABASE_URL: eu2Url, REDIS_URL: redis }),
    ];
    try {
      const queued = await runCli(['workspace:health', '--queue', '--json'], { ...env, REDIS_URL: redis });
      expect(queued.stderr).not.toMatch(/Error/);
      expect(queued.code).toBe(0);
      const report = JSON.parse(queued.stdout);
      const byServer = (name: string) => report.workspaces.filter((entry: { server: string }) => entry.server === name).length;
      expect(byServer('main')).toBe(Object.keys(await versionsOf(main.url)).length);
      expect(byServer('eu2')).toBe(Object.keys(await versionsOf(secondUrl)).length);
      expect(report.summary.failed).toBe(0);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((worker) => worker.exited));
    }
  });

  it('refuses DATABASE_SERVERS without DATABASE_URL before touching any database', async () => {
    const result = await runCli(['workspace:list'], { DATABASE_URL: '', DATABASE_SERVERS: `eu2=${secondUrl}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_SERVERS needs DATABASE_URL (the main server)');
  });
});
