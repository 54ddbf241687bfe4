import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Prefix of every series of the service. */
const PREFIX = 'wms_';

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * The Prometheus series of one process (`/metrics` of the HTTP service and of a worker): HTTP
 * requests, workspaces processed, upgrade steps and their rows, queue jobs, and whatever another
 * exporter adds (BullMQ's queue counts).
 */
@Injectable()
export class ServiceMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: `${PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'Time to answer an HTTP request, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly workspacesProcessed = new Counter({
    name: `${PREFIX}workspaces_processed_total`,
    help: 'Workspaces processed, by command and outcome (succeeded, failed, skipped)',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly workspaceDuration = new Histogram({
    name: `${PREFIX}workspace_duration_seconds`,
    help: 'Time one workspace took, by command',
    labelNames: ['command'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly stepDuration = new Histogram({
    name: `${PREFIX}upgrade_step_duration_seconds`,
    help: 'Time an upgrade step took on one workspace, by version, step and status',
    labelNames: ['version', 'step', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly rowsMoved = new Counter({
    name: `${PREFIX}upgrade_rows_moved_total`,
    help: 'Rows an upgrade step moved or changed, by version and step',
    labelNames: ['version', 'step'] as const,
    registers: [this.registry],
  });

  readonly queueJobs = new Counter({
    name: `${PREFIX}queue_jobs_total`,
    help: 'Queued jobs a worker ran, by command and outcome (completed: the workspace has its result; error: the job threw and is retried or failed)',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly sources = new Set<() => Promise<string>>();
  private processMetrics = false;

  /** Adds the process's own series (CPU, memory, event loop): for the long-running processes. */
  collectProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  /** Text in Prometheus's format appended to the registry's; returns the function that removes it. */
  addSource(source: () => Promise<string>): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    const parts = await Promise.all([this.registry.metrics(), ...[...this.sources].map((source) => source())]);
    return parts.map((part) => part.trimEnd()).join('\n') + '\n';
  }
}
