import { FIELD, OBJECT, sql } from './statement.renderer.spec-support';
import { SetSearchVector } from './changes';

/** The statements of search columns: trigger function, trigger, fill, GIN index, renames and drops. */
describe('StatementRenderer: search columns', () => {
  const change = (extra: Partial<SetSearchVector> = {}): SetSearchVector => ({
    kind: 'setSearchVector',
    spec: {
      tableName: 'lead',
      column: 'searchVector',
      functionName: 'lead_searchVector_search',
      triggerName: 'searchVector_search',
      sources: [
        { column: 'name', weight: 'A', splitsAddress: false },
        { column: 'emailsPrimaryEmail', weight: 'B', splitsAddress: true },
      ],
    },
    replaces: null,
    backfill: false,
    ...extra,
  });
  const vector = (row: string) =>
    `setweight(to_tsvector('simple', coalesce(${row}"name", '')), 'A') || setweight(to_tsvector('simple', coalesce(${row}"emailsPrimaryEmail", '') || ' ' || translate(coalesce(${row}"emailsPrimaryEmail", ''), '@.:/_-+', '       ')), 'B')`;

  it('setSearchVector: the function, the trigger on the indexed columns, and the fill of existing rows when asked', () => {
    const made = [
      `CREATE OR REPLACE FUNCTION "workspace_test"."lead_searchVector_search"() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN NEW."searchVector" := ${vector('NEW.')}; RETURN NEW; END $fn$`,
      'DROP TRIGGER IF EXISTS "searchVector_search" ON "workspace_test"."lead"',
      'CREATE TRIGGER "searchVector_search" BEFORE INSERT OR UPDATE OF "name", "emailsPrimaryEmail" ON "workspace_test"."lead" FOR EACH ROW EXECUTE FUNCTION "workspace_test"."lead_searchVector_search"()',
    ];
    expect(sql(change())).toEqual(made);
    expect(sql(change({ backfill: true }))).toEqual([...made, `UPDATE "workspace_test"."lead" SET "searchVector" = ${vector('')}`]);
    expect(sql(change({ replaces: 'lead_search_search' }))).toEqual([
      'DROP FUNCTION IF EXISTS "workspace_test"."lead_search_search"() CASCADE',
      ...made,
    ]);
  });

  it('setSearchVector without sources: an empty vector, on insert only', () => {
    const statements = sql(change({ spec: { ...change().spec, sources: [] } }));
    expect(statements[0]).toContain(`NEW."searchVector" := ''::tsvector;`);
    expect(statements[2]).toContain('BEFORE INSERT ON "workspace_test"."lead"');
  });

  it('createIndex USING GIN for a search column', () => {
    const [, create] = sql({
      kind: 'createIndex',
      tableName: 'lead',
      index: { name: 'IDX_lead_searchVector', columns: ['searchVector'], isUnique: false, where: null, using: 'GIN' },
      replacesLiveIndex: true,
      row: {
        id: FIELD,
        objectMetadataId: OBJECT,
        name: 'IDX_lead_searchVector',
        columns: ['searchVector'],
        isUnique: false,
        isCustom: false,
      },
      rowExists: true,
    });
    expect(create).toBe('CREATE INDEX "IDX_lead_searchVector" ON "workspace_test"."lead" USING GIN ("searchVector")');
  });

  it('a renamed table renames the function; a dropped field or object drops it', () => {
    expect(
      sql({
        kind: 'renameObject',
        objectId: OBJECT,
        nameSingular: 'prospect',
        tableName: { from: 'lead', to: 'prospect' },
        dependents: [{ of: 'function', from: 'lead_searchVector_search', to: 'prospect_searchVector_search' }],
      })[2],
    ).toBe('ALTER FUNCTION "workspace_test"."lead_searchVector_search"() RENAME TO "prospect_searchVector_search"');
    const dropField = sql({
      kind: 'dropField',
      objectId: OBJECT,
      fieldId: FIELD,
      tableName: 'lead',
      columns: ['searchVector'],
      enumTypes: [],
      viewTables: [],
      withIndexRows: true,
      functions: ['lead_searchVector_search'],
    });
    expect(dropField.slice(0, 2)).toEqual([
      'DROP FUNCTION IF EXISTS "workspace_test"."lead_searchVector_search"() CASCADE',
      'ALTER TABLE "workspace_test"."lead" DROP COLUMN "searchVector"',
    ]);
    expect(sql({ kind: 'dropObject', objectId: OBJECT, tableName: 'lead', functions: ['lead_searchVector_search'] })).toEqual([
      'DROP TABLE "workspace_test"."lead" CASCADE',
      'DROP FUNCTION IF EXISTS "workspace_test"."lead_searchVector_search"() CASCADE',
      `DELETE FROM metadata."objectMetadata" WHERE "id" = '${OBJECT}'`,
    ]);
  });
});
