import { Change } from './changes';
import {
  column,
  FIELD,
  FIELD_COLUMN_LIST,
  FIELD_VALUES,
  fieldRow,
  OBJECT,
  objectRow,
  renderer,
  sql,
  WORKSPACE,
} from './statement.renderer.spec-support';

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
          renamed: [{ from: 'new', to: 'NEW' }],
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
      `ALTER TYPE "workspace_test"."company_stage_enum" RENAME VALUE 'new' TO 'NEW'`,
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
        enumValues: {
          action: 'replace',
          enumType: 'company_tags_enum',
          renamed: [],
          column: 'tags',
          isArray: true,
          values: ['A'],
          defaultSql: `'{A}'`,
        },
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
});
