import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * core.expect(ok, code, message): true when `ok` is, else an error with SQLSTATE `code`. A script
 * of statements checks with it, under the workspace's lock, that the workspace is in the state
 * its plan was made for; the error ends the script before anything is written.
 */
export class SyncExpectations1764460800000 implements MigrationInterface {
  name = 'SyncExpectations1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION core."expect"(ok boolean, code text, message text) RETURNS boolean
        LANGUAGE plpgsql AS $$
        BEGIN
          IF ok IS NOT TRUE THEN
            RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message;
          END IF;
          RETURN true;
        END
        $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION core."expect"(boolean, text, text)`);
  }
}
