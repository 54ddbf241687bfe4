import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ADMIN_KEY, bearer, createWorkspaceWithKey, footprint, HttpTest, startHttpTest } from '../http/http-test-app';
import { runCli } from '../utils/cli';
import { csvHelpers } from './csv-test-support';

const CUSTOM_FIELDS = [
  { name: 'tags', label: 'Tags', type: 'ARRAY' },
  {
    name: 'skills',
    label: 'Skills',
    type: 'MULTI_SELECT',
    options: [
      { value: 'SQL', label: 'SQL' },
      { value: 'GO', label: 'Go' },
      { value: 'RUST', label: 'Rust' },
    ],
  },
  { name: 'score', label: 'Score', type: 'NUMBER' },
  { name: 'birthday', label: 'Birthday', type: 'DATE' },
  { name: 'links', label: 'Links', type: 'LINKS' },
];

/**
 * CSV export and import: one column per composite subfield with readable headers, ARRAY and
 * MULTI_SELECT cells, a byte-identical round trip into a fresh workspace, every bad row reported
 * with its line and nothing imported, and files of 0.22 workspaces mapped onto 0.23 fields.
 */
describe('CSV import and export', () => {
  let test: HttpTest;
  let cwd: string;

  beforeAll(async () => {
    test = await startHttpTest();
    cwd = mkdtempSync(join(tmpdir(), 'wms-csv-'));
  });

  afterAll(async () => {
    await test.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  const { api, exportCsv, importCsv, withCustomFields } = csvHelpers(() => test, CUSTOM_FIELDS);

  it('exports one column per subfield with readable headers, and round-trips byte for byte into a fresh workspace', async () => {
    const source = await createWorkspaceWithKey(test, { displayName: 'Source' });
    await withCustomFields(source);
    const [stripe] = (await test.client.query(`SELECT "id" FROM "${source.schemaName}"."company" WHERE "name" = 'Stripe'`)).rows;
    const tricky = [
      {
        name: { firstName: 'Zoë', lastName: 'O\'Brien, "Jr."' },
        emails: { primaryEmail: 'zoe@example.com', additionalEmails: ['z@a.example', 'z,b@example.com'] },
        tags: ['a,b', 'say "hi"', ''],
        skills: ['SQL', 'RUST'],
        score: 0.1,
        birthday: '1990-02-28',
        jobTitle: 'line one\nline two',
        companyId: stripe.id,
        links: {
          primaryLinkUrl: 'https://zoe.example',
          primaryLinkLabel: 'Blog',
          secondaryLinks: [{ url: 'https://x.example', label: 'X' }],
        },
      },
      {
        name: { firstName: '', lastName: '' },
        emails: { primaryEmail: null, additionalEmails: null },
        tags: [],
        skills: [],
        score: -12345.678,
        city: '  padded  ',
      },
      { name: { firstName: 'Null', lastName: 'Values' }, tags: null, skills: null, score: null, birthday: null },
    ];
    for (const record of tricky) {
      const created = await api(source, 'post', '/objects/person/records').send(record);
      expect(created.status).toBe(201);
    }

    const companies = await exportCsv(source, 'company');
    const people = await exportCsv(source, 'person');
    const header = people.split('\n')[0].split(',');
    expect(header[0]).toBe('Id');
    expect(header).toEqual(
      expect.arrayContaining([
        'Emails / Primary Email',
        'Emails / Additional Emails',
        'Name / First Name',
        'Name / Last Name',
        'Tags',
        'Skills',
        'Company Id',
        'Links / Primary Link URL',
        'Links / Secondary Links',
      ]),
    );
    expect(companies.split('\n')[0]).toContain('Domain Name / Primary Link URL');
    expect(companies.split('\n')[0]).toContain('Address / City');
    expect(people).toContain('"[""a,b"",""say \\""hi\\"""",""""]"');
    expect(people).toContain(',"SQL,RUST",');
    expect(people).toContain('"line one\nline two"');
    expect(people.split('\n').filter((line) => line.length > 0)).toHaveLength(1 + 5 + 3 + 1);

    const target = await createWorkspaceWithKey(test, { displayName: 'Target', prefill: false });
    await withCustomFields(target);
    const importedCompanies = await importCsv(target, 'company', companies);
    expect(importedCompanies.body).toEqual({ object: 'company', imported: 5, skipped: 0, errors: [] });
    const importedPeople = await importCsv(target, 'person', people);
    expect(importedPeople.status).toBe(200);
    expect(importedPeople.body).toMatchObject({ imported: 8, skipped: 0 });

    expect(await exportCsv(target, 'company')).toBe(companies);
    expect(await exportCsv(target, 'person')).toBe(people);
    const [zoe] = (
      await test.client.query(
        `SELECT "tags", "skills"::text[] AS skills, "emailsAdditionalEmails", "jobTitle" FROM "${target.schemaName}"."person" WHERE "nameFirstName" = 'Zoë'`,
      )
    ).rows;
    expect(zoe).toEqual({
      tags: ['a,b', 'say "hi"', ''],
      skills: ['SQL', 'RUST'],
      emailsAdditionalEmails: ['z@a.example', 'z,b@example.com'],
      jobTitle: 'line one\nline two',
    });
  });

  it('reports every bad row with its line number and imports nothing; with skipInvalid, imports the rest', async () => {
    const ws = await createWorkspaceWithKey(test, { displayName: 'Bad rows', prefill: false });
    await withCustomFields(ws);
    const csv = [
      'Name / First Name,Emails / Primary Email,Score,Skills,Tags,Company Id,Job Title',
      'Good,good@example.com,1,SQL,"[""x""]",,ok',
      'Bad score,b@example.com,lots,,,,',
      'Bad skill,c@example.com,2,"SQL,COBOL",,,',
      '"Multi',
      'line",d@example.com,3,,,,"also',
      'multi"',
      'Bad tags,e@example.com,4,,not json,,',
      'Ghost company,f@example.com,5,,,00000000-0000-4000-8000-000000000000,',
      'Short row,g@example.com',
      `"'; DROP TABLE person; --",h@example.com,6,GO,[],,`,
    ].join('\n');
    const before = await footprint(test.client);
    const refused = await importCsv(ws, 'person', csv);
    expect(refused.status).toBe(400);
    expect(refused.body.field).toBe('file');
    expect(refused.body.errors).toEqual([
      { line: 3, message: expect.stringMatching(/"Score" must be a number; got "lots"/) },
      { line: 4, message: expect.stringMatching(/Skills.*list of options among SQL, GO, RUST/) },
      { line: 8, message: expect.stringMatching(/"Tags" must hold JSON/) },
      { line: 9, message: expect.stringMatching(/companyId does not name an existing company/) },
      { line: 10, message: expect.stringMatching(/the row has 2 cells; the header has 7/) },
    ]);
    expect(refused.body.message).toMatch(/5 bad row\(s\), nothing imported/);
    expect(await footprint(test.client)).toEqual(before);

    const skipped = await importCsv(ws, 'person', csv, '?skipInvalid=true');
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({ imported: 3, skipped: 5 });
    expect(skipped.body.errors.map((error: { line: number }) => error.line)).toEqual([3, 4, 8, 9, 10]);
    const names = (
      await test.client.query(`SELECT "nameFirstName" AS name, "jobTitle" FROM "${ws.schemaName}"."person" ORDER BY "emailsPrimaryEmail"`)
    ).rows;
    expect(names).toEqual([
      { name: 'Multi\nline', jobTitle: 'also\nmulti' },
      { name: 'Good', jobTitle: 'ok' },
      { name: "'; DROP TABLE person; --", jobTitle: '' },
    ]);
  });

  it('resolves references between rows of one file to the same object, in the SQL path and row by row', async () => {
    const ws = await createWorkspaceWithKey(test, { displayName: 'Self relation', prefill: false });
    // A relation of person to itself (a manager), as a custom relation field would make it.
    const person = `"${ws.schemaName}"."person"`;
    await test.client.query(`ALTER TABLE ${person} ADD COLUMN "managerId" uuid REFERENCES ${person} ("id")`);
    await test.client.query(
      `INSERT INTO metadata."fieldMetadata"
        SELECT (jsonb_populate_record(f, jsonb_build_object('id', gen_random_uuid(), 'name', 'manager', 'label', 'Manager',
          'relationTargetObjectMetadataId', f."objectMetadataId", 'relationTargetFieldMetadataId', NULL, 'standardId', NULL, 'isCustom', true))).*
        FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
        WHERE o."workspaceId" = $1 AND o."nameSingular" = 'person' AND f."name" = 'company'`,
      [ws.workspaceId],
    );
    const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    const managers = async () =>
      (await test.client.query(`SELECT "id", "managerId" FROM ${person} ORDER BY "id"`)).rows.map((row) => [row.id, row.managerId]);

    // A clean file: the SQL path; a row names one further down, two rows name each other.
    const clean = ['Id,Name / First Name,Manager Id', `${id(1)},Ann,${id(3)}`, `${id(2)},Bob,${id(1)}`, `${id(3)},Cat,${id(2)}`];
    const imported = await importCsv(ws, 'person', clean.join('\n'));
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ imported: 3, skipped: 0 });
    expect(await managers()).toEqual([
      [id(1), id(3)],
      [id(2), id(1)],
      [id(3), id(2)],
    ]);

    // A bad row sends the batch row by row: references within the file still resolve, and
    // only the id that names no record is reported.
    const mixed = ['Id,Name / First Name,Manager Id', `${id(4)},Dan,${id(5)}`, `${id(5)},Eve,${id(1)}`, `${id(6)},Fay,${id(9)}`];
    const refused = await importCsv(ws, 'person', mixed.join('\n'));
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ line: 4, message: 'managerId does not name an existing manager record' }]);
    const skipped = await importCsv(ws, 'person', mixed.join('\n'), '?skipInvalid=true');
    expect(skipped.body).toMatchObject({ imported: 2, skipped: 1 });
    expect((await managers()).slice(3)).toEqual([
      [id(4), id(5)],
      [id(5), id(1)],
    ]);
  });

  it('refuses a file whose header names no field, or two columns for one field, or no CSV at all', async () => {
    const ws = await createWorkspaceWithKey(test, { displayName: 'Headers', prefill: false });
    const before = await footprint(test.client);
    const unknown = await importCsv(ws, 'person', 'Name / First Name,Salary\nAda,5\n');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ field: 'file', message: expect.stringContaining('line 1: the column "Salary" matches no field') });
    const twice = await importCsv(ws, 'person', 'Emails / Primary Email,emailsPrimaryEmail\na@b.c,a@b.c\n');
    expect(twice.body.message).toMatch(/both fill emailsPrimaryEmail/);
    const broken = await importCsv(ws, 'person', 'City\n"unterminated\n');
    expect(broken.body.message).toMatch(/not valid CSV/);
    const object = await importCsv(ws, 'ghost', 'City\nx\n');
    expect(object.body).toMatchObject({ field: 'object' });
    const type = await api(ws, 'post', '/objects/person/records/import').set('Content-Type', 'application/json').send({ City: 'x' });
    expect(type.body).toMatchObject({ field: 'Content-Type' });
    expect(await footprint(test.client)).toEqual(before);
  });

  it('maps the columns of a file exported from a 0.22 workspace onto the 0.23 fields (records:export / records:import)', async () => {
    const env = { DATABASE_URL: test.database.url };
    const old = await test.http().post('/workspaces').set(bearer(ADMIN_KEY)).send({ displayName: 'Old', version: '0.22' });
    const oldId = old.body.workspace.id;
    await test.client.query(
      `UPDATE "${old.body.workspace.schemaName}"."company" SET "domainNameLabel" = 'Home of ' || "name" WHERE "name" = 'Qonto'`,
    );
    const companiesFile = join(cwd, 'companies-0.22.csv');
    const peopleFile = join(cwd, 'people-0.22.csv');
    for (const [object, file] of [
      ['company', companiesFile],
      ['person', peopleFile],
    ]) {
      const exported = await runCli(['records:export', '-w', oldId, '--object', object, '--file', file], env);
      expect({ code: exported.code, stderr: exported.stderr }).toEqual({
        code: 0,
        stderr: expect.stringContaining('Exported 5 record(s)'),
      });
    }
    const peopleHeader = readFileSync(peopleFile, 'utf8').split('\n')[0];
    expect(peopleHeader.split(',')).toContain('Email');
    expect(readFileSync(companiesFile, 'utf8').split('\n')[0]).toContain('Domain Name / URL');

    const fresh = await createWorkspaceWithKey(test, { displayName: 'New', version: '0.23', prefill: false });
    for (const [object, file] of [
      ['company', companiesFile],
      ['person', peopleFile],
    ]) {
      const imported = await runCli(['records:import', '-w', fresh.workspaceId, '--object', object, '--file', file, '--json'], env);
      expect({ code: imported.code, stderr: imported.stderr.replace(/^Database: .*\n/, '') }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 5, skipped: 0 });
    }
    const oldPeople = (await test.client.query(`SELECT "id", "email" FROM "${old.body.workspace.schemaName}"."person" ORDER BY "id"`)).rows;
    const newPeople = (
      await test.client.query(`SELECT "id", "emailsPrimaryEmail" AS email FROM "${fresh.schemaName}"."person" ORDER BY "id"`)
    ).rows;
    expect(newPeople).toEqual(oldPeople);
    const companies = (
      await test.client.query(
        `SELECT "name", "domainNamePrimaryLinkUrl" AS url, "domainNamePrimaryLinkLabel" AS label, "addressAddressStreet1" AS street FROM "${fresh.schemaName}"."company" ORDER BY "name"`,
      )
    ).rows;
    expect(companies).toEqual([
      { name: 'Airbnb', url: 'https://airbnb.com', label: '', street: '888 Brannan St, San Francisco' },
      { name: 'Figma', url: 'https://figma.com', label: '', street: '760 Market St, San Francisco' },
      { name: 'Notion', url: 'https://notion.so', label: '', street: '2300 Harrison St, San Francisco' },
      { name: 'Qonto', url: 'https://qonto.com', label: 'Home of Qonto', street: '18 Rue de Navarin, Paris' },
      { name: 'Stripe', url: 'https://stripe.com', label: '', street: '354 Oyster Point Blvd, South San Francisco' },
    ]);
  });

  it('imports a person file exported at 0.24 (Phone) into 0.25 (Phones / ...), each number parsed in the default country', async () => {
    const env = { DATABASE_URL: test.database.url };
    const old = await test.http().post('/workspaces').set(bearer(ADMIN_KEY)).send({ displayName: 'Phones 0.24', version: '0.24' });
    const schema = old.body.workspace.schemaName;
    const phones = ['+33 1 23 45 67 89', '06 12 34 56 78', 'ask reception', '', '+1 (212) 555-0123'];
    const ids: string[] = (await test.client.query(`SELECT "id" FROM "${schema}"."person" ORDER BY "id"`)).rows.map((row) => row.id);
    expect(ids).toHaveLength(phones.length);
    await test.client.query(
      `UPDATE "${schema}"."person" AS p SET "phone" = v.phone, "companyId" = NULL FROM unnest($1::uuid[], $2::text[]) AS v(id, phone) WHERE p."id" = v.id`,
      [ids, phones],
    );
    const file = join(cwd, 'people-0.24.csv');
    const exported = await runCli(['records:export', '-w', old.body.workspace.id, '--object', 'person', '--file', file], env);
    expect(exported.code).toBe(0);
    expect(readFileSync(file, 'utf8').split('\n')[0].split(',')).toContain('Phone');

    const refused = await test.http().post('/workspaces').set(bearer(ADMIN_KEY)).send({ displayName: 'Nowhere', defaultCountry: 'ZZ' });
    expect({ status: refused.status, field: refused.body.field }).toEqual({ status: 400, field: 'defaultCountry' });
    const fresh = await test
      .http()
      .post('/workspaces')
      .set(bearer(ADMIN_KEY))
      .send({ displayName: 'Phones 0.25', prefill: false, defaultCountry: 'FR' });
    expect({ status: fresh.status, defaultCountry: fresh.body.workspace.defaultCountry }).toEqual({ status: 201, defaultCountry: 'FR' });
    const imported = await runCli(['records:import', '-w', fresh.body.workspace.id, '--object', 'person', '--file', file, '--json'], env);
    expect({ code: imported.code, stderr: imported.stderr.replace(/^Database: .*\n/, '') }).toEqual({ code: 0, stderr: '' });
    const rows = (
      await test.client.query(
        `SELECT "phonesPrimaryPhoneNumber" AS number, "phonesPrimaryPhoneCountryCode" AS code, "phonesAdditionalPhones" AS additional
           FROM "${fresh.body.workspace.schemaName}"."person" ORDER BY "id"`,
      )
    ).rows;
    expect(rows).toEqual([
      { number: '123456789', code: '+33', additional: [] },
      { number: '612345678', code: '+33', additional: [] },
      { number: 'ask reception', code: '', additional: [] },
      { number: '', code: '', additional: [] },
      { number: '2125550123', code: '+1', additional: [] },
    ]);
  });

  it('records:import lists every bad row and exits 1 with nothing imported; --skip-invalid imports the rest', async () => {
    const env = { DATABASE_URL: test.database.url };
    const ws = await createWorkspaceWithKey(test, { displayName: 'CLI', prefill: false });
    const file = join(cwd, 'people-bad.csv');
    writeFileSync(file, 'Name / First Name,Employees\n');
    const unknownColumn = await runCli(['records:import', '-w', ws.workspaceId, '--object', 'person', '--file', file], env);
    expect(unknownColumn.code).toBe(1);
    expect(unknownColumn.stderr).toMatch(/the column "Employees" matches no field/);

    writeFileSync(file, 'Name / First Name,Emails / Additional Emails\nAda,[]\nBob,{oops\nCy,\nDee,[1\n');
    const refused = await runCli(['records:import', '-w', ws.workspaceId, '--object', 'person', '--file', file], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/line 3: "Emails \/ Additional Emails" must hold JSON/);
    expect(refused.stderr).toMatch(/line 5: "Emails \/ Additional Emails" must hold JSON/);
    expect(refused.stderr).toMatch(/2 bad row\(s\); nothing was imported/);
    expect((await test.client.query(`SELECT count(*)::int AS n FROM "${ws.schemaName}"."person"`)).rows[0].n).toBe(0);

    const skipped = await runCli(['records:import', '-w', ws.workspaceId, '--object', 'person', '--file', file, '--skip-invalid'], env);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('Imported 2 record(s) of person, skipped 2');
    expect(
      (await test.client.query(`SELECT "nameFirstName" FROM "${ws.schemaName}"."person" ORDER BY 1`)).rows.map((row) => row.nameFirstName),
    ).toEqual(['Ada', 'Cy']);

    const toStdout = await runCli(['records:export', '-w', ws.workspaceId, '--object', 'people'], env);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout.split('\n')[0].startsWith('Id,')).toBe(true);
    expect(toStdout.stdout.trimEnd().split('\n')).toHaveLength(3);
    const ghost = await runCli(['records:export', '-w', ws.workspaceId, '--object', 'ghost'], env);
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toMatch(/object "ghost" does not exist/);
  });
});
