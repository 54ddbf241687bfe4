import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { ServiceMetrics } from './service-metrics';

/** Each check by name, as /readyz reports it (the shape of @nestjs/terminus's answer). */
export type CheckResults = Record<string, { status: 'up' | 'down'; message?: string }>;

export const readinessBody = (checks: CheckResults): { ok: boolean; body: Record<string, unknown> } => {
  const ok = Object.values(checks).every((check) => check.status === 'up');
  const pick = (status: 'up' | 'down') => Object.fromEntries(Object.entries(checks).filter(([, check]) => check.status === status));
  return { ok, body: { status: ok ? 'ok' : 'error', info: pick('up'), error: pick('down'), details: checks } };
};

/**
 * The operations endpoints of a process that has no HTTP app of its own (a worker): /healthz
 * (alive), /readyz (its checks) and /metrics. Resolves once listening.
 */
export const serveOperations = async (
  port: number,
  metrics: ServiceMetrics,
  readiness: () => Promise<CheckResults>,
): Promise<{ server: Server; port: number }> => {
  const server = createServer((request, response) => {
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type }).end(body);
    };
    const path = (request.url ?? '/').split('?')[0];
    const answer = async (): Promise<void> => {
      if (request.method !== 'GET') return send(405, 'application/json', JSON.stringify({ message: 'only GET is answered here' }));
      if (path === '/healthz') return send(200, 'application/json', JSON.stringify({ status: 'ok', info: {}, error: {}, details: {} }));
      if (path === '/readyz') {
        const { ok, body } = readinessBody(await readiness());
        return send(ok ? 200 : 503, 'application/json', JSON.stringify(body));
      }
      if (path === '/metrics') return send(200, metrics.contentType, await metrics.render());
      return send(404, 'application/json', JSON.stringify({ message: `no ${path.slice(0, 80)} here: /healthz, /readyz and /metrics are` }));
    };
    answer().catch((error: Error) => send(500, 'application/json', JSON.stringify({ message: error.message })));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
};
