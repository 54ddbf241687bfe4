import { ServerResponse } from 'node:http';

import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';

import { ServiceMetrics } from '../observability/service-metrics';
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
  ) {}

  /** The process answers: nothing else is checked, so a restart is never asked for a database outage. */
  @Get('healthz')
  async live(@Res() response: ServerResponse): Promise<void> {
    await this.answer(response, () => this.health.check([]));
  }

  /** The database answers, its migrations are applied, and Redis answers when REDIS_URL is set. */
  @Get('readyz')
  async ready(@Res() response: ServerResponse): Promise<void> {
    const checks = await this.readiness.check();
    await this.answer(response, () =>
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

  /** Terminus answers a failed check with a 503 exception: its body is the answer, as it is. */
  private async answer(response: ServerResponse, check: () => Promise<unknown>): Promise<void> {
    const json = (status: number, body: unknown) =>
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    try {
      json(200, await check());
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      json(503, error.getResponse());
    }
  }
}
