import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The properties of an object a CRM's interface needs beside its label identifier: the field whose
 * value is a record's image, a keyboard shortcut, whether search covers its records and whether
 * changes to them are kept in the audit log.
 */
export class ObjectProperties1764720000000 implements MigrationInterface {
  name = 'ObjectProperties1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE metadata."objectMetadata"
        ADD COLUMN "imageIdentifierFieldMetadataId" uuid,
        ADD COLUMN "shortcut" text,
        ADD COLUMN "isSearchable" boolean NOT NULL DEFAULT false,
        ADD COLUMN "isAuditLogged" boolean NOT NULL DEFAULT true,
        ADD CONSTRAINT "FK_objectMetadata_imageIdentifier" FOREIGN KEY ("imageIdentifierFieldMetadataId")
          REFERENCES metadata."fieldMetadata" ("id") ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE metadata."objectMetadata"
        DROP CONSTRAINT "FK_objectMetadata_imageIdentifier",
        DROP COLUMN "isAuditLogged",
        DROP COLUMN "isSearchable",
        DROP COLUMN "shortcut",
        DROP COLUMN "imageIdentifierFieldMetadataId"`);
  }
}
