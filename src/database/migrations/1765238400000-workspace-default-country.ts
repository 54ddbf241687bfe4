import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The country a workspace's phone numbers are read in when they are written without an
 * international prefix (an upgrade parsing legacy PHONE values, a CSV import): an ISO 3166-1
 * alpha-2 code, or none.
 */
export class WorkspaceDefaultCountry1765238400000 implements MigrationInterface {
  name = 'WorkspaceDefaultCountry1765238400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE core.workspace
        ADD COLUMN "defaultCountry" text,
        ADD CONSTRAINT "CHK_workspace_defaultCountry" CHECK ("defaultCountry" ~ '^[A-Z]{2}$')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE core.workspace DROP CONSTRAINT "CHK_workspace_defaultCountry", DROP COLUMN "defaultCountry"`);
  }
}
