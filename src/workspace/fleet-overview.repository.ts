import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { WalkRunStatus } from './walk-run.repository';

export interface CountRow {
  key: string | null;
  count: number;
}

/** A workspace as the fleet's lists show it. */
export interface FleetWorkspaceRow {
  id: string;
  displayName: string;
  version: string | null;
  activationStatus: string;
  /** The last sync or upgrade: its command, status and end; null when none was recorded. */
  lastSyncCommand: string | null;
  lastSyncStatus: string | null;
  lastSyncOutcome: string | null;
  lastSyncMessage: string | null;
  lastSyncAt: Date | null;
  /** The last health report: succeeded (no drift) or failed (drift), its message and end. */
  healthOutcome: string | null;
  healthMessage: string | null;
  healthAt: Date | null;
  /** The database server that holds it, when the fleet spans several. */
  server?: string;
}

/** A workspace that needs a look: its last failure or drift, or the lock another runner holds. */
export interface AttentionRow {
  id: string;
  displayName: string;
  version: string | null;
  command: string | null;
  message: string | null;
  at: Date | null;
  /** The database server that holds it, when the fleet spans several. */
  server?: string;
}

export interface WalkRunRow {
  id: string;
  command: string;
  queued: boolean;
  dryRun: boolean;
  status: WalkRunStatus;
  total: number | null;
  succeeded: number;
  failed: number;
  skipped: number;
  host: string;
  pid: number;
  error: string | null;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  /** The database's clock when read: ages are measured against it, not the reader's. */
  now: Date;
  /** The database server the run walked (and recorded on), when the fleet spans several. */
  server?: string;
}

const HEALTH_COMMAND = 'workspace:health';

/** The commands whose outcome is a workspace's last sync: a sync, or an upgrade (which syncs). */
const SYNC_COMMANDS = `(o."command" = 'workspace:sync-metadata' OR o."command" = 'upgrade' OR o."command" ~ '^upgrade-[0-9.]+$')`;

/** The workspaces whose advisory lock (WorkspaceRepository's) some session of this database holds now. */
const LOCKED_WORKSPACES = `
  SELECT w."id" FROM core.workspace w
    JOIN pg_locks l ON l."locktype" = 'advisory' AND l."objsubid" = 2 AND l."granted"
     AND l."database" = (SELECT "oid" FROM pg_database WHERE "datname" = current_database())
     AND l."classid"::bigint = (hashtext('workspace')::bigint & 4294967295)
     AND l."objid"::bigint = (hashtext(w."id"::text)::bigint & 4294967295)`;

/** All SQL the fleet page reads: counts, lists a page at a time, runs. */
@Injectable()
export class FleetOverviewRepository {
  constructor(@Inject(EntityManager) private readonly manager: EntityManager) {}

  async countByVersion(): Promise<CountRow[]> {
    return this.manager.query(`SELECT "version" AS "key", count(*)::int AS "count" FROM core.workspace GROUP BY 1 ORDER BY 1 NULLS FIRST`);
  }

  async countByActivation(): Promise<CountRow[]> {
    return this.manager.query(`SELECT "activationStatus" AS "key", count(*)::int AS "count" FROM core.workspace GROUP BY 1 ORDER BY 1`);
  }

  /** Workspaces by their last sync's outcome (succeeded, failed, skipped; null: never synced). */
  async countBySyncOutcome(): Promise<CountRow[]> {
    return this.manager.query(`
      SELECT s."outcome" AS "key", count(*)::int AS "count"
        FROM core.workspace w
        LEFT JOIN (
          SELECT DISTINCT ON (o."workspaceId") o."workspaceId", o."outcome" FROM core."workspaceOutcome" o
           WHERE ${SYNC_COMMANDS} ORDER BY o."workspaceId", o."finishedAt" DESC
        ) s ON s."workspaceId" = w."id"
       GROUP BY 1 ORDER BY 1 NULLS FIRST`);
  }

  /** Workspaces whose last outcome, of any command but the health report, is a failure; latest first. */
  async failed(limit: number): Promise<{ rows: AttentionRow[]; total: number }> {
    return this.attention(
      `SELECT DISTINCT ON (o."workspaceId") o.* FROM core."workspaceOutcome" o
        WHERE o."command" <> '${HEALTH_COMMAND}' ORDER BY o."workspaceId", o."finishedAt" DESC`,
      limit,
    );
  }

  /** Workspaces whose last health report found drift, latest first. */
  async drifted(limit: number): Promise<{ rows: AttentionRow[]; total: number }> {
    return this.attention(`SELECT o.* FROM core."workspaceOutcome" o WHERE o."command" = '${HEALTH_COMMAND}'`, limit);
  }

