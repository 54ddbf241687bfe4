import { MigrationInterface, QueryRunner } from 'typeorm';

/** Workspace API keys for the HTTP service: only a hash of each key is stored. */
export class ApiKeys1764028800000 implements MigrationInterface {
  name = 'ApiKeys1764028800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE core."apiKey" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "workspaceId" uuid NOT NULL REFERENCES core.workspace ("id") ON DELETE CASCADE,
        "name" text NOT NULL,
        "keyHash" text NOT NULL,
        "createdAt" timestamptz NOT NULL DEFAULT now(),
        "revokedAt" timestamptz,
        CONSTRAINT "UQ_apiKey_keyHash" UNIQUE ("keyHash")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_apiKey_workspaceId" ON core."apiKey" ("workspaceId")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE core."apiKey"`);
  }
}
