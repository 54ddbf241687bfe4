import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the console reads of the walks: each run with its progress (`walkRun`, written by the
 * process that runs the walk, at most once a second), and each workspace's last outcome of each
 * command (`workspaceOutcome`, written in the same flush).
 */
export class WalkRuns1765065600000 implements MigrationInterface {
  name = 'WalkRuns1765065600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE core."walkRun" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "command" text NOT NULL,
        "queued" boolean NOT NULL DEFAULT false,
        "dryRun" boolean NOT NULL DEFAULT false,
        "status" text NOT NULL DEFAULT 'RUNNING' CHECK ("status" IN ('RUNNING', 'DONE', 'FAILED', 'INTERRUPTED')),
        "total" integer,
        "succeeded" integer NOT NULL DEFAULT 0,
        "failed" integer NOT NULL DEFAULT 0,
        "skipped" integer NOT NULL DEFAULT 0,
        "host" text NOT NULL,
        "pid" integer NOT NULL,
        "error" text,
        "startedAt" timestamptz NOT NULL DEFAULT now(),
        "updatedAt" timestamptz NOT NULL DEFAULT now(),
        "finishedAt" timestamptz
      );
      CREATE INDEX "IDX_walkRun_running" ON core."walkRun" ("startedAt") WHERE "status" = 'RUNNING';
      CREATE INDEX "IDX_walkRun_startedAt" ON core."walkRun" ("startedAt");
      CREATE TABLE core."workspaceOutcome" (
        "workspaceId" uuid NOT NULL REFERENCES core.workspace ("id") ON DELETE CASCADE,
        "command" text NOT NULL,
        "outcome" text NOT NULL CHECK ("outcome" IN ('succeeded', 'failed', 'skipped')),
        "status" text NOT NULL,
        "message" text,
        "runId" uuid REFERENCES core."walkRun" ("id") ON DELETE SET NULL,
        "finishedAt" timestamptz NOT NULL,
        PRIMARY KEY ("workspaceId", "command")
      );
      CREATE INDEX "IDX_workspaceOutcome_failed" ON core."workspaceOutcome" ("workspaceId") WHERE "outcome" = 'failed';
      CREATE INDEX "IDX_workspaceOutcome_runId" ON core."workspaceOutcome" ("runId")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE core."workspaceOutcome";
      DROP TABLE core."walkRun"`);
  }
}
