import { bearer, createWorkspaceWithKey, HttpTest, startHttpTest } from '../http/http-test-app';
import { runCli } from '../utils/cli';
import { csvHelpers, Workspace } from './csv-test-support';

const BRIEF = { name: 'brief', label: 'Brief', type: 'RICH_TEXT_V2' };

/** A BlockNote document as the editor saves it: JSON text of a list of blocks. */
const BLOCKNOTE = JSON.stringify([
  { id: 'b1', type: 'heading', props: { level: 1 }, content: [{ type: 'text', text: 'Plan, "Q3"', styles: {} }], children: [] },
  { id: 'b2', type: 'paragraph', props: {}, content: [{ type: 'text', text: 'Ship the kumquat release', styles: { bold: true } }] },
]);
const MARKDOWN = '# Plan, "Q3"\n\n**Ship the kumquat release**\n\n=SUM(A1) is not a formula here';

/**
 * RICH_TEXT_V2 custom fields (blocknote and markdown): created through the CLI and the HTTP API,
 * values kept by the records API and by a CSV round trip (compared in SQL), a view filters on the
 * markdown; the legacy RICH_TEXT cannot be created but an old workspace's field still reads.
 */
describe('RICH_TEXT_V2 fields', () => {
  let test: HttpTest;
  let source: Workspace;

  beforeAll(async () => {
    test = await startHttpTest();
    source = await createWorkspaceWithKey(test, { displayName: 'Rich text', prefill: false });
  });

  afterAll(async () => {
    await test.close();
  });

  const { api, exportCsv, importCsv, withCustomFields } = csvHelpers(() => test, [BRIEF]);
  const briefColumns = async (ws: Workspace) =>
    (
      await test.client.query(
        `SELECT "id", "briefBlocknote", "briefMarkdown" FROM "${ws.schemaName}"."person" WHERE "briefBlocknote" IS NOT NULL OR "briefMarkdown" IS NOT NULL ORDER BY "id"`,
      )
    ).rows;

  it('is created by field:create with its two columns and metadata', async () => {
    const created = await runCli(
      [
        'field:create',
        '-w',
        source.workspaceId,
        '--object',
        'company',
        '--name',
        'summary',
        '--type',
        'RICH_TEXT_V2',
        '--label',
        'Summary',
      ],
      { DATABASE_URL: test.database.url },
    );
    expect(created.code).toBe(0);
    const { rows } = await test.client.query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'company' AND column_name LIKE 'summary%' ORDER BY 1`,
      [source.schemaName],
    );
    expect(rows).toEqual([
      { column_name: 'summaryBlocknote', data_type: 'text' },
      { column_name: 'summaryMarkdown', data_type: 'text' },
    ]);
    const field = await test.client.query(
      `SELECT f."type", f."isCustom" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
        WHERE f."workspaceId" = $1 AND o."nameSingular" = 'company' AND f."name" = 'summary'`,
      [source.workspaceId],
    );
    expect(field.rows).toEqual([{ type: 'RICH_TEXT_V2', isCustom: true }]);
  });

  it('is created over HTTP and keeps both parts through the records API', async () => {
    await withCustomFields(source);
    const created = await api(source, 'post', '/objects/person/records').send({
      name: { firstName: 'Ada', lastName: 'Lovelace' },
      brief: { blocknote: BLOCKNOTE, markdown: MARKDOWN },
    });
    expect(created.status).toBe(201);
    expect(created.body.brief).toEqual({ blocknote: BLOCKNOTE, markdown: MARKDOWN });
    const read = await api(source, 'get', `/objects/person/records/${created.body.id}`);
    expect(read.body.brief).toEqual({ blocknote: BLOCKNOTE, markdown: MARKDOWN });
    expect(await briefColumns(source)).toEqual([{ id: created.body.id, briefBlocknote: BLOCKNOTE, briefMarkdown: MARKDOWN }]);

    const other = await api(source, 'post', '/objects/person/records').send({
      name: { firstName: 'Bob', lastName: 'Only markdown' },
      brief: { markdown: 'plain *notes*' },
    });
    expect(other.body.brief).toEqual({ blocknote: null, markdown: 'plain *notes*' });
  });

  it('refuses a blocknote that is not a BlockNote document, writing nothing', async () => {
    const before = await briefColumns(source);
    const refused = await api(source, 'post', '/objects/person/records').send({
      name: { firstName: 'Bad', lastName: 'Doc' },
      brief: { blocknote: '# not json', markdown: 'x' },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('brief.blocknote must be a BlockNote document as JSON text');
    expect(await briefColumns(source)).toEqual(before);
  });

  it('round-trips through CSV (a BlockNote cell and a Markdown cell) into a fresh workspace, values equal in SQL', async () => {
    const people = await exportCsv(source, 'person');
    const header = people.split('\n')[0].split(',');
    expect(header).toEqual(expect.arrayContaining(['Brief / BlockNote', 'Brief / Markdown']));
    const target = await createWorkspaceWithKey(test, { displayName: 'Rich text target', prefill: false });
    await withCustomFields(target);
    const imported = await importCsv(target, 'person', people);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ skipped: 0, errors: [] });
    expect(await briefColumns(target)).toEqual(await briefColumns(source));
    expect(await exportCsv(target, 'person')).toBe(people);
  });

  it('filters a view on the markdown', async () => {
    const [{ fieldId, objectId }] = (
      await test.client.query(
        `SELECT f."id" AS "fieldId", o."id" AS "objectId" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
          WHERE f."workspaceId" = $1 AND o."nameSingular" = 'person' AND f."name" = 'brief'`,
        [source.workspaceId],
      )
    ).rows;
    const view = await api(source, 'post', '/objects/view/records').send({
      name: 'Kumquat',
      objectMetadataId: objectId,
      type: 'table',
      key: 'INDEX',
      icon: '',
      position: 5,
    });
    expect(view.status).toBe(201);
    const filter = await api(source, 'post', '/objects/viewFilter/records').send({
      viewId: view.body.id,
      fieldMetadataId: fieldId,
      operand: 'contains',
      value: 'kumquat',
      displayValue: 'kumquat',
    });
    expect(filter.status).toBe(201);
    const listed = await api(source, 'get', `/objects/person/records?viewId=${view.body.id}`);
    expect(listed.status).toBe(200);
    expect(listed.body.records.map((record: { name: { firstName: string } }) => record.name.firstName)).toEqual(['Ada']);
  });

  it('refuses to create a legacy RICH_TEXT field, over HTTP and by field:create', async () => {
    const refused = await api(source, 'post', '/objects/person/fields').send({ name: 'oldNotes', label: 'Old notes', type: 'RICH_TEXT' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('RICH_TEXT is a legacy type');
    expect(JSON.stringify(refused.body)).toContain('use RICH_TEXT_V2');
    const cli = await runCli(
      ['field:create', '-w', source.workspaceId, '--object', 'person', '--name', 'oldNotes', '--type', 'RICH_TEXT'],
      {
        DATABASE_URL: test.database.url,
      },
    );
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain('use RICH_TEXT_V2');
    const { rows } = await test.client.query(
      `SELECT count(*)::int AS n FROM metadata."fieldMetadata" WHERE "workspaceId" = $1 AND "name" = 'oldNotes'`,
      [source.workspaceId],
    );
    expect(rows[0].n).toBe(0);
  });

  it("still reads and writes an old workspace's legacy RICH_TEXT field", async () => {
    const [{ id: objectId }] = (
      await test.client.query(`SELECT "id" FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "nameSingular" = 'person'`, [
        source.workspaceId,
      ])
    ).rows;
    await test.client.query(
      `INSERT INTO metadata."fieldMetadata" ("workspaceId", "objectMetadataId", "name", "label", "type", "isCustom", "isNullable")
       VALUES ($1, $2, 'legacyBody', 'Legacy body', 'RICH_TEXT', true, true)`,
      [source.workspaceId, objectId],
    );
    await test.client.query(`ALTER TABLE "${source.schemaName}"."person" ADD COLUMN "legacyBody" text`);
    await test.client.query(
      `UPDATE "${source.schemaName}"."person" SET "legacyBody" = '<p>old <b>html</b></p>' WHERE "nameFirstName" = 'Ada'`,
    );
    const listed = await api(source, 'get', '/objects/person/records');
    const ada = listed.body.records.find((record: { name: { firstName: string } }) => record.name.firstName === 'Ada');
    expect(ada.legacyBody).toBe('<p>old <b>html</b></p>');
    const updated = await test
      .http()
      .patch(`/workspaces/${source.workspaceId}/objects/person/records/${ada.id}`)
      .set(bearer(source.key))
      .send({ legacyBody: 'new text' });
    expect(updated.status).toBe(200);
    expect(updated.body.legacyBody).toBe('new text');
  });
});
