import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { renderStatement } from '../database/sql-statement';
import { ColumnSpec } from '../metadata/column-layout';
import { Change, FieldRow, IndexRow, ObjectRow } from './changes';
import { StatementRenderer } from './statement.renderer';

const WORKSPACE = '0b3f8a52-3d55-4c5e-9a55-6c1f0b0e8f11';
const SCHEMA = 'workspace_test';
const OBJECT = 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d01';
const FIELD = 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d02';
const OTHER = 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d03';

const renderer = new StatementRenderer(WORKSPACE, SCHEMA);
const sql = (change: Change): string[] => renderer.render(change).map(renderStatement);

const column = (name: string, type: ColumnSpec['type'], extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type,
  enumName: null,
  isNullable: true,
  defaultSql: null,
  ...extra,
});

const objectRow: ObjectRow = {
  id: OBJECT,
  standardId: 'std-company',
  nameSingular: 'company',
  namePlural: 'companies',
  labelSingular: 'Company',
  labelPlural: 'Companies',
  description: null,
  icon: 'IconBuilding',
  tableName: 'company',
  isCustom: false,
  isSystem: false,
  isActive: true,
};

const fieldRow: FieldRow = {
  id: FIELD,
  objectMetadataId: OBJECT,
  standardId: 'std-stage',
  name: 'stage',
  label: 'Stage',
  type: FieldType.SELECT,
  description: null,
  icon: null,
  isCustom: false,
  isSystem: false,
  isActive: true,
  isNullable: false,
  isUnique: false,
  isDeprecated: false,
  defaultValue: 'NEW',
  options: [{ value: 'NEW', label: 'New', position: 0 }],
  settings: null,
  relationType: null,
  relationTargetObjectMetadataId: null,
  relationTargetFieldMetadataId: null,
  onDelete: null,
};

const FIELD_COLUMN_LIST =
  '"id", "workspaceId", "objectMetadataId", "standardId", "name", "label", "type", "description", "icon", "isCustom", "isSystem", "isActive", ' +
  '"isNullable", "isUnique", "isDeprecated", "defaultValue", "options", "settings", "relationType", "relationTargetObjectMetadataId", ' +
  '"relationTargetFieldMetadataId", "onDelete"';
const FIELD_VALUES = `('${FIELD}', '${WORKSPACE}', '${OBJECT}', 'std-stage', 'stage', 'Stage', 'SELECT', NULL, NULL, false, false, true, false, false, false, '"NEW"'::jsonb, '[{"value":"NEW","label":"New","position":0}]'::jsonb, NULL::jsonb, NULL, NULL, NULL, NULL)`;

