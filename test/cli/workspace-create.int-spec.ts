import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { CURRENT_VERSION, SUPPORTED_VERSIONS } from '../../src/standard-objects/version.constant';
import { PROJECT_ROOT, runCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { columnNames, createWorkspace, CreatedWorkspaceJson, footprintOf, metadataOf, stdoutLines, workspaceRow } from './workspace-state';

interface SnapshotField {
  name: string;
  isSystem: boolean;
  isActive: boolean;
  isDeprecated: boolean;
  relation: { type: string } | null;
}

interface SnapshotObject {
  nameSingular: string;
  isSystem: boolean;
  fields: SnapshotField[];
}

/** The frozen declarations of the current version, read as data: what a new workspace must hold. */
const SNAPSHOT: { objects: SnapshotObject[] } = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'src', 'standard-objects', 'snapshots', `${CURRENT_VERSION}.json`), 'utf8'),
);
const VERSION_PATTERN = CURRENT_VERSION.replace('.', '\\.');

const STANDARD_TABLES = [
  'attachment',
  'company',
  'favorite',
  'note',
  'noteTarget',
  'opportunity',
  'person',
  'task',
  'taskTarget',
  'timelineActivity',
  'view',
  'viewField',
  'viewFilter',
  'viewSort',
  'workspaceMember',
];

const PREFILL = [
  { company: 'Airbnb', domain: 'airbnb.com', email: 'christoph.callisto@airbnb.com' },
  { company: 'Qonto', domain: 'qonto.com', email: 'sylvie.palmer@qonto.com' },
  { company: 'Stripe', domain: 'stripe.com', email: 'christopher.gonzalez@stripe.com' },
  { company: 'Figma', domain: 'figma.com', email: 'ashley.parker@figma.com' },
  { company: 'Notion', domain: 'notion.so', email: 'nicholas.wright@notion.so' },
];

