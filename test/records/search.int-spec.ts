import { Writable } from 'node:stream';

import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { RecordCsvService } from '../../src/records/record-csv.service';
import { RecordService } from '../../src/records/record.service';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { ActualStateRepository } from '../../src/metadata/actual-state.repository';
import { Hazard } from '../../src/sync/plan';
import { checkWorkspaceHealth } from '../../src/sync/workspace-health';
import { LEAD_IDS, withoutSearch, withSearch } from '../fixtures/declarations/search';
import { syncHelpers } from '../utils/sync-helpers';
import { useTestDatabase } from '../utils/test-services';

/**
 * Search fields (TS_VECTOR): `?search=` finds records by each field the search field indexes,
 * best match first, on a workspace created with it and on one that got it by sync; the trigger
 * keeps the vector current on insert and update; the GIN index exists; the field stays out of
 * records, CSV, views and custom fields.
 */
describe('search fields', () => {
  const db = useTestDatabase();
  const { create, reload, sync, expectConverged, expectSameAsFresh } = syncHelpers(db);
  const declared = withSearch();
  let workspace: WorkspaceRow;
  let records: RecordService;
  const ids: Record<string, string> = {};

  const search = async (ws: WorkspaceRow, text: string) => {
    const page = await records.list(ws.id, 'lead', { search: text });
    return { names: page.records.map((record) => record.name), total: page.pageInfo.totalCount };
  };

  /** One lead per indexed field, each with a word found only there. */
  const LEADS = [
    { name: 'Globex' },
    { name: 'Lead contact', contact: { firstName: 'Zelda', lastName: 'Marquez' } },
    { name: 'Lead email', emails: { primaryEmail: 'quinn@initech.io', additionalEmails: [] } },
    { name: 'Lead domain', domain: { primaryLinkUrl: 'https://umbrella.example', primaryLinkLabel: '', secondaryLinks: [] } },
    { name: 'Lead job', jobTitle: 'Astronaut' },
    { name: 'Lead phone', phones: { primaryPhoneNumber: '612345678', primaryPhoneCountryCode: '+33', additionalPhones: [] } },
    { name: 'Lead notes', notes: { blocknote: '[]', markdown: 'Likes **kumquat** jam' } },
    { name: 'Lead city', city: 'Reykjavik' },
  ];

  beforeAll(async () => {
    workspace = await create(declared, 'Search');
    records = new RecordService(db.dataSource);
    for (const lead of LEADS) ids[lead.name] = (await records.create(workspace.id, 'lead', lead)).id as string;
  });

  it('finds records by each indexed field, by whole words and word starts, and ignores the others', async () => {
    expect(await search(workspace, 'globex')).toEqual({ names: ['Globex'], total: 1 });
    expect(await search(workspace, 'Zelda')).toEqual({ names: ['Lead contact'], total: 1 });
    expect(await search(workspace, 'marq')).toEqual({ names: ['Lead contact'], total: 1 });
    expect(await search(workspace, 'initech')).toEqual({ names: ['Lead email'], total: 1 });
    expect(await search(workspace, 'quinn@initech.io')).toEqual({ names: ['Lead email'], total: 1 });
    expect(await search(workspace, 'umbrella')).toEqual({ names: ['Lead domain'], total: 1 });
    expect(await search(workspace, 'astro')).toEqual({ names: ['Lead job'], total: 1 });
    expect(await search(workspace, '612345')).toEqual({ names: ['Lead phone'], total: 1 });
    expect(await search(workspace, 'kumquat')).toEqual({ names: ['Lead notes'], total: 1 });
    expect(await search(workspace, 'Reykjavik')).toEqual({ names: [], total: 0 });
    expect(await search(workspace, 'nothing-like-it')).toEqual({ names: [], total: 0 });
    // Every word must match.
    expect(await search(workspace, 'lead job')).toEqual({ names: ['Lead job'], total: 1 });
  });

  it('ranks a match in a heavier field first', async () => {
    await records.create(workspace.id, 'lead', { name: 'Falcon notes', notes: { blocknote: '[]', markdown: 'pelican' } });
    await records.create(workspace.id, 'lead', { name: 'Pelican' });
    expect((await search(workspace, 'pelican')).names).toEqual(['Pelican', 'Falcon notes']);
  });

  it('keeps the vector current on insert and update, through the API or not', async () => {
    await records.update(workspace.id, 'lead', ids['Lead job'], { jobTitle: 'Botanist' });
    expect(await search(workspace, 'astronaut')).toEqual({ names: [], total: 0 });
    expect(await search(workspace, 'botanist')).toEqual({ names: ['Lead job'], total: 1 });
    await db.client.query(`INSERT INTO "${workspace.schemaName}".lead ("name", "jobTitle") VALUES ('Raw insert', 'Wombat keeper')`);
    expect(await search(workspace, 'wombat')).toEqual({ names: ['Raw insert'], total: 1 });
    await db.client.query(`UPDATE "${workspace.schemaName}".lead SET "contactLastName" = 'Okafor' WHERE "name" = 'Raw insert'`);
    const { rows } = await db.client.query(
      `SELECT "searchVector"::text AS vector FROM "${workspace.schemaName}".lead WHERE "name" = 'Raw insert'`,
    );
    expect(rows[0].vector).toContain(`'okafor':`);
    expect(rows[0].vector).toContain(`'wombat':`);
    // A write that leaves the indexed fields alone does not touch the vector.
    await db.client.query(`UPDATE "${workspace.schemaName}".lead SET "city" = 'Oslo' WHERE "name" = 'Raw insert'`);
    expect(await search(workspace, 'okafor')).toEqual({ names: ['Raw insert'], total: 1 });
  });

  it('has a GIN index on the search column, with its metadata row', async () => {
    const { rows } = await db.client.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'lead'`, [
      workspace.schemaName,
    ]);
    expect(rows.map((row) => row.indexdef)).toContainEqual(expect.stringContaining('USING gin ("searchVector")'));
    const metadata = await db.client.query(
      `SELECT i."columns" FROM metadata."indexMetadata" i JOIN metadata."objectMetadata" o ON o."id" = i."objectMetadataId"
        WHERE i."workspaceId" = $1 AND o."nameSingular" = 'lead'`,
      [workspace.id],
    );
    expect(metadata.rows.map((row) => row.columns)).toContainEqual(['searchVector']);
  });

  it('refuses a search on an object without a search field, and a search without a word', async () => {
    await expect(records.list(workspace.id, 'workspaceMember', { search: 'ada' })).rejects.toThrow(
      'workspaceMember has no search field, so it cannot be searched',
    );
    await expect(records.list(workspace.id, 'lead', { search: ' -- ' })).rejects.toThrow('search needs at least one letter or digit');
    await expect(records.list(workspace.id, 'lead', { search: 'x'.repeat(201) })).rejects.toThrow('at most 200 characters');
  });

  it('leaves the search field out of records, writes and CSV', async () => {
    const record = await records.get(workspace.id, 'lead', ids.Globex);
    expect(record).not.toHaveProperty('searchVector');
    await expect(records.update(workspace.id, 'lead', ids.Globex, { searchVector: 'x' })).rejects.toThrow(
      '"searchVector" is not a field of this object',
    );
    let csv = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        csv += chunk.toString();
        done();
      },
    });
    await new RecordCsvService(db.dataSource).export(workspace.id, 'lead', () => sink);
    const header = csv.split('\n')[0];
    expect(header).toContain('Notes / Markdown');
    expect(header).not.toMatch(/search/i);
  });

  it('never puts the search field in a view: not in the default view, refused as a view field, filter or sort', async () => {
    const { rows } = await db.client.query(
      `SELECT f."id" FROM metadata."fieldMetadata" f WHERE f."workspaceId" = $1 AND f."standardId" = $2`,
      [workspace.id, LEAD_IDS.searchVector],
    );
    const searchFieldId = rows[0].id;
    const shown = await db.client.query(
      `SELECT count(*)::int AS count FROM "${workspace.schemaName}"."viewField" WHERE "fieldMetadataId" = $1`,
      [searchFieldId],
    );
    expect(shown.rows[0].count).toBe(0);
    const [{ id: viewId }] = (
      await db.client.query(
        `SELECT v."id" FROM "${workspace.schemaName}".view v JOIN metadata."objectMetadata" o ON o."id" = v."objectMetadataId" WHERE o."nameSingular" = 'lead' AND o."workspaceId" = $1`,
        [workspace.id],
      )
    ).rows;
    const refused = 'a search field kept by the database: it cannot be shown, filtered or sorted in a view';
    await expect(records.create(workspace.id, 'viewField', { viewId, fieldMetadataId: searchFieldId, position: 9 })).rejects.toThrow(
      refused,
    );
    await expect(
      records.create(workspace.id, 'viewFilter', {
        viewId,
        fieldMetadataId: searchFieldId,
        operand: 'contains',
        value: 'x',
        displayValue: 'x',
      }),
    ).rejects.toThrow(refused);
    await expect(records.create(workspace.id, 'viewSort', { viewId, fieldMetadataId: searchFieldId, direction: 'asc' })).rejects.toThrow(
      refused,
    );
  });

  it('is not creatable as a custom field', async () => {
    const custom = new CustomMetadataService(db.dataSource, declared);
    await expect(custom.createField(workspace.id, 'lead', { name: 'mySearch', label: 'My search', type: 'TS_VECTOR' })).rejects.toThrow(
      'TS_VECTOR fields are search fields declared with the standard objects, kept by the database; they cannot be created by users',
    );
  });

  it('a workspace that gets the search field by sync finds its existing records, and equals a fresh one', async () => {
    const older = await create(withoutSearch(), 'Before search');
    for (const lead of LEADS) await records.create(older.id, 'lead', lead);
    await expect(records.list(older.id, 'lead', { search: 'globex' })).rejects.toThrow('lead has no search field');
    const outcome = await sync(declared, older);
    expect(outcome.status).toBe('applied');
    expect(outcome.plan!.actions.map((action) => action.summary)).toEqual(
      expect.arrayContaining([
        'create field lead.searchVector (TS_VECTOR)',
        'keep search field lead.searchVector current from name (A), contact (A), emails (B), domain (B), jobTitle (C), phones (C), notes (D), filling existing rows',
      ]),
    );
    expect(await search(older, 'initech')).toEqual({ names: ['Lead email'], total: 1 });
    expect(await search(older, 'kumquat')).toEqual({ names: ['Lead notes'], total: 1 });
    expect(await search(older, 'zelda')).toEqual({ names: ['Lead contact'], total: 1 });
    await expectConverged(declared, older.id);
    await expectSameAsFresh(older.id, declared);
  });

  it('a search field that leaves the declarations is kept (and kept current) as custom; with DROPS_DATA it goes with its trigger', async () => {
    const leaving = await create(declared, 'Leaving');
    await records.create(leaving.id, 'lead', { name: 'Kept' });
    const kept = await sync(withoutSearch(), leaving);
    expect(kept.status).toBe('applied');
    await records.create(leaving.id, 'lead', { name: 'Still indexed' });
    expect(await search(leaving, 'still')).toEqual({ names: ['Still indexed'], total: 1 });
    // Kept as custom: its trigger writes it by name, so it keeps its name, and goes with its trigger.
    const custom = new CustomMetadataService(db.dataSource, withoutSearch());
    await expect(custom.updateField(leaving.id, 'lead', 'searchVector', { name: 'renamedSearch' })).rejects.toThrow(
      'lead.searchVector is a system field and cannot be changed',
    );
    await custom.deleteField(leaving.id, 'lead', 'searchVector', { force: true });
    expect((await records.create(leaving.id, 'lead', { name: 'After delete' })).name).toBe('After delete');
    await expectSameAsFresh(leaving.id, withoutSearch());

    const dropping = await create(declared, 'Dropping');
    await records.create(dropping.id, 'lead', { name: 'Before drop' });
    const dropped = await sync(withoutSearch(), dropping, { allowHazards: new Set([Hazard.DROPS_DATA]) });
    expect(dropped.status).toBe('applied');
    expect(dropped.plan!.actions.map((action) => action.kind)).toContain('DROP_FIELD');
    const functions = await db.client.query(
      `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname LIKE 'lead%'`,
      [dropping.schemaName],
    );
    expect(functions.rows).toEqual([]);
    expect((await records.create(dropping.id, 'lead', { name: 'After drop', jobTitle: 'Pilot' })).name).toBe('After drop');
    await expectSameAsFresh(dropping.id, withoutSearch());
  });

  it('workspace:health reports a search trigger or function dropped by hand; sync --check recreates them and refills the column', async () => {
    const drifted = await create(declared, 'Search drift');
    const health = async () =>
      checkWorkspaceHealth(await new ActualStateRepository(db.dataSource.manager).read(drifted.id, drifted.schemaName)).map(
        ({ kind, table, column, message }) => ({ kind, table, column, message }),
      );
    const remedy = 'its column is no longer kept current; run workspace:sync-metadata --check to recreate it and refill the column';
    expect(await health()).toEqual([]);

    await db.client.query(`DROP TRIGGER "searchVector_search" ON "${drifted.schemaName}"."lead"`);
    expect(await health()).toEqual([
      {
        kind: 'MISSING_SEARCH_TRIGGER',
        table: 'lead',
        column: 'searchVector',
        message: `search field lead.searchVector has no trigger searchVector_search on lead: ${remedy}`,
      },
    ]);
    // Written while the trigger is gone: not found.
    await records.create(drifted.id, 'lead', { name: 'Unindexed', jobTitle: 'Cartographer' });
    expect(await search(drifted, 'cartographer')).toEqual({ names: [], total: 0 });

    await db.client.query(`DROP FUNCTION "${drifted.schemaName}"."lead_searchVector_search"() CASCADE`);
    expect((await health()).map((issue) => [issue.kind, issue.message])).toEqual([
      ['MISSING_SEARCH_FUNCTION', `search field lead.searchVector has no function lead_searchVector_search: ${remedy}`],
      ['MISSING_SEARCH_TRIGGER', `search field lead.searchVector has no trigger searchVector_search on lead: ${remedy}`],
    ]);

    // The fingerprint still says in sync: a plain sync has nothing to do, --check reads the live schema.
    expect((await sync(declared, await reload(drifted.id))).status).toBe('up-to-date');
    const repaired = await sync(declared, await reload(drifted.id), { check: true });
    expect({ status: repaired.status, actions: repaired.plan?.actions.map((action) => action.summary) }).toEqual({
      status: 'applied',
      actions: [
        'keep search field lead.searchVector current from name (A), contact (A), emails (B), domain (B), jobTitle (C), phones (C), notes (D), filling existing rows',
      ],
    });
    expect(await health()).toEqual([]);
    expect(await search(drifted, 'cartographer')).toEqual({ names: ['Unindexed'], total: 1 });
    await records.create(drifted.id, 'lead', { name: 'Indexed again', jobTitle: 'Navigator' });
    expect(await search(drifted, 'navigator')).toEqual({ names: ['Indexed again'], total: 1 });
    await expectConverged(declared, drifted.id);
    await expectSameAsFresh(drifted.id, declared);
  });
});
