import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export type LedgerStatus = 'RUNNING' | 'DONE' | 'FAILED' | 'BASELINED';

export interface LedgerEntry {
  id: string;
  workspaceId: string;
  version: string;
  step: string;
  checksum: string;
  status: LedgerStatus;
  checkpoint: Record<string, unknown> | null;
  log: unknown[];
  rowsAffected: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
}

const COLUMNS = `"id", "workspaceId", "version", "step", "checksum", "status", "checkpoint", "log", "rowsAffected"::float8 AS "rowsAffected", "error", "startedAt", "finishedAt", "durationMs"`;

/** All SQL on core."upgradeLedger": one row per (workspace, version, step). */
@Injectable()
export class LedgerRepository {
  constructor(@Inject(EntityManager) private readonly manager: EntityManager) {}

  async find(workspaceId: string, version: string, step: string): Promise<LedgerEntry | null> {
    const [row] = await this.manager.query(
      `SELECT ${COLUMNS} FROM core."upgradeLedger" WHERE "workspaceId" = $1 AND "version" = $2 AND "step" = $3`,
      [workspaceId, version, step],
    );
    return row ?? null;
  }

  async list(workspaceId: string): Promise<LedgerEntry[]> {
    return this.manager.query(
      `SELECT ${COLUMNS} FROM core."upgradeLedger" WHERE "workspaceId" = $1 ORDER BY "version", "startedAt", "step"`,
      [workspaceId],
    );
  }

  /** Marks a step running (a new row, or a resumed one keeping its checkpoint). */
  async start(workspaceId: string, version: string, step: string, checksum: string): Promise<LedgerEntry> {
    const [row] = await this.manager.query(
      `INSERT INTO core."upgradeLedger" ("workspaceId", "version", "step", "checksum", "status")
       VALUES ($1, $2, $3, $4, 'RUNNING')
       ON CONFLICT ("workspaceId", "version", "step")
       DO UPDATE SET "status" = 'RUNNING', "error" = NULL, "finishedAt" = NULL
       RETURNING ${COLUMNS}`,
      [workspaceId, version, step, checksum],
    );
    return row;
  }

  /** Records progress; called in the same transaction as the batch it describes. */
  async checkpoint(id: string, checkpoint: Record<string, unknown>, rowsAdded: number): Promise<void> {
    await this.manager.query(
      `UPDATE core."upgradeLedger" SET "checkpoint" = $1::jsonb, "rowsAffected" = "rowsAffected" + $2 WHERE "id" = $3`,
      [JSON.stringify(checkpoint), rowsAdded, id],
    );
  }

  /** Counts rows a step changed; called in the transaction that changed them, so the count survives a crash right after. */
  async addRows(id: string, rowsAdded: number): Promise<void> {
    await this.manager.query(`UPDATE core."upgradeLedger" SET "rowsAffected" = "rowsAffected" + $1 WHERE "id" = $2`, [rowsAdded, id]);
  }

  async appendLog(id: string, entries: unknown[]): Promise<void> {
    if (entries.length === 0) return;
    await this.manager.query(`UPDATE core."upgradeLedger" SET "log" = "log" || $1::jsonb WHERE "id" = $2`, [JSON.stringify(entries), id]);
  }

  /**
   * Marks the step done with `log` (its notes) appended, in one write: a run killed before it
   * leaves the step RUNNING without them, so a rerun never writes them twice. `rowsAffected`
   * covers steps that do not count rows through checkpoints.
   */
  async finish(id: string, rowsAffected = 0, log: unknown[] = []): Promise<void> {
    await this.manager.query(
      `UPDATE core."upgradeLedger" SET "status" = 'DONE', "finishedAt" = now(), "rowsAffected" = greatest("rowsAffected", $2),
              "log" = "log" || $3::jsonb, "durationMs" = (extract(epoch FROM now() - "startedAt") * 1000)::int WHERE "id" = $1`,
      [id, rowsAffected, JSON.stringify(log)],
    );
  }

  async fail(id: string, error: string): Promise<void> {
    await this.manager.query(
      `UPDATE core."upgradeLedger" SET "status" = 'FAILED', "error" = $1, "finishedAt" = now(),
              "durationMs" = (extract(epoch FROM now() - "startedAt") * 1000)::int WHERE "id" = $2`,
      [error.slice(0, 4000), id],
    );
  }

  async baseline(workspaceId: string, version: string, step: string, checksum: string): Promise<void> {
    await this.manager.query(
      `INSERT INTO core."upgradeLedger" ("workspaceId", "version", "step", "checksum", "status", "finishedAt", "durationMs")
       VALUES ($1, $2, $3, $4, 'BASELINED', now(), 0)
       ON CONFLICT ("workspaceId", "version", "step") DO NOTHING`,
      [workspaceId, version, step, checksum],
    );
  }
}
