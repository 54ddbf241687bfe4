import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';

import { createHttpApp } from '../../src/http/http-app';
import { ServerDirectory } from '../../src/server-directory';
import { SESSION_COOKIE } from '../../src/http/console/console-session';
import { runCli, startCli } from '../utils/cli';
import { useTwoServers, versionsOf } from './servers.fixtures';

const ADMIN_KEY = 'servers-admin-key-0123456789abcdef0123456789';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

const query = async <T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
};

/**
 * The HTTP API, the console, a worker and database:reset over two database servers: the main one
 * and a second cluster behind a relay that the tests stop and start again.
 */
describe('the service across database servers', () => {
  const servers = useTwoServers({ migrated: false });
  let app: INestApplication | null = null;
  const http = () => request(app!.getHttpServer());
  /** A workspace on each server, with a key of it. */
  const eu2 = { id: '', key: '' };
  const main = { id: '', key: '' };

  beforeAll(async () => {
    const migrated = await runCli(['database:migrate'], servers.env);
    if (migrated.code !== 0) throw new Error(`database:migrate failed: ${migrated.stdout}${migrated.stderr}`);
    Object.assign(process.env, servers.env, { ADMIN_API_KEY: ADMIN_KEY });
    app = await createHttpApp({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates a workspace on the server named, else on the one with the fewest; an unknown name is a 400 naming the servers', async () => {
    const onEu2 = await http().post('/workspaces').set(bearer(ADMIN_KEY)).send({ displayName: 'http-eu2', server: 'eu2' });
    expect(onEu2.status).toBe(201);
    expect(onEu2.body.server).toBe('eu2');
    eu2.id = onEu2.body.workspace.id;
    // main holds none, eu2 one: main.
    const placed = await http().post('/workspaces').set(bearer(ADMIN_KEY)).send({ displayName: 'http-main', prefill: false });
    expect(placed.status).toBe(201);
    expect(placed.body.server).toBe('main');
    main.id = placed.body.workspace.id;

    const unknown = await http().post('/workspaces').set(bearer(ADMIN_KEY)).send({ displayName: 'nowhere', server: 'us9' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      field: 'server',
      message: 'server must name a database server (main, eu2); got "us9". Nothing was written.',
    });
    expect(await versionsOf(servers.main.url)).toEqual({ 'http-main': expect.any(String) });
    expect(await versionsOf(servers.secondUrl)).toEqual({ 'http-eu2': expect.any(String) });
  });

  it("reads and writes a second server's workspace with its own key and the admin token, the key kept on that server", async () => {
    const created = await http().post(`/workspaces/${eu2.id}/api-keys`).set(bearer(ADMIN_KEY)).send({ name: 'eu2 tests' });
    expect(created.status).toBe(201);
    eu2.key = created.body.key;
    const keyRows = `SELECT "name" FROM core."apiKey" WHERE "workspaceId" = $1`;
    expect(await query(servers.secondUrl, keyRows, [eu2.id])).toEqual([{ name: 'eu2 tests' }]);
    expect(await query(servers.main.url, keyRows, [eu2.id])).toEqual([]);
    main.key = (await http().post(`/workspaces/${main.id}/api-keys`).set(bearer(ADMIN_KEY)).send({ name: 'main tests' })).body.key;

    const byAdmin = await http().get(`/workspaces/${eu2.id}`).set(bearer(ADMIN_KEY));
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.objects.map((object: { nameSingular: string }) => object.nameSingular)).toContain('person');
    const keys = await http().get(`/workspaces/${eu2.id}/api-keys`).set(bearer(ADMIN_KEY));
    expect(keys.body.apiKeys.map((key: { name: string }) => key.name)).toEqual(['eu2 tests']);

    const object = await http()
      .post(`/workspaces/${eu2.id}/objects`)
      .set(bearer(eu2.key))
      .send({ nameSingular: 'ticket', namePlural: 'tickets', labelSingular: 'Ticket', labelPlural: 'Tickets' });
    expect(object.status).toBe(201);
    const field = await http()
      .post(`/workspaces/${eu2.id}/objects/ticket/fields`)
      .set(bearer(eu2.key))
      .send({ name: 'severity', label: 'Severity', type: 'NUMBER' });
    expect(field.status).toBe(201);
    const record = await http()
      .post(`/workspaces/${eu2.id}/objects/tickets/records`)
      .set(bearer(eu2.key))
      .send({ name: 'Printer on fire', severity: 5 });
    expect(record.status).toBe(201);
    const listed = await http().get(`/workspaces/${eu2.id}/objects/tickets/records`).set(bearer(eu2.key));
    expect(listed.status).toBe(200);
    expect(listed.body.records.map((row: { name: string; severity: number }) => [row.name, row.severity])).toEqual([
      ['Printer on fire', 5],
    ]);

    const [{ schemaName }] = await query<{ schemaName: string }>(
      servers.secondUrl,
      `SELECT "schemaName" FROM core.workspace WHERE id = $1`,
      [eu2.id],
    );
    expect(await query(servers.secondUrl, `SELECT "name", "severity" FROM "${schemaName}"."_ticket"`)).toEqual([
      { name: 'Printer on fire', severity: 5 },
    ]);
    expect(await query(servers.main.url, `SELECT 1 FROM metadata."objectMetadata" WHERE "nameSingular" = 'ticket'`)).toEqual([]);

    // A key of main's workspace on eu2's path: as any other workspace, a 404.
    const foreign = await http().get(`/workspaces/${eu2.id}/objects/tickets/records`).set(bearer(main.key));
    expect(foreign.status).toBe(404);
    const own = await http().get(`/workspaces/${main.id}`).set(bearer(main.key));
    expect(own.status).toBe(200);
  });

  it('lists the workspaces of every server in id order, each with its server, a page at a time', async () => {
    const all = await http().get('/workspaces').set(bearer(ADMIN_KEY));
    expect(all.status).toBe(200);
    expect(all.body.unreachable).toEqual([]);
    expect(all.body.workspaces.map((row: { displayName: string; server: string }) => [row.displayName, row.server]).sort()).toEqual([
      ['http-eu2', 'eu2'],
      ['http-main', 'main'],
    ]);
    const ids = all.body.workspaces.map((row: { id: string }) => row.id);
    expect(ids).toEqual([...ids].sort());
    const first = await http().get('/workspaces?limit=1').set(bearer(ADMIN_KEY));
    expect(first.body.workspaces.map((row: { id: string }) => row.id)).toEqual([ids[0]]);
    expect(first.body.next).toBe(ids[0]);
    const second = await http().get(`/workspaces?limit=1&after=${first.body.next}`).set(bearer(ADMIN_KEY));
    expect(second.body.workspaces.map((row: { id: string }) => row.id)).toEqual([ids[1]]);
    expect(second.body.next).toBeNull();
    expect((await http().get('/workspaces').set(bearer(main.key))).status).toBe(403);
  });

  it("shows both servers' workspaces on the console's fleet page, each with its server, and a workspace page of either", async () => {
    const cookie = `${SESSION_COOKIE}=${encodeURIComponent(ADMIN_KEY)}`;
    const fleet = await http().get('/console/fleet').set('Cookie', cookie);
    expect(fleet.status).toBe(200);
    expect(fleet.text).toMatch(/<span data-testid="fleet-total">2<\/span>/);
    for (const [id, server] of [
      [eu2.id, 'eu2'],
      [main.id, 'main'],
    ]) {
      expect(fleet.text).toMatch(new RegExp(`<tr data-workspace-id="${id}">[\\s\\S]*?<td data-server>${server}</td>`));
    }
    expect(fleet.text).not.toContain('servers-unreachable');
    const searched = await http().get('/console/fleet?search=http-eu').set('Cookie', cookie);
    expect(searched.text).toMatch(/<span data-testid="fleet-matches">1<\/span>/);
    const page = await http().get(`/console/workspaces/${eu2.id}`).set('Cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('http-eu2');
    expect(page.text).toContain('ticket');
  });

  it('says on /readyz how each server is', async () => {
    const ready = await http().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.servers).toEqual({ main: { status: 'up' }, eu2: { status: 'up' } });
  });

  it("answers 503 naming a server that does not answer for its workspaces, writing nothing, and serves main's", async () => {
    await servers.relay.down();
    try {
      const read = await http().get(`/workspaces/${eu2.id}/objects/tickets/records`).set(bearer(eu2.key));
      expect(read.status).toBe(503);
      expect(read.body.message).toMatch(
        /^database server eu2 \(127\.0\.0\.1:\d+\/\S+\) does not answer: .*ECONNREFUSED.*Nothing was written; try again once it answers\.$/,
      );
      const write = await http().post(`/workspaces/${eu2.id}/objects/tickets/records`).set(bearer(eu2.key)).send({ name: 'Lost' });
      expect(write.status).toBe(503);
      // Not looked up before: on none of the servers that answer.
      const unknown = randomUUID();
      const lookedUp = await http().get(`/workspaces/${unknown}`).set(bearer(ADMIN_KEY));
      expect(lookedUp.status).toBe(503);
      expect(lookedUp.body.message).toContain(`workspace ${unknown} is on none of the servers that answer; did not answer: eu2 (`);

      expect((await http().get(`/workspaces/${main.id}`).set(bearer(main.key))).status).toBe(200);
      const listed = await http().get('/workspaces').set(bearer(ADMIN_KEY));
      expect(listed.status).toBe(200);
      expect(listed.body.workspaces.map((row: { displayName: string }) => row.displayName)).toEqual(['http-main']);
      expect(listed.body.unreachable).toEqual([
        { server: 'eu2', address: expect.stringMatching(/^127\.0\.0\.1:/), error: expect.any(String) },
      ]);
      const placed = await http().post('/workspaces').set(bearer(ADMIN_KEY)).send({ displayName: 'while-down', prefill: false });
      expect(placed.status).toBe(201);
      expect(placed.body.server).toBe('main');
      const named = await http().post('/workspaces').set(bearer(ADMIN_KEY)).send({ displayName: 'on-silent-eu2', server: 'eu2' });
      expect(named.status).toBe(503);

      const fleet = await http()
        .get('/console/fleet')
        .set('Cookie', `${SESSION_COOKIE}=${encodeURIComponent(ADMIN_KEY)}`);
      expect(fleet.status).toBe(200);
      expect(fleet.text).toMatch(/data-testid="servers-unreachable"[\s\S]*<li data-server="eu2">/);
      expect(fleet.text).toMatch(/<span data-testid="fleet-total">2<\/span>/);
      const ready = await http().get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.servers.main).toEqual({ status: 'up' });
      expect(ready.body.servers.eu2.status).toBe('down');
    } finally {
      await servers.relay.up();
    }
    const back = await http().get(`/workspaces/${eu2.id}/objects/tickets/records`).set(bearer(eu2.key));
    expect(back.status).toBe(200);
    expect(back.body.records.map((row: { name: string }) => row.name)).toEqual(['Printer on fire']);
    expect(await versionsOf(servers.secondUrl)).toEqual({ 'http-eu2': expect.any(String) });
  });

  it('lists the others when a server stops answering without refusing connections, naming it', async () => {
    const directory = app!.get(ServerDirectory);
    const { answerTimeoutMs } = directory;
    directory.answerTimeoutMs = 500;
    servers.relay.silence();
    try {
      const list = await http().get('/workspaces').set(bearer(ADMIN_KEY));
      expect(list.status).toBe(200);
      const listed = list.body.workspaces as Array<{ id: string; server: string }>;
      expect([...new Set(listed.map((row) => row.server))]).toEqual(['main']);
      expect(listed.map((row) => row.id)).toContain(main.id);
      expect(list.body.unreachable).toEqual([expect.objectContaining({ server: 'eu2', error: 'did not answer within 500 ms' })]);
      const fleet = await http()
        .get('/console/fleet')
        .set('Cookie', `${SESSION_COOKIE}=${encodeURIComponent(ADMIN_KEY)}`);
      expect(fleet.status).toBe(200);
      expect(fleet.text).toContain('servers-unreachable');
      expect(fleet.text).toContain('did not answer within 500 ms');
      const ready = await http().get('/readyz');
      expect(ready.body.servers.eu2).toMatchObject({ status: 'down' });
    } finally {
      servers.relay.speak();
      directory.answerTimeoutMs = answerTimeoutMs;
    }
  });

  it("does a queued walk of both servers with one worker serving both servers' queues", async () => {
    const env = { ...servers.env, REDIS_URL };
    const wrong = await runCli(['worker', '--server', 'us9'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--server must name a database server (main, eu2); got "us9".');
    const worker = startCli(['worker', '--concurrency', '2'], { ...env, LOG_LEVEL: 'info' });
    try {
      await worker.printed('Worker ready');
      expect(worker.stdout() + worker.stderr()).toContain('the queues of main, eu2, concurrency 2 each');
      const queued = await runCli(['workspace:health', '--queue', '--json'], env);
      expect(queued.stderr).not.toMatch(/Error/);
      expect(queued.code).toBe(0);
      const report = JSON.parse(queued.stdout);
      expect(report.summary).toEqual({ succeeded: 3, failed: 0, skipped: 0 });
      expect(report.workspaces.map((entry: { server: string }) => entry.server).sort()).toEqual(['eu2', 'main', 'main']);
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  });

  it('finds a workspace that another process created on the second server at its first request', async () => {
    const created = await runCli(['workspace:create', '--name', 'cli-eu2', '--server', 'eu2', '--no-prefill', '--json'], servers.env);
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.stdout).workspace;
    const found = await http().get(`/workspaces/${id}`).set(bearer(ADMIN_KEY));
    expect(found.status).toBe(200);
    expect(found.body.workspace).toMatchObject({ id, displayName: 'cli-eu2' });
  });

  it('resets every server with database:reset, each named; one not answering is reported, the others reset (exit 1)', async () => {
    await app?.close();
    app = null;
    const unconfirmed = await runCli(['database:reset'], servers.env);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toBe('Error: database:reset deletes every workspace and all its data. Pass --yes to confirm.\n');
    expect(Object.keys(await versionsOf(servers.secondUrl)).sort()).toEqual(['cli-eu2', 'http-eu2']);

    const one = await runCli(['database:reset', '--yes', '--server', 'eu2'], servers.env);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^eu2: Dropped 4 schema\(s\): core, metadata, workspace_\w+, workspace_\w+\.$/m);
    expect(one.stdout).not.toMatch(/^main:/m);
    expect(await versionsOf(servers.secondUrl)).toEqual({});
    expect(Object.keys(await versionsOf(servers.main.url)).sort()).toEqual(['http-main', 'while-down']);

    await servers.relay.down();
    try {
      const partly = await runCli(['database:reset', '--yes'], servers.env);
      expect(partly.code).toBe(1);
      expect(partly.stdout).toMatch(/^main: Dropped 4 schema\(s\)/m);
      expect(partly.stdout).toMatch(/^main: Applied \d+ migration\(s\)/m);
      expect(partly.stdout).toMatch(
        /^eu2: ✖ Could not connect to the database: .*ECONNREFUSED.* Run the command again once it answers\.$/m,
      );
      expect(await versionsOf(servers.main.url)).toEqual({});
    } finally {
      await servers.relay.up();
    }
    const both = await runCli(['database:reset', '--yes'], servers.env);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(/^main: Dropped 2 schema\(s\): core, metadata\.$/m);
    expect(both.stdout).toMatch(/^eu2: Dropped 2 schema\(s\): core, metadata\.$/m);
  });
});
