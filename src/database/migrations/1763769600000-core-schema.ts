import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The service's own tables: workspaces, the metadata of their objects, fields and indexes, and the
 * upgrade ledger. Workspace data lives in per-workspace schemas that sync creates.
 */
export class CoreSchema1763769600000 implements MigrationInterface {
  name = 'CoreSchema1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS core`);
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS metadata`);

    await queryRunner.query(`
      CREATE TABLE core.workspace (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "displayName" text NOT NULL,
        "schemaName" text NOT NULL,
        "activationStatus" text NOT NULL DEFAULT 'ACTIVE'
          CHECK ("activationStatus" IN ('PENDING_CREATION', 'ACTIVE', 'INACTIVE', 'SUSPENDED')),
        "version" text,
        "fingerprint" text,
        "featureFlags" text[] NOT NULL DEFAULT '{}',
        "createdAt" timestamptz NOT NULL DEFAULT now(),
        "updatedAt" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_workspace_schemaName" UNIQUE ("schemaName"),
        CONSTRAINT "CHK_workspace_schemaName" CHECK ("schemaName" ~ '^workspace_[a-z0-9]+$')
      )`);

    await queryRunner.query(`
      CREATE TABLE metadata."objectMetadata" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "workspaceId" uuid NOT NULL REFERENCES core.workspace ("id") ON DELETE CASCADE,
        "standardId" uuid,
        "nameSingular" text NOT NULL,
        "namePlural" text NOT NULL,
        "labelSingular" text NOT NULL,
        "labelPlural" text NOT NULL,
        "description" text,
        "icon" text,
        "tableName" text NOT NULL,
        "isCustom" boolean NOT NULL DEFAULT false,
        "isSystem" boolean NOT NULL DEFAULT false,
        "isActive" boolean NOT NULL DEFAULT true,
        "labelIdentifierFieldMetadataId" uuid,
        "createdAt" timestamptz NOT NULL DEFAULT now(),
        "updatedAt" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_objectMetadata_nameSingular" UNIQUE ("workspaceId", "nameSingular"),
        CONSTRAINT "UQ_objectMetadata_namePlural" UNIQUE ("workspaceId", "namePlural"),
        CONSTRAINT "UQ_objectMetadata_tableName" UNIQUE ("workspaceId", "tableName")
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "UQ_objectMetadata_standardId" ON metadata."objectMetadata" ("workspaceId", "standardId")
      WHERE "standardId" IS NOT NULL AND NOT "isCustom"`);

    await queryRunner.query(`
      CREATE TABLE metadata."fieldMetadata" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "workspaceId" uuid NOT NULL REFERENCES core.workspace ("id") ON DELETE CASCADE,
        "objectMetadataId" uuid NOT NULL REFERENCES metadata."objectMetadata" ("id") ON DELETE CASCADE,
        "standardId" uuid,
        "name" text NOT NULL,
        "label" text NOT NULL,
        "type" text NOT NULL,
        "description" text,
        "icon" text,
        "isCustom" boolean NOT NULL DEFAULT false,
        "isSystem" boolean NOT NULL DEFAULT false,
        "isActive" boolean NOT NULL DEFAULT true,
        "isNullable" boolean NOT NULL DEFAULT true,
        "isUnique" boolean NOT NULL DEFAULT false,
        "isDeprecated" boolean NOT NULL DEFAULT false,
        "defaultValue" jsonb,
        "options" jsonb,
        "settings" jsonb,
        "relationType" text CHECK ("relationType" IN ('MANY_TO_ONE', 'ONE_TO_MANY')),
        "relationTargetObjectMetadataId" uuid REFERENCES metadata."objectMetadata" ("id") ON DELETE CASCADE
          DEFERRABLE INITIALLY DEFERRED,
        "relationTargetFieldMetadataId" uuid REFERENCES metadata."fieldMetadata" ("id") ON DELETE SET NULL
          DEFERRABLE INITIALLY DEFERRED,
        "onDelete" text CHECK ("onDelete" IN ('CASCADE', 'SET_NULL', 'RESTRICT', 'NO_ACTION')),
        "createdAt" timestamptz NOT NULL DEFAULT now(),
        "updatedAt" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_fieldMetadata_name" UNIQUE ("objectMetadataId", "name")
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "UQ_fieldMetadata_standardId" ON metadata."fieldMetadata" ("objectMetadataId", "standardId")
      WHERE "standardId" IS NOT NULL AND NOT "isCustom"`);
    await queryRunner.query(`CREATE INDEX "IDX_fieldMetadata_workspaceId" ON metadata."fieldMetadata" ("workspaceId")`);

    await queryRunner.query(`
      ALTER TABLE metadata."objectMetadata"
        ADD CONSTRAINT "FK_objectMetadata_labelIdentifier" FOREIGN KEY ("labelIdentifierFieldMetadataId")
        REFERENCES metadata."fieldMetadata" ("id") ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED`);

    await queryRunner.query(`
      CREATE TABLE metadata."indexMetadata" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "workspaceId" uuid NOT NULL REFERENCES core.workspace ("id") ON DELETE CASCADE,
        "objectMetadataId" uuid NOT NULL REFERENCES metadata."objectMetadata" ("id") ON DELETE CASCADE,
        "name" text NOT NULL,
        "columns" text[] NOT NULL,
        "isUnique" boolean NOT NULL DEFAULT false,
        "whereClause" text,
        "isCustom" boolean NOT NULL DEFAULT false,
        "createdAt" timestamptz NOT NULL DEFAULT now(),
        "updatedAt" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_indexMetadata_name" UNIQUE ("workspaceId", "name")
      )`);

    await queryRunner.query(`
      CREATE TABLE core."upgradeLedger" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "workspaceId" uuid NOT NULL REFERENCES core.workspace ("id") ON DELETE CASCADE,
        "version" text NOT NULL,
        "step" text NOT NULL,
        "checksum" text NOT NULL,
        "status" text NOT NULL CHECK ("status" IN ('RUNNING', 'DONE', 'FAILED', 'BASELINED')),
        "checkpoint" jsonb,
        "log" jsonb NOT NULL DEFAULT '[]',
        "rowsAffected" bigint NOT NULL DEFAULT 0,
        "error" text,
        "startedAt" timestamptz NOT NULL DEFAULT now(),
        "finishedAt" timestamptz,
        "durationMs" integer,
        CONSTRAINT "UQ_upgradeLedger_step" UNIQUE ("workspaceId", "version", "step")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE core."upgradeLedger"`);
    await queryRunner.query(`DROP TABLE metadata."indexMetadata"`);
    await queryRunner.query(`ALTER TABLE metadata."objectMetadata" DROP CONSTRAINT "FK_objectMetadata_labelIdentifier"`);
    await queryRunner.query(`DROP TABLE metadata."fieldMetadata"`);
    await queryRunner.query(`DROP TABLE metadata."objectMetadata"`);
    await queryRunner.query(`DROP TABLE core.workspace`);
    await queryRunner.query(`DROP SCHEMA metadata`);
    await queryRunner.query(`DROP SCHEMA core`);
  }
}