  async locked(limit: number): Promise<{ rows: AttentionRow[]; total: number }> {
    const rows: Array<AttentionRow & { total: number }> = await this.manager.query(
      `WITH locked AS (${LOCKED_WORKSPACES})
       SELECT w."id", w."displayName", w."version", NULL AS "command", NULL AS "message", NULL::timestamptz AS "at",
              (SELECT count(DISTINCT "id")::int FROM locked) AS "total"
         FROM core.workspace w WHERE w."id" IN (SELECT "id" FROM locked)
        ORDER BY w."displayName", w."id" LIMIT $1`,
      [limit],
    );
    return { rows: rows.map(({ total: _total, ...row }) => row), total: rows[0]?.total ?? 0 };
  }

  /**
   * One page of the fleet by name, then id: the workspaces whose name holds `search` (any case)
   * or whose id begins with it, with the count of all that match.
   */
  async page(search: string, offset: number, limit: number): Promise<{ rows: FleetWorkspaceRow[]; total: number }> {
    const pattern = `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    const idPrefix = `${search.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    const match = `($1 = '' OR w."displayName" ILIKE $2 OR w."id"::text LIKE $3)`;
    const [{ total }] = await this.manager.query(`SELECT count(*)::int AS "total" FROM core.workspace w WHERE ${match}`, [
      search,
      pattern,
      idPrefix,
    ]);
    const rows: FleetWorkspaceRow[] = await this.manager.query(
      `SELECT w."id", w."displayName", w."version", w."activationStatus",
              s."command" AS "lastSyncCommand", s."status" AS "lastSyncStatus", s."outcome" AS "lastSyncOutcome",
              s."message" AS "lastSyncMessage", s."finishedAt" AS "lastSyncAt",
              h."outcome" AS "healthOutcome", h."message" AS "healthMessage", h."finishedAt" AS "healthAt"
         FROM (SELECT * FROM core.workspace w WHERE ${match} ORDER BY w."displayName", w."id" OFFSET $4 LIMIT $5) w
         LEFT JOIN LATERAL (
           SELECT o.* FROM core."workspaceOutcome" o WHERE o."workspaceId" = w."id" AND ${SYNC_COMMANDS}
            ORDER BY o."finishedAt" DESC LIMIT 1
         ) s ON true
         LEFT JOIN core."workspaceOutcome" h ON h."workspaceId" = w."id" AND h."command" = '${HEALTH_COMMAND}'
        ORDER BY w."displayName", w."id"`,
      [search, pattern, idPrefix, offset, limit],
    );
    return { rows, total };
  }

  /** Runs still running, and the latest of the others, newest first. */
  async runs(finishedLimit: number): Promise<WalkRunRow[]> {
    return this.manager.query(
      `(SELECT r.*, now() AS "now" FROM core."walkRun" r WHERE r."status" = 'RUNNING' ORDER BY r."startedAt" DESC LIMIT 50)
       UNION ALL
       (SELECT r.*, now() AS "now" FROM core."walkRun" r WHERE r."status" <> 'RUNNING' ORDER BY r."startedAt" DESC LIMIT $1)`,
      [finishedLimit],
    );
  }

  /** A workspace's last outcome of each command, latest first. */
  async outcomesOf(
    workspaceId: string,
  ): Promise<Array<{ command: string; outcome: string; status: string; message: string | null; finishedAt: Date }>> {
    return this.manager.query(
      `SELECT "command", "outcome", "status", "message", "finishedAt" FROM core."workspaceOutcome" WHERE "workspaceId" = $1 ORDER BY "finishedAt" DESC`,
      [workspaceId],
    );
  }

  /** The failed ones of `outcomes` (one row per workspace), latest first, with how many there are. */
  private async attention(outcomes: string, limit: number): Promise<{ rows: AttentionRow[]; total: number }> {
    const rows: Array<AttentionRow & { total: number }> = await this.manager.query(
      `SELECT w."id", w."displayName", w."version", o."command", o."message", o."finishedAt" AS "at", count(*) OVER ()::int AS "total"
         FROM (${outcomes}) o JOIN core.workspace w ON w."id" = o."workspaceId"
        WHERE o."outcome" = 'failed'
        ORDER BY o."finishedAt" DESC, w."id" LIMIT $1`,
      [limit],
    );
    return { rows: rows.map(({ total: _total, ...row }) => row), total: rows[0]?.total ?? 0 };
  }
}
