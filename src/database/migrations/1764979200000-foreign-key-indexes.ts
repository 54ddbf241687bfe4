import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index under every foreign key of the metadata tables that had none. Deleting a field row
 * (ON DELETE SET NULL on the relation target and on an object's label and image identifiers) or an
 * object row (ON DELETE CASCADE on relation targets and index rows) made PostgreSQL scan these
 * tables whole, for every workspace of the server: a fleet of thousands of workspaces turned each
 * deleted field into a scan of millions of rows.
 */
export class ForeignKeyIndexes1764979200000 implements MigrationInterface {
  name = 'ForeignKeyIndexes1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX "IDX_fieldMetadata_relationTargetField" ON metadata."fieldMetadata" ("relationTargetFieldMetadataId");
      CREATE INDEX "IDX_fieldMetadata_relationTargetObject" ON metadata."fieldMetadata" ("relationTargetObjectMetadataId");
      CREATE INDEX "IDX_objectMetadata_labelIdentifier" ON metadata."objectMetadata" ("labelIdentifierFieldMetadataId");
      CREATE INDEX "IDX_objectMetadata_imageIdentifier" ON metadata."objectMetadata" ("imageIdentifierFieldMetadataId");
      CREATE INDEX "IDX_indexMetadata_object" ON metadata."indexMetadata" ("objectMetadataId")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX metadata."IDX_indexMetadata_object";
      DROP INDEX metadata."IDX_objectMetadata_imageIdentifier";
      DROP INDEX metadata."IDX_objectMetadata_labelIdentifier";
      DROP INDEX metadata."IDX_fieldMetadata_relationTargetObject";
      DROP INDEX metadata."IDX_fieldMetadata_relationTargetField"`);
  }
}
