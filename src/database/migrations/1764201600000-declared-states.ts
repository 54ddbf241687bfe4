import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The declared states workspaces have been synced to, by fingerprint: what a fingerprint stands
 * for, so that a later sync can plan from what changed in the declarations since.
 */
export class DeclaredStates1764201600000 implements MigrationInterface {
  name = 'DeclaredStates1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE core."declaredState" (
        "fingerprint" text PRIMARY KEY,
        "declared" json NOT NULL,
        "createdAt" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE core."declaredState"`);
  }
}
