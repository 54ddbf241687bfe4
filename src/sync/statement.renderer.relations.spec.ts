import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { FieldRow, IndexRow } from './changes';
import { column, FIELD, FIELD_COLUMN_LIST, fieldRow, OBJECT, OTHER, renderer, sql, WORKSPACE } from './statement.renderer.spec-support';

describe('StatementRenderer: foreign keys, indexes, custom objects', () => {
  it('createForeignKey and updateForeignKey (the old constraint dropped first)', () => {
    const foreignKey = { name: 'FK_person_companyId', column: 'companyId', targetTable: 'company', onDelete: OnDeleteAction.SET_NULL };
    const add =
      'ALTER TABLE "workspace_test"."person" ADD CONSTRAINT "FK_person_companyId" FOREIGN KEY ("companyId") REFERENCES "workspace_test"."company" ("id") ON DELETE SET NULL';
    expect(sql({ kind: 'createForeignKey', tableName: 'person', foreignKey })).toEqual([add]);
    expect(sql({ kind: 'updateForeignKey', tableName: 'person', replaces: 'FK_person_companyId', foreignKey })).toEqual([
      'ALTER TABLE "workspace_test"."person" DROP CONSTRAINT "FK_person_companyId"',
      add,
    ]);
  });

  it('createIndex: the live index replaced, the build, the row inserted or updated', () => {
    const row: IndexRow = {
      id: OTHER,
      objectMetadataId: OBJECT,
      name: 'IDX_UNIQUE_company_domain',
      columns: ['domain'],
      isUnique: true,
      whereClause: '"deletedAt" IS NULL',
      isCustom: false,
    };
    const index = { name: 'IDX_UNIQUE_company_domain', columns: ['domain'], isUnique: true, where: '"deletedAt" IS NULL' };
    const build = 'CREATE UNIQUE INDEX "IDX_UNIQUE_company_domain" ON "workspace_test"."company" ("domain") WHERE "deletedAt" IS NULL';
    expect(sql({ kind: 'createIndex', tableName: 'company', index, replacesLiveIndex: false, row, rowExists: false })).toEqual([
      build,
      `INSERT INTO metadata."indexMetadata" ("id", "workspaceId", "objectMetadataId", "name", "columns", "isUnique", "whereClause", "isCustom") VALUES ('${OTHER}', '${WORKSPACE}', '${OBJECT}', 'IDX_UNIQUE_company_domain', ARRAY['domain'], true, '"deletedAt" IS NULL', false)`,
    ]);
    expect(sql({ kind: 'createIndex', tableName: 'company', index, replacesLiveIndex: true, row, rowExists: true })).toEqual([
      'DROP INDEX "workspace_test"."IDX_UNIQUE_company_domain"',
      build,
      `UPDATE metadata."indexMetadata" SET "columns" = ARRAY['domain'], "isUnique" = true, "whereClause" = '"deletedAt" IS NULL', "updatedAt" = now() WHERE "id" = '${OTHER}'`,
    ]);
  });

  it('dropIndex: the index if it exists, and its row', () => {
    expect(sql({ kind: 'dropIndex', name: 'IDX_company_name', indexId: OTHER })).toEqual([
      'DROP INDEX IF EXISTS "workspace_test"."IDX_company_name"',
      `DELETE FROM metadata."indexMetadata" WHERE "id" = '${OTHER}'`,
    ]);
  });

  it('createGeneratedRelation: join column, cascading foreign key, index with its row (no whereClause), field row', () => {
    const field: FieldRow = {
      ...fieldRow,
      id: OTHER,
      standardId: null,
      name: 'invoice',
      label: 'Invoice',
      type: FieldType.RELATION,
      isCustom: true,
      isNullable: true,
      defaultValue: null,
      options: null,
      relationType: RelationType.MANY_TO_ONE,
      relationTargetObjectMetadataId: OBJECT,
      relationTargetFieldMetadataId: FIELD,
      onDelete: OnDeleteAction.CASCADE,
    };
    const statements = sql({
      kind: 'createGeneratedRelation',
      relation: {
        tableName: 'noteTarget',
        column: column('invoiceId', 'uuid'),
        foreignKey: { name: 'FK_noteTarget_invoiceId', column: 'invoiceId', targetTable: '_invoice', onDelete: OnDeleteAction.CASCADE },
        index: {
          id: FIELD,
          objectMetadataId: OTHER,
          name: 'IDX_noteTarget_invoiceId',
          columns: ['invoiceId'],
          isUnique: false,
          isCustom: true,
        },
        field,
      },
    });
    expect(statements).toEqual([
      'ALTER TABLE "workspace_test"."noteTarget" ADD COLUMN "invoiceId" uuid',
      'ALTER TABLE "workspace_test"."noteTarget" ADD CONSTRAINT "FK_noteTarget_invoiceId" FOREIGN KEY ("invoiceId") REFERENCES "workspace_test"."_invoice" ("id") ON DELETE CASCADE',
      'CREATE INDEX "IDX_noteTarget_invoiceId" ON "workspace_test"."noteTarget" ("invoiceId")',
      `INSERT INTO metadata."indexMetadata" ("id", "workspaceId", "objectMetadataId", "name", "columns", "isUnique", "isCustom") VALUES ('${FIELD}', '${WORKSPACE}', '${OTHER}', 'IDX_noteTarget_invoiceId', ARRAY['invoiceId'], false, true)`,
      `INSERT INTO metadata."fieldMetadata" (${FIELD_COLUMN_LIST}) VALUES ('${OTHER}', '${WORKSPACE}', '${OBJECT}', NULL, 'invoice', 'Invoice', 'RELATION', NULL, NULL, true, false, true, true, false, false, NULL::jsonb, NULL::jsonb, NULL::jsonb, 'MANY_TO_ONE', '${OBJECT}', '${FIELD}', 'CASCADE')`,
    ]);
  });

  it('renameCustomObject: table, enum types, each generated relation (column, foreign key, index and their rows), then its row', () => {
    expect(
      sql({
        kind: 'renameCustomObject',
        objectId: OBJECT,
        tableName: { from: '_invoice', to: '_bill' },
        enumTypes: [{ from: '_invoice_stage_enum', to: '_bill_stage_enum' }],
        relations: [
          {
            objectId: OTHER,
            tableName: 'noteTarget',
            fieldId: FIELD,
            name: 'bill',
            column: { from: 'invoiceId', to: 'billId' },
            foreignKey: { from: 'FK_noteTarget_invoiceId', to: 'FK_noteTarget_billId' },
            index: { from: 'IDX_noteTarget_invoiceId', to: 'IDX_noteTarget_billId' },
          },
        ],
        set: { nameSingular: 'bill', tableName: '_bill' },
      }),
    ).toEqual([
      'ALTER TABLE "workspace_test"."_invoice" RENAME TO "_bill"',
      'ALTER TYPE "workspace_test"."_invoice_stage_enum" RENAME TO "_bill_stage_enum"',
      'ALTER TABLE "workspace_test"."noteTarget" RENAME COLUMN "invoiceId" TO "billId"',
      'ALTER TABLE "workspace_test"."noteTarget" RENAME CONSTRAINT "FK_noteTarget_invoiceId" TO "FK_noteTarget_billId"',
      'ALTER INDEX "workspace_test"."IDX_noteTarget_invoiceId" RENAME TO "IDX_noteTarget_billId"',
      `UPDATE metadata."indexMetadata" SET "name" = 'IDX_noteTarget_billId', "columns" = ARRAY['billId'], "updatedAt" = now() WHERE "workspaceId" = '${WORKSPACE}' AND "objectMetadataId" = '${OTHER}' AND "name" = 'IDX_noteTarget_invoiceId'`,
      `UPDATE metadata."fieldMetadata" SET "name" = 'bill', "updatedAt" = now() WHERE "id" = '${FIELD}'`,
      `UPDATE metadata."objectMetadata" SET "nameSingular" = 'bill', "tableName" = '_bill', "updatedAt" = now() WHERE "id" = '${OBJECT}'`,
    ]);
  });

  it('deleteViewEntries: one delete per table, of all the fields at once', () => {
    const statements = renderer.render({ kind: 'deleteViewEntries', tables: ['viewField', 'viewFilter'], fieldIds: [FIELD, OTHER] });
    expect(statements).toEqual([
      { sql: 'DELETE FROM "workspace_test"."viewField" WHERE "fieldMetadataId" = ANY($1::uuid[])', params: [[FIELD, OTHER]] },
      { sql: 'DELETE FROM "workspace_test"."viewFilter" WHERE "fieldMetadataId" = ANY($1::uuid[])', params: [[FIELD, OTHER]] },
    ]);
  });

  it('deleteCustomObject: its views, generated relations, table, enum types, index rows and row', () => {
    expect(
      sql({
        kind: 'deleteCustomObject',
        objectId: OBJECT,
        tableName: '_invoice',
        viewTable: 'view',
        relations: [{ objectId: OTHER, tableName: 'noteTarget', fieldId: FIELD, column: 'invoiceId', index: 'IDX_noteTarget_invoiceId' }],
        enumTypes: ['_invoice_stage_enum'],
      }),
    ).toEqual([
      `DELETE FROM "workspace_test"."view" WHERE "objectMetadataId" = '${OBJECT}'`,
      'ALTER TABLE "workspace_test"."noteTarget" DROP COLUMN "invoiceId"',
      `DELETE FROM metadata."indexMetadata" WHERE "workspaceId" = '${WORKSPACE}' AND "objectMetadataId" = '${OTHER}' AND "name" = 'IDX_noteTarget_invoiceId'`,
      `DELETE FROM metadata."fieldMetadata" WHERE "id" = '${FIELD}'`,
      'DROP TABLE "workspace_test"."_invoice"',
      'DROP TYPE "workspace_test"."_invoice_stage_enum"',
      `DELETE FROM metadata."indexMetadata" WHERE "objectMetadataId" = '${OBJECT}'`,
      `DELETE FROM metadata."objectMetadata" WHERE "id" = '${OBJECT}'`,
    ]);
  });

  it('renderAll: the statements of each change, in order', () => {
    expect(renderer.renderAll([{ kind: 'createSchema' }, { kind: 'turnObjectCustom', objectId: OBJECT }])).toEqual([
      ...renderer.render({ kind: 'createSchema' }),
      ...renderer.render({ kind: 'turnObjectCustom', objectId: OBJECT }),
    ]);
  });
});
