import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bearer, createWorkspaceWithKey, footprint, HttpTest, startHttpTest } from '../http/http-test-app';
import { runCli } from '../utils/cli';
import { csvHelpers } from './csv-test-support';

const CUSTOM_FIELDS = [
  { name: 'nickname', label: 'Nickname', type: 'TEXT' },
  { name: 'tags', label: 'Tags', type: 'ARRAY' },
  {
    name: 'stage',
    label: 'Stage',
    type: 'SELECT',
    options: [
      { value: 'LEAD', label: 'Lead' },
      { value: 'WON', label: 'Won' },
    ],
  },
  {
    name: 'skills',
    label: 'Skills',
    type: 'MULTI_SELECT',
    options: [
      { value: 'SQL', label: 'SQL' },
      { value: 'GO', label: 'Go' },
    ],
  },
  { name: 'score', label: 'Score', type: 'NUMBER' },
  { name: 'meta', label: 'Meta', type: 'RAW_JSON' },
  { name: 'seenAt', label: 'Seen At', type: 'DATE_TIME' },
  { name: 'links', label: 'Links', type: 'LINKS' },
];

/**
 * CSV values, not only files: an export imported into a fresh workspace gives the same values in
 * every column (NULL and empty text apart, microseconds, positions); formulas neutralised on export
 * and restored on import; declared charsets honoured and invalid UTF-8 refused with its line; many
 * bad rows reported without exhausting the database.
 */
