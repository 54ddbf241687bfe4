import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { FleetStatus } from './workspace-fleet.runner';

export type WalkRunStatus = 'RUNNING' | 'DONE' | 'FAILED' | 'INTERRUPTED';

/** A workspace's outcome of one command, as core."workspaceOutcome" keeps the last one. */
export interface WorkspaceOutcomeRow {
  workspaceId: string;
  command: string;
  outcome: FleetStatus;
  /** The work's own status (applied, up-to-date, upgraded, planned, failed...). */
  status: string;
  message: string | null;
  finishedAt: Date;
}

/** A run's progress as its process last wrote it. */
export interface WalkRunProgress {
  total: number | null;
  succeeded: number;
  failed: number;
  skipped: number;
  status: WalkRunStatus;
  error: string | null;
}

/** Text longer than this is cut: an outcome's message is for a person to read, not a log. */
const MAX_MESSAGE_LENGTH = 2_000;

/**
 * Outcomes written by one statement at most: a write after a fast stretch (a no-op walk settles
 * thousands of workspaces a second) is split, so that the server process parsing the outcomes
 * needs a few MB, not tens (its memory would stay at its peak for the rest of the session).
 */
export const OUTCOMES_PER_STATEMENT = 500;

/** All SQL that records walks: core."walkRun" and core."workspaceOutcome". */
@Injectable()
export class WalkRunRepository {
  constructor(@Inject(EntityManager) private readonly manager: EntityManager) {}

  async insert(run: { command: string; queued: boolean; dryRun: boolean; host: string; pid: number }): Promise<string> {
    const [{ id }] = await this.manager.query(
      `INSERT INTO core."walkRun" ("command", "queued", "dryRun", "host", "pid") VALUES ($1, $2, $3, $4, $5) RETURNING "id"`,
      [run.command, run.queued, run.dryRun, run.host, run.pid],
    );
    return id;
  }

  /**
   * The run's progress, and the outcomes finished since the last write (the last of each
   * workspace and command kept; workspaces that do not exist left out): one statement per
   * OUTCOMES_PER_STATEMENT outcomes, each with the progress. Without outcomes,
   * core.workspace is not read: a run's heartbeat never waits on a lock of the fleet's table.
   */
  async write(runId: string, progress: WalkRunProgress, outcomes: WorkspaceOutcomeRow[]): Promise<void> {
    const update = `UPDATE core."walkRun"
            SET "total" = $2, "succeeded" = $3, "failed" = $4, "skipped" = $5, "status" = $6, "error" = $7, "updatedAt" = now(),
                "finishedAt" = CASE WHEN $6 = 'RUNNING' THEN NULL ELSE now() END
          WHERE "id" = $1`;
    const params = [
      runId,
      progress.total,
      progress.succeeded,
      progress.failed,
      progress.skipped,
      progress.status,
      progress.error?.slice(0, MAX_MESSAGE_LENGTH) ?? null,
    ];
    if (outcomes.length === 0) {
      await this.manager.query(update, params);
      return;
    }
    for (let start = 0; start < outcomes.length; start += OUTCOMES_PER_STATEMENT) {
      await this.writeOutcomes(update, params, outcomes.slice(start, start + OUTCOMES_PER_STATEMENT));
    }
  }

  private async writeOutcomes(update: string, params: unknown[], outcomes: WorkspaceOutcomeRow[]): Promise<void> {
    const rows = outcomes.map((row) => ({ ...row, message: row.message?.slice(0, MAX_MESSAGE_LENGTH) ?? null }));
    await this.manager.query(
      `WITH progress AS (${update})
       INSERT INTO core."workspaceOutcome" AS o ("workspaceId", "command", "outcome", "status", "message", "runId", "finishedAt")
       SELECT r."workspaceId", r."command", r."outcome", r."status", r."message", $1, r."finishedAt"
         FROM jsonb_to_recordset($8::jsonb) AS r("workspaceId" uuid, "command" text, "outcome" text, "status" text, "message" text, "finishedAt" timestamptz)
        WHERE EXISTS (SELECT 1 FROM core.workspace w WHERE w."id" = r."workspaceId")
       ON CONFLICT ("workspaceId", "command") DO UPDATE
          SET "outcome" = excluded."outcome", "status" = excluded."status", "message" = excluded."message",
              "runId" = excluded."runId", "finishedAt" = excluded."finishedAt"`,
      [...params, JSON.stringify(rows)],
    );
  }
}
