import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { ContactCreationService, ContactImportResult } from '../../src/records/contact-creation.service';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { UpgradeRunner } from '../../src/upgrade/upgrade.runner';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { runCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { openDataSource } from '../utils/test-services';

const PARTICIPANTS = [
  'email,displayName',
  'ada@acme.io,Ada Lovelace',
  'Grace.Hopper@Navy.example,Grace Hopper',
  'CHRISTOPH.CALLISTO@airbnb.com,Christoph Callisto',
  'new.person@airbnb.com,New Person',
  'linus@www.kernel.example,Linus',
  'ada@acme.io,Ada again',
  'not-an-email,Nobody',
  'solo@acme.io,',
].join('\n');

const DURING = ['email,displayName', 'during.move@acme.io,During Move', 'late@fresh.example,Late Arrival'].join('\n');
const AFTER = ['handle,displayName', 'after@fresh.example,After Upgrade', 'ada@acme.io,Ada Lovelace'].join('\n');

/** Every address the files name, as the people table must hold it: once each. */
const ALL_EMAILS = [
  'ada@acme.io',
  'grace.hopper@navy.example',
  'christoph.callisto@airbnb.com',
  'new.person@airbnb.com',
  'linus@www.kernel.example',
  'solo@acme.io',
  'during.move@acme.io',
  'late@fresh.example',
  'after@fresh.example',
];
const ALL_DOMAINS = ['acme.io', 'navy.example', 'airbnb.com', 'kernel.example', 'fresh.example'];

/**
 * The version-tolerant writer: the same participants file, run on a 0.22 workspace, during the
 * upgrade-0.23 data moves and after them, creates each person and company once and writes each
 * email and domain to the column the workspace has at that moment.
 */
describe('contacts:import-from-emails across upgrade-0.23', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let writer: DataSource;
  let client: Client;
  let cwd: string;
  const files = { participants: '', during: '', after: '' };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource(database.url);
    writer = await openDataSource(database.url, 2);
    client = await connectClient(database.url);
    cwd = mkdtempSync(join(tmpdir(), 'wms-contacts-'));
    for (const [name, text] of Object.entries({ participants: PARTICIPANTS, during: DURING, after: AFTER })) {
      files[name as keyof typeof files] = join(cwd, `${name}.csv`);
      writeFileSync(files[name as keyof typeof files], `${text}\n`);
    }
  });

  afterAll(async () => {
    await client.end();
    await writer.destroy();
    await dataSource.destroy();
    await database.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  const columns = async (schema: string, table: string): Promise<string[]> =>
    (
      await client.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`, [schema, table])
    ).rows.map((row) => row.column_name);

  it('writes to the shapes of 0.22, then of the move, then of 0.23, and never duplicates', async () => {
    const { workspace } = await new WorkspaceCreationService(dataSource, buildStandardDeclarations()).create({
      displayName: 'Writer',
      version: '0.22',
    });
    const schema = workspace.schemaName;
    // Enough people for the email move to take several batches.
    await client.query(
      `INSERT INTO "${schema}"."person" ("nameFirstName", "email") SELECT 'Bulk ' || n, 'bulk' || n || '@bulk.example' FROM generate_series(1, 25) AS n`,
    );
    const env = { DATABASE_URL: database.url };

    // Before: 0.22 shapes, through the command as a user runs it.
    const before = await runCli(['contacts:import-from-emails', '-w', workspace.id, '--file', files.participants, '--json'], env);
    expect({ code: before.code, stderr: before.stderr.replace(/^Database: .*\n/, '') }).toEqual({ code: 0, stderr: '' });
    const first: ContactImportResult = JSON.parse(before.stdout);
    expect(first).toMatchObject({
      people: { created: 5, existing: 1 },
      companies: { created: 3, existing: 1 },
      skipped: [{ line: 8, email: 'not-an-email', reason: 'not an email address' }],
      columns: { personEmail: ['email'], companyDomain: ['domainNameUrl'] },
    });
    const [acme] = (
      await client.query(`SELECT "domainNameUrl", "domainNameLabel", "name" FROM "${schema}"."company" WHERE "domainNameUrl" = 'acme.io'`)
    ).rows;
    expect(acme).toEqual({ domainNameUrl: 'acme.io', domainNameLabel: '', name: 'Acme' });
    expect(await columns(schema, 'person')).not.toContain('emailsPrimaryEmail');

    // During: the same file and a new one, from another connection between batches of each move.
    const service = new ContactCreationService(writer);
    const during: Array<{ step: string; again: ContactImportResult; fresh: ContactImportResult }> = [];
    const outcome = await new UpgradeRunner(dataSource).upgrade(workspace, '0.23', {
      batchSize: 10,
      onBatch: async (step, batch) => {
        if (batch !== 1 || during.some((entry) => entry.step === step) || !step.startsWith('field:')) return;
        const again = await service.importFile(workspace.id, createReadStream(files.participants));
        const fresh = await service.importFile(workspace.id, createReadStream(files.during));
        during.push({ step, again, fresh });
      },
    });
    expect({ status: outcome.status, message: outcome.message }).toEqual({ status: 'upgraded', message: null });
    expect(during.length).toBeGreaterThanOrEqual(2);
    for (const entry of during) {
      expect(entry.again.people.created).toBe(0);
      expect(entry.again.companies.created).toBe(0);
    }
    // While the email move runs, the metadata still says EMAIL and LINK; while the link move runs,
    // the email switch is done and the domain is still a LINK.
    expect(during[0].again.columns).toEqual({ personEmail: ['email'], companyDomain: ['domainNameUrl'], personPhone: [] });
    expect(during[1].again.columns).toEqual({ personEmail: ['emailsPrimaryEmail'], companyDomain: ['domainNameUrl'], personPhone: [] });
    expect(during[0].fresh).toMatchObject({ people: { created: 2, existing: 0 }, companies: { created: 1, existing: 1 } });
    expect(during.slice(1).every((entry) => entry.fresh.people.created === 0 && entry.fresh.companies.created === 0)).toBe(true);

    // After: 0.23 shapes.
    for (const file of [files.participants, files.after]) {
      const after = await runCli(['contacts:import-from-emails', '-w', workspace.id, '--file', file, '--json'], env);
      expect(after.code).toBe(0);
      const result: ContactImportResult = JSON.parse(after.stdout);
      expect(result.columns).toEqual({ personEmail: ['emailsPrimaryEmail'], companyDomain: ['domainNamePrimaryLinkUrl'], personPhone: [] });
      expect(result.companies.created).toBe(0);
      expect(result.people.created).toBe(file === files.after ? 1 : 0);
    }

    expect(await columns(schema, 'person')).not.toContain('email');
    const people = (
      await client.query(
        `SELECT lower("emailsPrimaryEmail") AS email, count(*)::int AS n FROM "${schema}"."person" WHERE "emailsPrimaryEmail" NOT LIKE '%@bulk.example' GROUP BY 1 ORDER BY 1`,
      )
    ).rows;
    const prefilled = [
      'sylvie.palmer@qonto.com',
      'christopher.gonzalez@stripe.com',
      'ashley.parker@figma.com',
      'nicholas.wright@notion.so',
    ];
    expect(people).toEqual([...ALL_EMAILS, ...prefilled].sort().map((email) => ({ email, n: 1 })));
    expect(
      (await client.query(`SELECT count(*)::int AS n FROM "${schema}"."person" WHERE "emailsPrimaryEmail" LIKE '%@bulk.example'`)).rows[0]
        .n,
    ).toBe(25);

    const companies = (
      await client.query(`SELECT "name", "domainNamePrimaryLinkUrl" AS url FROM "${schema}"."company" ORDER BY "domainNamePrimaryLinkUrl"`)
    ).rows;
    const expectedUrls = [...new Set([...ALL_DOMAINS, 'figma.com', 'notion.so', 'qonto.com', 'stripe.com'])].map(
      (domain) => `https://${domain}`,
    );
    expect(companies.map((company) => company.url).sort()).toEqual(expectedUrls.sort());
    expect(companies.filter((company) => company.url === 'https://airbnb.com')).toEqual([{ name: 'Airbnb', url: 'https://airbnb.com' }]);

    const links = (
      await client.query(
        `SELECT lower(p."emailsPrimaryEmail") AS email, c."domainNamePrimaryLinkUrl" AS url FROM "${schema}"."person" p JOIN "${schema}"."company" c ON c."id" = p."companyId"
        WHERE p."emailsPrimaryEmail" NOT LIKE '%@bulk.example' ORDER BY 1`,
      )
    ).rows;
    expect(links).toHaveLength(ALL_EMAILS.length + prefilled.length);
    for (const { email, url } of links) {
      expect(url).toBe(`https://${email.split('@')[1].replace(/^www\./, '')}`);
    }
  });

  it('writes phones in the shape the workspace has: PHONE as given at 0.24, PHONES parsed in the default country at 0.25', async () => {
    const { workspace } = await new WorkspaceCreationService(dataSource, buildStandardDeclarations()).create({
      displayName: 'Phones',
      version: '0.24',
      prefill: false,
      defaultCountry: 'FR',
    });
    const schema = workspace.schemaName;
    const service = new ContactCreationService(dataSource);
    const participants = (rows: string[]) => Readable.from(`${['email,displayName,phone', ...rows].join('\n')}\n`);
    const old = await service.importFile(
      workspace.id,
      participants(['a@old.example,A Old,+33 1 23 45 67 89', 'b@old.example,B Old, 06 12 34 56 78 ', 'c@old.example,C Old,']),
    );
    expect({ created: old.people.created, columns: old.columns.personPhone }).toEqual({ created: 3, columns: ['phone'] });
    const phonesAt024 = (await client.query(`SELECT "emailsPrimaryEmail" AS email, "phone" FROM "${schema}".person ORDER BY 1`)).rows;
    expect(phonesAt024).toEqual([
      { email: 'a@old.example', phone: '+33 1 23 45 67 89' },
      { email: 'b@old.example', phone: '06 12 34 56 78' },
      { email: 'c@old.example', phone: '' },
    ]);

    const outcome = await new UpgradeRunner(dataSource).upgradeToLatest(workspace);
    expect({ status: outcome.status, message: outcome.message }).toEqual({ status: 'upgraded', message: null });
    const fresh = await service.importFile(
      workspace.id,
      participants([
        'd@new.example,D New,06 98 76 54 32',
        'e@new.example,E New,ask reception',
        'f@new.example,F New,+1 212 555 0123',
        'a@old.example,A,+44 20 7946 0958',
      ]),
    );
    expect({ created: fresh.people.created, existing: fresh.people.existing, columns: fresh.columns.personPhone }).toEqual({
      created: 3,
      existing: 1,
      columns: ['phonesPrimaryPhoneNumber', 'phonesPrimaryPhoneCountryCode'],
    });
    const phonesAt025 = (
      await client.query(
        `SELECT "emailsPrimaryEmail" AS email, "phonesPrimaryPhoneNumber" AS number, "phonesPrimaryPhoneCountryCode" AS code, "phonesAdditionalPhones" AS additional
           FROM "${schema}".person ORDER BY 1`,
      )
    ).rows;
    expect(phonesAt025).toEqual([
      { email: 'a@old.example', number: '123456789', code: '+33', additional: [] },
      { email: 'b@old.example', number: '612345678', code: '+33', additional: [] },
      { email: 'c@old.example', number: '', code: '', additional: [] },
      { email: 'd@new.example', number: '698765432', code: '+33', additional: [] },
      { email: 'e@new.example', number: 'ask reception', code: '', additional: [] },
      { email: 'f@new.example', number: '2125550123', code: '+1', additional: [] },
    ]);
  });

  it('waits for an email switch that holds the people table, then writes to its new shape, never deadlocking with it', async () => {
    const { workspace } = await new WorkspaceCreationService(dataSource, buildStandardDeclarations()).create({
      displayName: 'Switch race',
      version: '0.22',
      prefill: false,
    });
    const person = `"${workspace.schemaName}"."person"`;
    const [{ id: emailField }] = (
      await client.query(
        `SELECT f."id" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
          WHERE o."workspaceId" = $1 AND o."nameSingular" = 'person' AND f."name" = 'email'`,
        [workspace.id],
      )
    ).rows;
    const upgrade = await connectClient(database.url);
    try {
      // The switch-over's order: the table's lock (ACCESS EXCLUSIVE, as DROP TRIGGER and DROP
      // COLUMN take it), then the field's row.
      await upgrade.query('BEGIN');
      await upgrade.query(`LOCK TABLE ${person} IN ACCESS EXCLUSIVE MODE`);
      const writing = new ContactCreationService(writer).import(workspace.id, [{ email: 'race@switch.example', displayName: 'Race' }]);
      writing.catch(() => undefined);
      // Until the writer waits for the people table.
      let waiting = 0;
      for (let polls = 0; waiting === 0 && polls < 100_000; polls += 1) {
        waiting = (await upgrade.query(`SELECT count(*)::int AS n FROM pg_locks WHERE relation = $1::regclass AND NOT granted`, [person]))
          .rows[0].n;
      }
      expect(waiting).toBe(1);
      // The writer holds no lock on the field's row: the switch takes it at once (a writer that
      // locked the rows first would make this fail, and the real switch deadlock).
      await upgrade.query(`SELECT 1 FROM metadata."fieldMetadata" WHERE "id" = $1 FOR UPDATE NOWAIT`, [emailField]);
      await upgrade.query(`ALTER TABLE ${person} ADD COLUMN "emailsPrimaryEmail" text, ADD COLUMN "emailsAdditionalEmails" jsonb`);
      await upgrade.query(`UPDATE ${person} SET "emailsPrimaryEmail" = "email"`);
      await upgrade.query(`UPDATE metadata."fieldMetadata" SET "type" = 'EMAILS', "name" = 'emails' WHERE "id" = $1`, [emailField]);
      await upgrade.query(`ALTER TABLE ${person} DROP COLUMN "email"`);
      await upgrade.query('COMMIT');

      const result = await writing;
      expect(result).toMatchObject({ people: { created: 1 }, columns: { personEmail: ['emailsPrimaryEmail'] } });
      expect((await client.query(`SELECT "nameFirstName" FROM ${person} WHERE "emailsPrimaryEmail" = 'race@switch.example'`)).rows).toEqual(
        [{ nameFirstName: 'Race' }],
      );
    } finally {
      await upgrade.end();
    }
  });
});