describe('CSV values', () => {
  let test: HttpTest;
  let cwd: string;

  beforeAll(async () => {
    test = await startHttpTest();
    cwd = mkdtempSync(join(tmpdir(), 'wms-csv-values-'));
  });

  afterAll(async () => {
    await test.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  const { api, exportCsv, importCsv, withCustomFields } = csvHelpers(() => test, CUSTOM_FIELDS);
  /** Every column of every row, as JSON built in SQL: NULL is not '', microseconds are kept. */
  const rowsOf = async (schema: string, table: string) =>
    (await test.client.query(`SELECT to_jsonb(t) AS row FROM "${schema}"."${table}" t ORDER BY "id"`)).rows.map((row) => row.row);

  it('imports an export into a fresh workspace with the same value in every column of every row', async () => {
    const source = await createWorkspaceWithKey(test, { displayName: 'Values source' });
    await withCustomFields(source);
    const records = [
      {
        name: { firstName: '', lastName: 'Empty first' },
        nickname: '',
        tags: ['a,b', ''],
        stage: 'WON',
        skills: ['SQL', 'GO'],
        score: 1.7976931348623157e308,
        meta: { nested: [1, 'two', null], quote: '"' },
        links: { primaryLinkUrl: 'https://a.example', primaryLinkLabel: '', secondaryLinks: [] },
      },
      { name: { firstName: null, lastName: 'Null first' }, nickname: null, tags: null, stage: null, skills: null, score: 5e-324 },
      { name: { firstName: 'Edge', lastName: 'Numbers' }, nickname: 'x', score: 0.30000000000000004, meta: 'a string' },
    ];
    for (const record of records) expect((await api(source, 'post', '/objects/person/records').send(record)).status).toBe(201);
    await test.client.query(
      `UPDATE "${source.schemaName}"."person" SET "createdAt" = '2024-01-02 03:04:05.123456+00',
         "updatedAt" = '2024-05-06 07:08:09.000001+00', "seenAt" = '1999-12-31 23:59:59.999999+00',
         "position" = CASE WHEN "nameLastName" = 'Null first' THEN NULL ELSE 0.1 + length("nameLastName") END`,
    );
    await test.client.query(`UPDATE "${source.schemaName}"."company" SET "position" = -2.5 WHERE "name" = 'Stripe'`);

    const companies = await exportCsv(source, 'company');
    const people = await exportCsv(source, 'person');
    expect(people.split('\n')[0].split(',')).toEqual(expect.arrayContaining(['Position', 'Creation date']));
    expect(people).toContain('2024-01-02T03:04:05.123456Z');

    const target = await createWorkspaceWithKey(test, { displayName: 'Values target', prefill: false });
    await withCustomFields(target);
    expect((await importCsv(target, 'company', companies)).body).toMatchObject({ imported: 5, skipped: 0 });
    expect((await importCsv(target, 'person', people)).body).toMatchObject({ imported: 8, skipped: 0 });

    expect(await rowsOf(target.schemaName, 'company')).toEqual(await rowsOf(source.schemaName, 'company'));
    const sourcePeople = await rowsOf(source.schemaName, 'person');
    expect(await rowsOf(target.schemaName, 'person')).toEqual(sourcePeople);
    const byLast = (last: string) => sourcePeople.find((row) => row.nameLastName === last);
    expect(byLast('Empty first')).toMatchObject({ nameFirstName: '', nickname: '', position: 11.1 });
    expect(byLast('Null first')).toMatchObject({ nameFirstName: null, nickname: null, position: null });
    expect(byLast('Numbers')).toMatchObject({ createdAt: '2024-01-02T03:04:05.123456+00:00' });

    // The same file with one short row goes row by row (its batch is not well-formed): same values.
    const byRow = await createWorkspaceWithKey(test, { displayName: 'Values row by row', prefill: false });
    await withCustomFields(byRow);
    expect((await importCsv(byRow, 'company', `${companies}short,row\n`, '?skipInvalid=true')).body).toMatchObject({
      imported: 5,
      skipped: 1,
    });
    expect((await importCsv(byRow, 'person', `${people}short,row\n`, '?skipInvalid=true')).body).toMatchObject({ imported: 8, skipped: 1 });
    expect(await rowsOf(byRow.schemaName, 'company')).toEqual(await rowsOf(source.schemaName, 'company'));
    expect(await rowsOf(byRow.schemaName, 'person')).toEqual(sourcePeople);
  });

  it('neutralises formulas on export by default and imports the escaped file back to the original values', async () => {
    const source = await createWorkspaceWithKey(test, { displayName: 'Formulas', prefill: false });
    await withCustomFields(source);
    const values = [
      '=HYPERLINK("http://evil.example","x")',
      '+1 555',
      '-2+3',
      '@SUM(A1)',
      '\tTab',
      '\rReturn',
      "'=quoted",
      "''=twice",
      "'plain",
    ];
    for (const [index, nickname] of values.entries()) {
      const created = await api(source, 'post', '/objects/person/records').send({
        name: { firstName: `F${index}`, lastName: '' },
        nickname,
      });
      expect(created.status).toBe(201);
    }
    const escaped = await exportCsv(source, 'person');
    expect(escaped).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(escaped).toContain("'+1 555");
    expect(escaped).toContain("'-2+3");
    expect(escaped).toContain("'@SUM(A1)");
    expect(escaped).toContain("'\tTab");
    expect(escaped).toContain("''=quoted");
    expect(escaped).toContain("'''=twice");
    expect(escaped).toMatch(/,'plain,/);
    expect(escaped).not.toMatch(/(^|,)"?[=+@]/m);

    const raw = await exportCsv(source, 'person', '?formulaEscape=false');
    expect(raw).toContain('"=HYPERLINK(');
    expect(
      (await test.http().get(`/workspaces/${source.workspaceId}/objects/person/records/export?formulaEscape=maybe`).set(bearer(source.key)))
        .status,
    ).toBe(400);

    const target = await createWorkspaceWithKey(test, { displayName: 'Formulas target', prefill: false });
    await withCustomFields(target);
    expect((await importCsv(target, 'person', escaped)).body).toMatchObject({ imported: values.length, skipped: 0 });
    expect(await rowsOf(target.schemaName, 'person')).toEqual(await rowsOf(source.schemaName, 'person'));

    const env = { DATABASE_URL: test.database.url };
    const rawFile = join(cwd, 'formulas-raw.csv');
    const cliExport = await runCli(
      ['records:export', '-w', source.workspaceId, '--object', 'person', '--file', rawFile, '--no-formula-escape'],
      env,
    );
    expect(cliExport.code).toBe(0);
    expect(readFileSync(rawFile, 'utf8')).toBe(raw);

    const unescapedTarget = await createWorkspaceWithKey(test, { displayName: 'Formulas raw', prefill: false });
    await withCustomFields(unescapedTarget);
    expect((await importCsv(unescapedTarget, 'person', raw, '?formulaEscape=false')).body).toMatchObject({ imported: values.length });
    expect(await rowsOf(unescapedTarget.schemaName, 'person')).toEqual(await rowsOf(source.schemaName, 'person'));

    const cliTarget = await createWorkspaceWithKey(test, { displayName: 'Formulas CLI', prefill: false });
    await withCustomFields(cliTarget);
    const cliImport = await runCli(
      ['records:import', '-w', cliTarget.workspaceId, '--object', 'person', '--file', rawFile, '--no-formula-escape'],
      env,
    );
    expect(cliImport.code).toBe(0);
    expect(await rowsOf(cliTarget.schemaName, 'person')).toEqual(await rowsOf(source.schemaName, 'person'));
  });

  it('honours the declared charset, refuses invalid UTF-8 with its line, and accepts a UTF-8 BOM', async () => {
    const ws = await createWorkspaceWithKey(test, { displayName: 'Charsets', prefill: false });
    const latin1 = Buffer.concat([
      Buffer.from('Name / First Name,City\nAda,London\n'),
      Buffer.from([0x4a, 0xf6, 0x72, 0x67]),
      Buffer.from(',Köln\n', 'latin1'),
    ]);
    const before = await footprint(test.client);
    const refused = await importCsv(ws, 'person', latin1);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/line 3: the file is not valid UTF-8/);
    expect(refused.body.message).toMatch(/charset/);
    const unknown = await importCsv(ws, 'person', latin1, '', 'text/csv; charset=klingon');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/"klingon"/);
    expect(await footprint(test.client)).toEqual(before);

    const accepted = await importCsv(ws, 'person', latin1, '', 'text/csv; charset=ISO-8859-1');
    expect(accepted.body).toMatchObject({ imported: 2, skipped: 0 });
    const bom = await importCsv(
      ws,
      'person',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Name / First Name,City\nZoë,Zürich\n')]),
    );
    expect(bom.body).toMatchObject({ imported: 1 });
    const file = join(cwd, 'latin1.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('Name / First Name,City\n'), Buffer.from('Søren,Århus\n', 'latin1')]));
    const env = { DATABASE_URL: test.database.url };
    const bad = await runCli(['records:import', '-w', ws.workspaceId, '--object', 'person', '--file', file], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/line 2: the file is not valid UTF-8/);
    const unknownCli = await runCli(
      ['records:import', '-w', ws.workspaceId, '--object', 'person', '--file', file, '--encoding', 'klingon'],
      env,
    );
    expect(unknownCli.code).toBe(2);
    expect(unknownCli.stderr).toMatch(/the charset "klingon" is not supported/);
    const cli = await runCli(['records:import', '-w', ws.workspaceId, '--object', 'person', '--file', file, '--encoding', 'latin1'], env);
    expect(cli.code).toBe(0);
    const names = await test.client.query(`SELECT "nameFirstName" AS name, "city" FROM "${ws.schemaName}"."person" ORDER BY 1`);
    expect(names.rows).toEqual([
      { name: 'Ada', city: 'London' },
      { name: 'Jörg', city: 'Köln' },
      { name: 'Søren', city: 'Århus' },
      { name: 'Zoë', city: 'Zürich' },
    ]);
  });

  it('reports 14,000 bad rows (missing companies, a file imported twice) without running out of locks', async () => {
    const env = { DATABASE_URL: test.database.url };
    const ws = await createWorkspaceWithKey(test, { displayName: 'Many bad rows', prefill: false });
    const ghost = '00000000-0000-4000-8000-000000000000';
    const lines = ['Name / First Name,Company Id'];
    for (let index = 0; index < 14_000; index += 1) lines.push(`P${index},${ghost}`);
    lines.push('Fine,');
    const file = join(cwd, 'orphans.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const before = await footprint(test.client);
    const refused = await runCli(['records:import', '-w', ws.workspaceId, '--object', 'person', '--file', file], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^line 2: companyId does not name an existing company record$/m);
    expect(refused.stderr).toMatch(/14000 bad row\(s\) \(the first 1000 are listed\); nothing was imported/);
    expect(refused.stderr.split('\n').filter((line) => line.startsWith('line '))).toHaveLength(1000);
    expect(await footprint(test.client)).toEqual(before);

    const skipped = await runCli(
      ['records:import', '-w', ws.workspaceId, '--object', 'person', '--file', file, '--skip-invalid', '--json'],
      env,
    );
    expect(skipped.code).toBe(0);
    const result = JSON.parse(skipped.stdout);
    expect(result).toMatchObject({ imported: 1, skipped: 14_000 });
    expect(result.errors).toHaveLength(1000);

    const exported = join(cwd, 'people.csv');
    const many = ['Name / First Name,Emails / Primary Email'];
    for (let index = 0; index < 14_000; index += 1) many.push(`P${index},p${index}@example.com`);
    writeFileSync(file, `${many.join('\n')}\n`);
    expect((await runCli(['records:import', '-w', ws.workspaceId, '--object', 'person', '--file', file], env)).code).toBe(0);
    expect((await runCli(['records:export', '-w', ws.workspaceId, '--object', 'person', '--file', exported], env)).code).toBe(0);
    const twice = await importCsv(ws, 'person', readFileSync(exported));
    expect(twice.status).toBe(400);
    expect(twice.body.message).toMatch(/14001 bad row\(s\), nothing imported/);
    expect(twice.body.errors).toHaveLength(1000);
    expect(twice.body.errors[0]).toEqual({ line: 2, message: expect.stringMatching(/already exists|another record already has/) });
    expect((await test.client.query(`SELECT count(*)::int AS n FROM "${ws.schemaName}"."person"`)).rows[0].n).toBe(14_001);
  });
});