describe('workspace:create', () => {
  let cwd: string;
  let database: TestDatabase;
  let client: Client;
  let env: Record<string, string>;

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-create-'));
    database = await createTestDatabase();
    client = await connectClient(database.url);
    env = { DATABASE_URL: database.url };
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  describe('at the current version', () => {
    let workspace: CreatedWorkspaceJson;
    let schema: string;

    beforeAll(async () => {
      const result = await runCli(['workspace:create', '--name', 'Acme Corp'], env, cwd);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(new RegExp(`^Database: PostgreSQL server at \\S+/${database.name}\n$`));
      const [head, counts] = stdoutLines(result);
      const match = head.match(
        new RegExp(
          `^Created workspace ([0-9a-f-]{36}) "Acme Corp" \\(schema (workspace_[a-z0-9]+), version ${VERSION_PATTERN}\\) in \\d+ ms$`,
        ),
      );
      expect(match).not.toBeNull();
      expect(counts).toMatch(/^\d+ action\(s\), 5 default view\(s\), 5 companies, 5 people and 3 opportunities$/);
      const row = await workspaceRow(client, match![1]);
      workspace = { id: match![1], ...row };
      schema = match![2];
    });

    it('records the workspace: ACTIVE, the current version, a fingerprint, the schema it printed', async () => {
      expect(workspace).toEqual({
        id: workspace.id,
        displayName: 'Acme Corp',
        schemaName: schema,
        activationStatus: 'ACTIVE',
        version: CURRENT_VERSION,
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('creates the schema with one table per standard object, with the current shapes', async () => {
      const tables = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema],
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(STANDARD_TABLES);
      const person = await columnNames(client, schema, 'person');
      expect(person).toEqual(
        expect.arrayContaining([
          'id',
          'nameFirstName',
          'nameLastName',
          'emailsPrimaryEmail',
          'emailsAdditionalEmails',
          'city',
          'companyId',
          'createdAt',
          'updatedAt',
          'deletedAt',
        ]),
      );
      expect(person).not.toContain('email');
      const company = await columnNames(client, schema, 'company');
      expect(company).toEqual(
        expect.arrayContaining(['domainNamePrimaryLinkUrl', 'domainNamePrimaryLinkLabel', 'addressAddressCity', 'addressAddressStreet1']),
      );
      expect(company).not.toContain('domainNameUrl');
      expect(company).not.toContain('address');
    });

    it('writes the metadata of every standard object and field', async () => {
      const { objects, fields } = await metadataOf(client, workspace.id);
      expect(objects).toHaveLength(15);
      expect(objects.map((object) => object.tableName).sort()).toEqual(STANDARD_TABLES);
      expect(objects.every((object) => !object.isCustom && object.isActive && object.standardId)).toBe(true);
      expect(objects.find((object) => object.nameSingular === 'person')).toMatchObject({
        namePlural: 'people',
        isSystem: false,
        labelIdentifier: 'name',
      });

      const declaredFields = SNAPSHOT.objects.flatMap((object) => object.fields.filter((field) => !field.isDeprecated));
      expect(fields).toHaveLength(declaredFields.length);
      expect(fields.every((field) => !field.isCustom && !field.isDeprecated && field.standardId)).toBe(true);
      const field = (object: string, name: string) => fields.find((candidate) => candidate.object === object && candidate.name === name);
      expect(field('person', 'emails')).toMatchObject({ type: 'EMAILS', isActive: true, isSystem: false, isNullable: true });
      expect(field('person', 'id')).toMatchObject({ type: 'UUID', isSystem: true, isNullable: false });
      expect(field('person', 'company')).toMatchObject({
        type: 'RELATION',
        relationType: 'MANY_TO_ONE',
        relationTargetObject: 'company',
        relationTargetField: 'people',
        onDelete: 'SET_NULL',
      });
      expect(field('company', 'people')).toMatchObject({
        relationType: 'ONE_TO_MANY',
        relationTargetObject: 'person',
        relationTargetField: 'company',
      });
      expect(field('company', 'domainName')).toMatchObject({ type: 'LINKS', isActive: true });
    });

    it('creates one default view per visible object, listing its visible fields in declaration order', async () => {
      const views = await client.query(
        `SELECT v."id", v."name", v."position", o."nameSingular", o."workspaceId"
           FROM "${schema}"."view" v LEFT JOIN metadata."objectMetadata" o ON o."id" = v."objectMetadataId"
          ORDER BY v."position"`,
      );
      const visibleObjects = SNAPSHOT.objects.filter((object) => !object.isSystem).map((object) => object.nameSingular);
      expect(visibleObjects).toEqual(['person', 'company', 'opportunity', 'note', 'task']);
      expect(views.rows.map((view) => [view.position, view.nameSingular, view.workspaceId])).toEqual(
        visibleObjects.map((name, position) => [position, name, workspace.id]),
      );
      expect(views.rows[0].name).toBe('All People');

      for (const view of views.rows) {
        const viewFields = await client.query(
          `SELECT vf."position", vf."isVisible", f."name", f."isSystem", f."relationType", o."nameSingular" AS "object"
             FROM "${schema}"."viewField" vf
             LEFT JOIN metadata."fieldMetadata" f ON f."id" = vf."fieldMetadataId"
             LEFT JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
            WHERE vf."viewId" = $1
            ORDER BY vf."position"`,
          [view.id],
        );
        const declared = SNAPSHOT.objects.find((object) => object.nameSingular === view.nameSingular)!;
        const expected = declared.fields
          .filter((field) => !field.isSystem && field.isActive && !field.isDeprecated && field.relation?.type !== 'ONE_TO_MANY')
          .map((field) => field.name);
        expect(viewFields.rows.map((row) => row.name)).toEqual(expected);
        expect(viewFields.rows.map((row) => row.position)).toEqual(expected.map((_name, position) => position));
        for (const row of viewFields.rows) {
          expect(row).toMatchObject({ object: view.nameSingular, isSystem: false, isVisible: true });
          expect(row.relationType).not.toBe('ONE_TO_MANY');
        }
      }
      const personView = await client.query(
        `SELECT f."name" FROM "${schema}"."viewField" vf JOIN metadata."fieldMetadata" f ON f."id" = vf."fieldMetadataId"
          WHERE vf."viewId" = $1 ORDER BY vf."position"`,
        [views.rows[0].id],
      );
      expect(personView.rows.map((row) => row.name)).toEqual([
        'name',
        'emails',
        'jobTitle',
        'phones',
        'city',
        'createdBy',
        'company',
        'createdAt',
        'updatedAt',
      ]);
      const total = await client.query(`SELECT count(*)::int AS n FROM "${schema}"."viewField"`);
      expect(total.rows[0].n).toBe(41);
    });

    it('writes the prefill records in the current shapes, each person tied to the company of their email', async () => {
      const companies = await client.query(
        `SELECT "name", "domainNamePrimaryLinkUrl" AS "url" FROM "${schema}"."company" ORDER BY "position"`,
      );
      expect(companies.rows).toEqual(PREFILL.map((item) => ({ name: item.company, url: `https://${item.domain}` })));
      const people = await client.query(
        `SELECT p."emailsPrimaryEmail" AS "email", c."name" AS "company"
           FROM "${schema}"."person" p LEFT JOIN "${schema}"."company" c ON c."id" = p."companyId"
          ORDER BY p."position"`,
      );
      expect(people.rows).toEqual(PREFILL.map((item) => ({ email: item.email, company: item.company })));
      const opportunities = await client.query(
        `SELECT o."name", c."name" AS "company", p."emailsPrimaryEmail" AS "contact"
           FROM "${schema}"."opportunity" o LEFT JOIN "${schema}"."company" c ON c."id" = o."companyId" LEFT JOIN "${schema}"."person" p ON p."id" = o."pointOfContactId"
          ORDER BY o."position"`,
      );
      expect(opportunities.rows).toEqual([
        { name: 'Airbnb renewal', company: 'Airbnb', contact: 'christoph.callisto@airbnb.com' },
        { name: 'Qonto expansion', company: 'Qonto', contact: 'sylvie.palmer@qonto.com' },
        { name: 'Stripe pilot', company: 'Stripe', contact: null },
      ]);
    });
  });

  it('--version 0.22 creates the old shapes and records version 0.22', async () => {
    const workspace = await createWorkspace(env, cwd, ['--version', '0.22']);
    expect(await workspaceRow(client, workspace.id)).toEqual({
      displayName: 'Acme',
      schemaName: workspace.schemaName,
      activationStatus: 'ACTIVE',
      version: '0.22',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const person = await columnNames(client, workspace.schemaName, 'person');
    expect(person).toContain('email');
    expect(person).not.toContain('emailsPrimaryEmail');
    const company = await client.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'company'`,
      [workspace.schemaName],
    );
    const companyColumns = new Map(company.rows.map((row) => [row.column_name, row.data_type]));
    expect(companyColumns.get('address')).toBe('text');
    expect(companyColumns.get('domainNameUrl')).toBe('text');
    expect(companyColumns.has('domainNamePrimaryLinkUrl')).toBe(false);
    expect(companyColumns.has('addressAddressStreet1')).toBe(false);

    const { fields } = await metadataOf(client, workspace.id);
    expect(fields.find((field) => field.object === 'person' && field.name === 'email')).toMatchObject({ type: 'EMAIL' });
    expect(fields.find((field) => field.object === 'company' && field.name === 'domainName')).toMatchObject({ type: 'LINK' });
    expect(fields.find((field) => field.object === 'company' && field.name === 'address')).toMatchObject({ type: 'TEXT' });

    const companies = await client.query(`SELECT "domainNameUrl", "address" FROM "${workspace.schemaName}"."company" ORDER BY "position"`);
    expect(companies.rows.map((row) => row.domainNameUrl)).toEqual(PREFILL.map((item) => item.domain));
    expect(companies.rows[0].address).toBe('888 Brannan St, San Francisco');
    const people = await client.query(`SELECT "email", "companyId" FROM "${workspace.schemaName}"."person" ORDER BY "position"`);
    expect(people.rows.map((row) => row.email)).toEqual(PREFILL.map((item) => item.email));
    expect(people.rows.every((row) => row.companyId !== null)).toBe(true);
  });

  it('--json prints one JSON document describing the workspace', async () => {
    const result = await runCli(['workspace:create', '--name', 'Json Inc', '--json'], env, cwd);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document).toEqual({
      workspace: expect.objectContaining({
        displayName: 'Json Inc',
        activationStatus: 'ACTIVE',
        version: CURRENT_VERSION,
        schemaName: expect.stringMatching(/^workspace_/),
      }),
      actions: expect.any(Number),
      views: 5,
      records: { companies: 5, people: 5, opportunities: 3 },
      durationMs: expect.any(Number),
    });
    expect(await workspaceRow(client, document.workspace.id)).toMatchObject({
      displayName: 'Json Inc',
      schemaName: document.workspace.schemaName,
    });
  });

  it('is one transaction: a failure at the last write leaves nothing behind', async () => {
    // Fail the very last statement of creation (storing the fingerprint), after tables, views and records.
    await client.query(`CREATE FUNCTION public.wms_refuse_fingerprint() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW."fingerprint" IS NOT NULL THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await client.query(
      `CREATE TRIGGER refuse_fingerprint BEFORE UPDATE ON core.workspace FOR EACH ROW EXECUTE FUNCTION public.wms_refuse_fingerprint()`,
    );
    const before = await footprintOf(client);
    try {
      const result = await runCli(['workspace:create', '--name', 'Doomed'], env, cwd);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('injected failure');
      expect(result.stdout).toBe('');
    } finally {
      await client.query(`DROP TRIGGER refuse_fingerprint ON core.workspace`);
      await client.query(`DROP FUNCTION public.wms_refuse_fingerprint()`);
    }
    expect(await footprintOf(client)).toEqual(before);
    const doomed = await client.query(`SELECT count(*)::int AS n FROM core.workspace WHERE "displayName" = 'Doomed'`);
    expect(doomed.rows[0].n).toBe(0);
  });

  describe('bad input exits 2 and writes nothing', () => {
    it.each([
      ['no --name', [], "required option '--name <name>' not specified"],
      [
        'an unknown --version',
        ['--name', 'Acme', '--version', '9.9'],
        `Error: --version must be one of ${SUPPORTED_VERSIONS.join(', ')}; got "9.9".`,
      ],
      ['an empty name', ['--name', ''], 'the workspace name must be 1 to 200 characters'],
      ['a blank name', ['--name', '   '], 'the workspace name must be 1 to 200 characters'],
      ['a name over 200 characters', ['--name', 'x'.repeat(201)], 'the workspace name must be 1 to 200 characters'],
    ])('%s', async (_case, args, message) => {
      const before = await footprintOf(client);
      const result = await runCli(['workspace:create', ...args], env, cwd);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe('');
      expect(await footprintOf(client)).toEqual(before);
    });
  });
});
