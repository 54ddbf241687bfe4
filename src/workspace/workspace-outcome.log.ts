import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'pino';

import { LOGGER } from '../observability/logger';
import { ServiceMetrics } from '../observability/service-metrics';
import { FleetStatus } from './workspace-fleet.runner';

/** What one workspace's work amounted to, as its handler measures it. */
export interface WorkspaceMeasures {
  /** The work's own status (applied, up-to-date, upgraded, planned...). */
  status: string;
  /** Plan actions applied or planned, and upgrade steps run. */
  actions: number;
  /** Rows the work moved or changed. */
  rowsMoved: number;
}

export interface WorkspaceOutcomeEntry {
  command: string;
  workspaceId: string;
  outcome: FleetStatus;
  message: string | null;
  durationMs: number;
  measures: WorkspaceMeasures | null;
  /** Done by a worker and reported to this producer. */
  queued?: boolean;
}

/**
 * Each workspace outcome of a walk, as one structured log line (workspace id, command, status,
 * actions, rows moved, duration) and in the metrics of the process that did the work.
 */
@Injectable()
export class WorkspaceOutcomeLog {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ServiceMetrics) private readonly metrics: ServiceMetrics,
  ) {}

  record(entry: WorkspaceOutcomeEntry): void {
    const { command, workspaceId, outcome, message, durationMs, measures, queued } = entry;
    if (!queued) {
      this.metrics.workspacesProcessed.inc({ command, outcome });
      this.metrics.workspaceDuration.observe({ command }, durationMs / 1000);
    }
    const fields = {
      workspaceId,
      command,
      status: measures?.status ?? outcome,
      outcome,
      actions: measures?.actions ?? null,
      rowsMoved: measures?.rowsMoved ?? null,
      durationMs: Math.round(durationMs),
      ...(message ? { message } : {}),
      ...(queued ? { queued } : {}),
    };
    const level = outcome === 'failed' ? 'error' : outcome === 'skipped' ? 'warn' : 'info';
    this.logger[level](fields, `workspace ${workspaceId} ${fields.status}`);
  }
}