describe('StatementRenderer', () => {
  it('createSchema: the schema', () => {
    expect(sql({ kind: 'createSchema' })).toEqual(['CREATE SCHEMA "workspace_test"']);
  });

  it('createObject: its row, enum types, table (with the primary key on "id") and field rows, in that order', () => {
    const statements = sql({
      kind: 'createObject',
      object: objectRow,
      enumTypes: [{ name: 'company_stage_enum', values: ['NEW', "IT'S"] }],
      columns: [
        column('stage', 'enum', { enumName: 'company_stage_enum', isNullable: false, defaultSql: `'NEW'` }),
        column('tags', 'enum[]', { enumName: 'company_tags_enum' }),
        column('id', 'uuid', { isNullable: false, defaultSql: 'gen_random_uuid()' }),
      ],
      fields: [fieldRow],
    });
    expect(statements).toEqual([
      'INSERT INTO metadata."objectMetadata" ("id", "workspaceId", "standardId", "nameSingular", "namePlural", "labelSingular", "labelPlural", "description", "icon", "tableName", "isCustom", "isSystem", "isActive")\n' +
        `              VALUES ('${OBJECT}', '${WORKSPACE}', 'std-company', 'company', 'companies', 'Company', 'Companies', NULL, 'IconBuilding', 'company', false, false, true)`,
      `CREATE TYPE "workspace_test"."company_stage_enum" AS ENUM ('NEW', 'IT''S')`,
      `CREATE TABLE "workspace_test"."company" ("stage" "workspace_test"."company_stage_enum" NOT NULL DEFAULT 'NEW', "tags" "workspace_test"."company_tags_enum"[], "id" uuid NOT NULL DEFAULT gen_random_uuid(), PRIMARY KEY ("id"))`,
      `INSERT INTO metadata."fieldMetadata" (${FIELD_COLUMN_LIST}) VALUES ${FIELD_VALUES}`,
    ]);
  });

  it('createObject: a label identifier given is written with the row; a table without "id" has no primary key; no field rows, no insert', () => {
    expect(
      sql({
        kind: 'createObject',
        object: { ...objectRow, labelIdentifierFieldMetadataId: FIELD },
        enumTypes: [],
        columns: [column('name', 'text')],
        fields: [],
      }),
    ).toEqual([
      'INSERT INTO metadata."objectMetadata" ("id", "workspaceId", "standardId", "nameSingular", "namePlural", "labelSingular", "labelPlural", "description", "icon", "tableName", "isCustom", "isSystem", "isActive", "labelIdentifierFieldMetadataId")\n' +
        `              VALUES ('${OBJECT}', '${WORKSPACE}', 'std-company', 'company', 'companies', 'Company', 'Companies', NULL, 'IconBuilding', 'company', false, false, true, '${FIELD}')`,
      'CREATE TABLE "workspace_test"."company" ("name" text)',
    ]);
  });

  it('metadata rows are written with parameters, JSON columns as $n::jsonb', () => {
    const [insert] = renderer.render({ kind: 'createField', tableName: 'company', enumTypes: [], columns: [], field: fieldRow });
    expect(insert.sql).toBe(
      `INSERT INTO metadata."fieldMetadata" (${FIELD_COLUMN_LIST}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17::jsonb, $18::jsonb, $19, $20, $21, $22)`,
    );
    expect(insert.params).toEqual([
      FIELD,
      WORKSPACE,
      OBJECT,
      'std-stage',
      'stage',
      'Stage',
      'SELECT',
      null,
      null,
      false,
      false,
      true,
      false,
      false,
      false,
      '"NEW"',
      '[{"value":"NEW","label":"New","position":0}]',
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('updateObject and setLabelIdentifier: the columns given, in order', () => {
    const update = renderer.render({ kind: 'updateObject', objectId: OBJECT, set: { labelPlural: 'Firms', isSystem: true } });
    expect(update).toEqual([
      {
        sql: `UPDATE metadata."objectMetadata" SET "labelPlural" = $1, "isSystem" = $2, "updatedAt" = now() WHERE "id" = $3`,
        params: ['Firms', true, OBJECT],
      },
    ]);
    expect(sql({ kind: 'setLabelIdentifier', objectId: OBJECT, fieldId: null })).toEqual([
      `UPDATE metadata."objectMetadata" SET "labelIdentifierFieldMetadataId" = NULL, "updatedAt" = now() WHERE "id" = '${OBJECT}'`,
    ]);
  });

  it('renameObject: the table, its row, then the enum types and foreign keys named after it, in the order given', () => {
    expect(
      sql({
        kind: 'renameObject',
        objectId: OBJECT,
        nameSingular: 'firm',
        tableName: { from: 'company', to: 'firm' },
        dependents: [
          { of: 'foreignKey', from: 'FK_company_ownerId', to: 'FK_firm_ownerId' },
          { of: 'enumType', from: 'company_stage_enum', to: 'firm_stage_enum' },
        ],
      }),
    ).toEqual([
      'ALTER TABLE "workspace_test"."company" RENAME TO "firm"',
      `UPDATE metadata."objectMetadata" SET "nameSingular" = 'firm', "tableName" = 'firm', "updatedAt" = now() WHERE "id" = '${OBJECT}'`,
      'ALTER TABLE "workspace_test"."firm" RENAME CONSTRAINT "FK_company_ownerId" TO "FK_firm_ownerId"',
      'ALTER TYPE "workspace_test"."company_stage_enum" RENAME TO "firm_stage_enum"',
    ]);
  });

  it('turnObjectCustom and dropObject', () => {
    expect(sql({ kind: 'turnObjectCustom', objectId: OBJECT })).toEqual([
      `UPDATE metadata."objectMetadata" SET "isCustom" = true, "updatedAt" = now() WHERE "id" = '${OBJECT}'`,
    ]);
    expect(sql({ kind: 'dropObject', objectId: OBJECT, tableName: 'company' })).toEqual([
      'DROP TABLE "workspace_test"."company" CASCADE',
      `DELETE FROM metadata."objectMetadata" WHERE "id" = '${OBJECT}'`,
    ]);
  });

  it('createField: enum types, the columns in one ALTER TABLE, the row', () => {
    expect(
      sql({
        kind: 'createField',
        tableName: 'company',
        enumTypes: [{ name: 'company_stage_enum', values: ['NEW'] }],
        columns: [
          column('stage', 'enum', { enumName: 'company_stage_enum', isNullable: false, defaultSql: `'NEW'` }),
          column('stageNote', 'text'),
        ],
        field: fieldRow,
      }),
    ).toEqual([
      `CREATE TYPE "workspace_test"."company_stage_enum" AS ENUM ('NEW')`,
      `ALTER TABLE "workspace_test"."company" ADD COLUMN "stage" "workspace_test"."company_stage_enum" NOT NULL DEFAULT 'NEW', ADD COLUMN "stageNote" text`,
      `INSERT INTO metadata."fieldMetadata" (${FIELD_COLUMN_LIST}) VALUES ${FIELD_VALUES}`,
    ]);
    expect(sql({ kind: 'createField', tableName: 'company', enumTypes: [], columns: [], field: fieldRow })).toEqual([
      `INSERT INTO metadata."fieldMetadata" (${FIELD_COLUMN_LIST}) VALUES ${FIELD_VALUES}`,
    ]);
  });

  it('updateField: nullability, new enum labels, defaults, then the row (JSON as jsonb)', () => {
    expect(
      sql({
        kind: 'updateField',
        fieldId: FIELD,
        tableName: 'company',
        set: { isNullable: false, options: [{ value: 'NEW', label: 'New', position: 0 }] },
        nullability: { column: 'stage', isNullable: false },
        enumValues: {
          action: 'add',
          enumType: 'company_stage_enum',
          added: [
            { value: 'OPEN', before: 'NEW' },
            { value: 'LOST', before: null },
          ],
        },
        defaults: [
          { column: 'stage', defaultSql: `'OPEN'` },
          { column: 'note', defaultSql: null },
        ],
      }),
    ).toEqual([
      'ALTER TABLE "workspace_test"."company" ALTER COLUMN "stage" SET NOT NULL',
      `ALTER TYPE "workspace_test"."company_stage_enum" ADD VALUE IF NOT EXISTS 'OPEN' BEFORE 'NEW'`,
      `ALTER TYPE "workspace_test"."company_stage_enum" ADD VALUE IF NOT EXISTS 'LOST'`,
      `ALTER TABLE "workspace_test"."company" ALTER COLUMN "stage" SET DEFAULT 'OPEN'`,
      'ALTER TABLE "workspace_test"."company" ALTER COLUMN "note" DROP DEFAULT',
      `UPDATE metadata."fieldMetadata" SET "isNullable" = false, "options" = '[{"value":"NEW","label":"New","position":0}]'::jsonb, "updatedAt" = now() WHERE "id" = '${FIELD}'`,
    ]);
  });

  it('updateField: an enum type with labels removed is replaced, its column converted through text, its default set again', () => {
    expect(
      sql({
        kind: 'updateField',
        fieldId: FIELD,
        tableName: 'company',
        set: { isNullable: true },
        nullability: { column: 'tags', isNullable: true },
        enumValues: { action: 'replace', enumType: 'company_tags_enum', column: 'tags', isArray: true, values: ['A'], defaultSql: `'{A}'` },
        defaults: [],
      }),
    ).toEqual([
      'ALTER TABLE "workspace_test"."company" ALTER COLUMN "tags" DROP NOT NULL',
      'ALTER TYPE "workspace_test"."company_tags_enum" RENAME TO "company_tags_enum_old"',
      `CREATE TYPE "workspace_test"."company_tags_enum" AS ENUM ('A')`,
      'ALTER TABLE "workspace_test"."company" ALTER COLUMN "tags" DROP DEFAULT',
      'ALTER TABLE "workspace_test"."company" ALTER COLUMN "tags" TYPE "workspace_test"."company_tags_enum"[] USING "tags"::text[]::"workspace_test"."company_tags_enum"[]',
      'DROP TYPE "workspace_test"."company_tags_enum_old"',
      `ALTER TABLE "workspace_test"."company" ALTER COLUMN "tags" SET DEFAULT '{A}'`,
      `UPDATE metadata."fieldMetadata" SET "isNullable" = true, "updatedAt" = now() WHERE "id" = '${FIELD}'`,
    ]);
  });

  it('renameField: each column with its enum type, the foreign key, then the row', () => {
    expect(
      sql({
        kind: 'renameField',
        fieldId: FIELD,
        tableName: 'company',
        columns: [
          { from: 'stage', to: 'phase', enumType: { from: 'company_stage_enum', to: 'company_phase_enum' } },
          { from: 'ownerId', to: 'leadId', enumType: null },
        ],
        foreignKey: { from: 'FK_company_ownerId', to: 'FK_company_leadId' },
        set: { label: 'Phase', name: 'phase' },
      }),
    ).toEqual([
      'ALTER TABLE "workspace_test"."company" RENAME COLUMN "stage" TO "phase"',
      'ALTER TYPE "workspace_test"."company_stage_enum" RENAME TO "company_phase_enum"',
      'ALTER TABLE "workspace_test"."company" RENAME COLUMN "ownerId" TO "leadId"',
      'ALTER TABLE "workspace_test"."company" RENAME CONSTRAINT "FK_company_ownerId" TO "FK_company_leadId"',
      `UPDATE metadata."fieldMetadata" SET "label" = 'Phase', "name" = 'phase', "updatedAt" = now() WHERE "id" = '${FIELD}'`,
    ]);
  });

  it('turnFieldCustom', () => {
    expect(sql({ kind: 'turnFieldCustom', fieldId: FIELD, isDeprecated: true })).toEqual([
      `UPDATE metadata."fieldMetadata" SET "isCustom" = true, "isDeprecated" = true, "updatedAt" = now() WHERE "id" = '${FIELD}'`,
    ]);
  });

  it('dropField: columns, enum types, the view rows that show it, its index rows, its row', () => {
    const change: Change = {
      kind: 'dropField',
      objectId: OBJECT,
      fieldId: FIELD,
      tableName: 'company',
      columns: ['addressStreet', 'addressCity'],
      enumTypes: ['company_address_enum'],
      viewTables: ['viewField', 'viewSort'],
      withIndexRows: true,
    };
    expect(sql(change)).toEqual([
      'ALTER TABLE "workspace_test"."company" DROP COLUMN "addressStreet", DROP COLUMN "addressCity"',
      'DROP TYPE "workspace_test"."company_address_enum"',
      `DELETE FROM "workspace_test"."viewField" WHERE "fieldMetadataId" = '${FIELD}'`,
      `DELETE FROM "workspace_test"."viewSort" WHERE "fieldMetadataId" = '${FIELD}'`,
      `DELETE FROM metadata."indexMetadata" WHERE "objectMetadataId" = '${OBJECT}' AND "columns" && ARRAY['addressStreet', 'addressCity']::text[]`,
      `DELETE FROM metadata."fieldMetadata" WHERE "id" = '${FIELD}'`,
    ]);
    expect(sql({ ...change, columns: [], enumTypes: [], viewTables: [], withIndexRows: false })).toEqual([
      `DELETE FROM metadata."fieldMetadata" WHERE "id" = '${FIELD}'`,
    ]);
  });

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
