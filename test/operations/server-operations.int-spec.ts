import { startServer } from '../reliability/support/http-server';
import { TcpProxy } from '../reliability/support/tcp-proxy';
import { createTestDatabase, TestDatabase } from '../utils/test-database';
import { logLinesOf, parseMetrics, plainLinesOf, samplesOf, valueOf } from './operations.spec-support';

const ADMIN = 'operations-test-admin-key-0123456789abcdef0123';

/** The HTTP service as operators run it: its probes, its metrics and its logs. */
describe('the HTTP service for operators', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = new URL(database.url);
    proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
  });

  afterAll(async () => {
    await proxy?.close();
    await database?.drop();
  });

  it('/healthz and /readyz answer without a token; /readyz fails while the database is unreachable and recovers, /healthz stays up', async () => {
    const server = await startServer({ DATABASE_URL: proxy.urlFor(database.url), ADMIN_API_KEY: ADMIN });
    try {
      expect(await server.listening).toBe(true);
      const get = async (path: string) => {
        const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok', info: {}, error: {}, details: {} } });
      expect(await get('/readyz')).toEqual({
        status: 200,
        body: expect.objectContaining({ status: 'ok', details: { database: { status: 'up' }, migrations: { status: 'up' } } }),
      });

      proxy.down();
      const down = await get('/readyz');
      expect(down).toEqual({
        status: 503,
        body: expect.objectContaining({
          status: 'error',
          error: {
            database: { status: 'down', message: expect.any(String) },
            migrations: { status: 'down', message: 'unknown while the database does not answer' },
          },
        }),
      });
      expect(await get('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });

      proxy.restore();
      expect(await get('/readyz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await server.stop();
    }
  });

  it('/readyz checks Redis too when REDIS_URL is set', async () => {
    const server = await startServer({ DATABASE_URL: database.url, ADMIN_API_KEY: ADMIN, REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      expect(await server.listening).toBe(true);
      const response = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        info: { database: { status: 'up' }, migrations: { status: 'up' } },
        error: { redis: { status: 'down', message: expect.stringContaining('Could not connect to Redis at 127.0.0.1:1') } },
      });
    } finally {
      await server.stop();
    }
  });

  it('/metrics counts requests by route and status with latency histograms; logs are JSON lines, one per request, without the token', async () => {
    const server = await startServer({ DATABASE_URL: database.url, ADMIN_API_KEY: ADMIN });
    let ended;
    try {
      expect(await server.listening).toBe(true);
      const base = `http://127.0.0.1:${server.port}`;
      const admin = { Authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
      const created = await fetch(`${base}/workspaces`, { method: 'POST', headers: admin, body: JSON.stringify({ displayName: 'Ops' }) });
      expect(created.status).toBe(201);
      const { workspace } = (await created.json()) as { workspace: { id: string } };
      expect((await fetch(`${base}/workspaces/${workspace.id}`, { headers: admin })).status).toBe(200);
      expect((await fetch(`${base}/workspaces/${workspace.id}`)).status).toBe(401);

      const scrape = await fetch(`${base}/metrics`);
      expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const samples = parseMetrics(await scrape.text());
      expect(valueOf(samples, 'wms_http_requests_total', { method: 'POST', route: '/workspaces', status: '201' })).toBe(1);
      expect(valueOf(samples, 'wms_http_requests_total', { method: 'GET', route: '/workspaces/:workspaceId', status: '200' })).toBe(1);
      expect(valueOf(samples, 'wms_http_requests_total', { method: 'GET', route: '/workspaces/:workspaceId', status: '401' })).toBe(1);
      const labels = { method: 'POST', route: '/workspaces', status: '201' };
      expect(valueOf(samples, 'wms_http_request_duration_seconds_count', labels)).toBe(1);
      expect(valueOf(samples, 'wms_http_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(1);
      expect(valueOf(samples, 'wms_http_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
      // The process's own series come along.
      expect(samplesOf(samples, 'wms_process_resident_memory_bytes')).toHaveLength(1);
    } finally {
      ended = await server.stop();
    }
    expect(plainLinesOf(ended.stderr)).toEqual([]);
    const lines = logLinesOf(ended.stderr);
    for (const line of lines)
      expect(line).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) }));
    expect(lines.find((line) => line.msg.startsWith('Listening on'))).toMatchObject({ level: 'info', port: server.port });
    const requests = lines.filter((line) => line.msg === 'request completed');
    expect(
      requests.map((line) => [
        (line.req as { method: string }).method,
        (line.req as { url: string }).url,
        (line.res as { statusCode: number }).statusCode,
      ]),
    ).toEqual([
      ['POST', '/workspaces', 201],
      ['GET', expect.stringMatching(/^\/workspaces\/[0-9a-f-]{36}$/), 200],
      ['GET', expect.stringMatching(/^\/workspaces\/[0-9a-f-]{36}$/), 401],
    ]);
    expect(ended.stderr).not.toContain(ADMIN);
  });

  it('LOG_LEVEL=error: nothing on stderr for a start, requests and a stop that went well', async () => {
    const server = await startServer({ DATABASE_URL: database.url, ADMIN_API_KEY: ADMIN, LOG_LEVEL: 'error' });
    // No line says it listens at this level: ask it.
    let answered = false;
    for (let attempt = 0; attempt < 200 && !answered; attempt += 1) {
      answered = await fetch(`http://127.0.0.1:${server.port}/healthz`).then(
        (response) => response.ok,
        () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100)),
      );
    }
    expect(answered).toBe(true);
    expect((await fetch(`http://127.0.0.1:${server.port}/workspaces`, { method: 'POST' })).status).toBe(401);
    const ended = await server.stop();
    expect(ended.stderr).toBe('');
    expect(ended.stdout).toBe('');
  });
});
