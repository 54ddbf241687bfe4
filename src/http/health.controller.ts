import { ServerResponse } from 'node:http';

import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';

import { CheckResults } from '../observability/operations-server';
import { ServiceMetrics } from '../observability/service-metrics';
import { ServerDirectory } from '../server-directory';
import { ReadinessService } from '../workspace/readiness.service';
import { Allow } from './auth.guard';

/** The operators' endpoints, without a token: liveness, readiness and Prometheus metrics. */
@ApiExcludeController()
@Controller()
@Allow('public')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ReadinessService) private readonly readiness: ReadinessService,
    @Inject(ServiceMetrics) private readonly metrics: ServiceMetrics,
    @Inject(ServerDirectory) private readonly servers: ServerDirectory,
  ) {}

  /** The process answers: nothing else is checked, so a restart is never asked for a database outage. */
  @Get('healthz')
  async live(@Res() response: ServerResponse): Promise<void> {
    await this.answer(response, null, () => this.health.check([]));
  }

  /**
   * The database answers, its migrations are applied, and Redis answers when REDIS_URL is set. With
   * several database servers, `servers` says the same of each; the answer is 503 only for the main
   * server's checks, as the workspaces of the other servers are served while one does not answer.
   */
  @Get('readyz')
  async ready(@Res() response: ServerResponse): Promise<void> {
    const [checks, servers] = await Promise.all([this.readiness.check(), this.serverChecks()]);
    await this.answer(response, servers, () =>
      this.health.check(
        Object.entries(checks).map(([key, check]) => () => {
          const indicator = this.indicators.check(key);
          return check.status === 'up' ? indicator.up() : indicator.down({ message: check.message ?? 'down' });
        }),
      ),
    );
  }

  @Get('metrics')
  async scrape(@Res() response: ServerResponse): Promise<void> {
    // As prom-client names it (Express's send would add a charset Prometheus does not ask for).
    response.writeHead(200, { 'Content-Type': this.metrics.contentType }).end(await this.metrics.render());
  }

  /** Each server's database and migrations (up only when both are); null with one server. */
  private async serverChecks(): Promise<CheckResults | null> {
    if (!this.servers.several) return null;
    const { answers, unreachable } = await this.servers.everyServer((server) => server.get(ReadinessService).checkDatabase());
    const checks: CheckResults = {};
    for (const { server, value } of answers) {
      const down = Object.entries(value).filter(([, check]) => check.status === 'down');
      checks[server.name] =
        down.length === 0
          ? { status: 'up' }
          : { status: 'down', message: down.map(([key, check]) => `${key}: ${check.message}`).join('; ') };
    }
    for (const { server, address, error } of unreachable) checks[server] = { status: 'down', message: `${address}: ${error}` };
    return Object.fromEntries(this.servers.names().map((name) => [name, checks[name]]));
  }

  /** Terminus answers a failed check with a 503 exception: its body is the answer, with the servers' checks. */
  private async answer(response: ServerResponse, servers: CheckResults | null, check: () => Promise<unknown>): Promise<void> {
    const json = (status: number, body: unknown) =>
      response
        .writeHead(status, { 'Content-Type': 'application/json' })
        .end(JSON.stringify(servers ? { ...(body as Record<string, unknown>), servers } : body));
    try {
      json(200, await check());
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      json(503, error.getResponse());
    }
  }
}
