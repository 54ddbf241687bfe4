import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

import { PROJECT_ROOT } from '../utils/cli';
import { createTestDatabase, TestDatabase } from '../utils/test-database';

const SERVER_ENTRY = resolve(PROJECT_ROOT, 'dist', 'src', 'server.js');
const ADMIN = 'server-test-admin-key-0123456789abcdef01234';

const freePort = async (): Promise<number> => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
};

/** Starts the built server (`npm start` runs this file); resolves once it listens, or with its exit. */
const startServer = (
  env: Record<string, string>,
): Promise<{ child: ChildProcess; stderr: () => string; listening: boolean; code: number | null }> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes('Listening on')) resolvePromise({ child, stderr: () => stderr, listening: true, code: null });
    });
    child.stdout.resume();
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise({ child, stderr: () => stderr, listening: false, code }));
  });

/** The HTTP bootstrap as a user runs it: a real server on PORT, with its OpenAPI document. */
describe('npm start', () => {
  let database: TestDatabase;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    await database.drop();
  });

  it('serves on PORT: the OpenAPI document at /docs, 401 without a token, workspaces for the admin', async () => {
    const port = await freePort();
    const started = await startServer({ DATABASE_URL: database.url, PORT: String(port), ADMIN_API_KEY: ADMIN });
    server = started.child;
    expect({ listening: started.listening, stderr: started.stderr() }).toEqual({
      listening: true,
      stderr: expect.stringContaining(`Listening on http://localhost:${port}`),
    });

    const docs = await fetch(`http://127.0.0.1:${port}/docs-json`);
    expect(docs.status).toBe(200);
    const document = (await docs.json()) as { paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/workspaces',
        '/workspaces/{workspaceId}/api-keys',
        '/workspaces/{workspaceId}/objects',
        '/workspaces/{workspaceId}/objects/{objectName}/fields/{fieldName}',
        '/workspaces/{workspaceId}/objects/{objectName}/records',
        '/workspaces/{workspaceId}/objects/{objectName}/records/export',
        '/workspaces/{workspaceId}/objects/{objectName}/records/import',
      ]),
    );
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect((await fetch(`http://127.0.0.1:${port}/docs`)).status).toBe(200);

    const refused = await fetch(`http://127.0.0.1:${port}/workspaces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"displayName":"X"}',
    });
    expect(refused.status).toBe(401);
    const created = await fetch(`http://127.0.0.1:${port}/workspaces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ displayName: 'Served', prefill: false }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { workspace: { displayName: string } }).workspace.displayName).toBe('Served');

    server.kill('SIGTERM');
    const [code] = await once(server, 'exit');
    expect(code === 0 || code === null).toBe(true);
  });

  it('refuses to start while core migrations are pending, saying what to run', async () => {
    const empty = await createTestDatabase({ migrated: false });
    try {
      const started = await startServer({ DATABASE_URL: empty.url, PORT: String(await freePort()), ADMIN_API_KEY: ADMIN });
      expect({ listening: started.listening, code: started.code }).toEqual({ listening: false, code: 1 });
      expect(started.stderr()).toMatch(/migration\(s\) pending.*database:migrate/);
    } finally {
      await empty.drop();
    }
  });

  it('refuses an ADMIN_API_KEY too short to be a secret', async () => {
    const started = await startServer({ DATABASE_URL: database.url, PORT: String(await freePort()), ADMIN_API_KEY: 'short' });
    expect({ listening: started.listening, code: started.code }).toEqual({ listening: false, code: 1 });
    expect(started.stderr()).toMatch(/ADMIN_API_KEY must be at least 32 characters/);
  });
});
