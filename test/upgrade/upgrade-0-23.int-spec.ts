import { Hazard } from '../../src/sync/plan';
import { WorkspaceSyncService } from '../../src/sync/workspace-sync.service';
import { checkWorkspaceHealth } from '../../src/sync/workspace-health';
import { ActualStateRepository } from '../../src/metadata/actual-state.repository';
import { COMPANY_STANDARD_FIELD_IDS } from '../../src/standard-objects/standard-ids.constant';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { upgradeCommandFor } from '../../src/standard-objects/version.constant';
import { getVersionSnapshot } from '../../src/standard-objects/version-snapshots';
import { UpgradeOutcome, UpgradeRunner } from '../../src/upgrade/upgrade.runner';
import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { TableData, tableData, workspaceSnapshot } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import {
  customFieldNames,
  expectSameStandardParts,
  fieldById,
  FieldRow,
  fieldRow,
  ledgerRows,
  liveColumns,
  STEP_NAMES,
  standardParts,
  workspaceVersion,
} from './upgrade-0-23.fixtures';

/**
 * upgrade-0.23 on a 0.22 workspace holding records, custom fields of the legacy types, a custom
 * object, and views, filters and sorts on the fields that change type: every value ends where it
 * should, every field keeps its id, and the standard parts equal a workspace created at 0.23.
 */

const PEOPLE: Array<{ firstName: string; email: string; workEmail: string | null }> = [
  { firstName: 'Alice', email: 'Alice.Smith@Example.COM', workEmail: 'alice@work.example' },
  { firstName: 'Bob', email: 'bob@example.com', workEmail: null },
  { firstName: 'Empty', email: '', workEmail: '' },
  { firstName: 'Mixed', email: 'MiXeD.CaSe@Sub.Domain.IO', workEmail: 'WORK@EXAMPLE.ORG' },
  { firstName: 'Empty again', email: '', workEmail: null },
  { firstName: 'Padded', email: ' padded@example.com ', workEmail: null },
  { firstName: 'Quote', email: "o'brien+tag@example.ie", workEmail: 'Quote@Work.example' },
  ...Array.from({ length: 13 }, (_, index) => ({
    firstName: `Bulk ${index}`,
    email: `Bulk.${index}@Example.com`,
    workEmail: index % 3 === 0 ? null : `bulk${index}@work.example`,
  })),
];

interface LinkCase {
  url: string | null;
  label: string | null;
  /** primaryLinkUrl after the upgrade. */
  expectedUrl: string | null;
}

const NO_LINK: LinkCase = { url: null, label: null, expectedUrl: null };

/** `blog` is a custom LINK field of company. */
const COMPANIES: Array<{ name: string; domainName: LinkCase; linkedinLink: LinkCase; address: string; blog?: LinkCase }> = [
  {
    name: 'Acme',
    domainName: { url: 'acme.com', label: 'Acme', expectedUrl: 'https://acme.com' },
    linkedinLink: { url: 'linkedin.com/company/acme', label: null, expectedUrl: 'https://linkedin.com/company/acme' },
    address: '1 Main St, Springfield',
    blog: { url: 'acme.com/blog', label: 'Acme blog', expectedUrl: 'https://acme.com/blog' },
  },
  {
    name: 'Path',
    domainName: { url: 'https://x.io/a/b', label: null, expectedUrl: 'https://x.io/a/b' },
    linkedinLink: { url: 'https://www.linkedin.com/company/x', label: 'X on LinkedIn', expectedUrl: 'https://www.linkedin.com/company/x' },
    address: '',
    blog: { url: 'https://blog.x.io', label: null, expectedUrl: 'https://blog.x.io' },
  },
  {
    name: 'Plain http',
    domainName: { url: 'http://legacy.example.org', label: 'Legacy', expectedUrl: 'http://legacy.example.org' },
    linkedinLink: { url: null, label: null, expectedUrl: null },
    address: 'Straße 5\n80331 München',
  },
  {
    name: 'Empty strings',
    domainName: { url: '', label: '', expectedUrl: '' },
    linkedinLink: { url: '', label: '', expectedUrl: '' },
    address: "O'Brien's Road; DROP TABLE company;--",
  },
  {
    name: 'Nulls',
    domainName: { url: null, label: null, expectedUrl: null },
    linkedinLink: { url: null, label: null, expectedUrl: null },
    address: '   ',
    blog: { url: '', label: 'Empty blog', expectedUrl: '' },
  },
  {
    name: 'Upper-case scheme',
    domainName: { url: 'HTTPS://UPPER.EXAMPLE', label: 'Upper', expectedUrl: 'HTTPS://UPPER.EXAMPLE' },
    linkedinLink: { url: 'www.linkedin.com/in/someone', label: 'Someone', expectedUrl: 'https://www.linkedin.com/in/someone' },
    address: 'PO Box 1',
  },
  {
    name: 'Label only',
    domainName: { url: null, label: 'Just a label', expectedUrl: null },
    linkedinLink: { url: 'https://linkedin.com/company/label-only', label: null, expectedUrl: 'https://linkedin.com/company/label-only' },
    address: '2 Side Rd',
  },
  {
    name: 'Port and query',
    domainName: { url: 'shop.example.com:8080/path?q=1', label: 'Shop', expectedUrl: 'https://shop.example.com:8080/path?q=1' },
    linkedinLink: { url: null, label: null, expectedUrl: null },
    address: '3 Harbour Way',
  },
];

const PARTNERS: Array<{ name: string; contactEmail: string | null; website: LinkCase }> = [
  {
    name: 'P bare',
    contactEmail: 'Ops@Partner.COM',
    website: { url: 'partner.example', label: 'Partner', expectedUrl: 'https://partner.example' },
  },
  { name: 'P nulls', contactEmail: null, website: { url: null, label: null, expectedUrl: null } },
  { name: 'P empty', contactEmail: '', website: { url: 'https://p.example/x/y', label: null, expectedUrl: 'https://p.example/x/y' } },
  { name: 'P ftp', contactEmail: 'b@p.io', website: { url: 'ftp://files.example', label: 'Files', expectedUrl: 'ftp://files.example' } },
  { name: 'P empty url', contactEmail: 'c@p.io', website: { url: '', label: 'No url', expectedUrl: '' } },
];

/** secondaryLinks after the upgrade: empty where the old link had a part, NULL where it had none. */
const expectedSecondary = (link: LinkCase): unknown[] | null => (link.url === null && link.label === null ? null : []);

describe('upgrade-0.23', () => {
  const db = useTestDatabase();
  const declared = buildStandardDeclarations();

  const createWorkspace = async (displayName: string, version: string): Promise<WorkspaceRow> =>
    (await new WorkspaceCreationService(db.dataSource, declared).create({ displayName, version, prefill: false })).workspace;

  const reload = async (id: string): Promise<WorkspaceRow> => (await new WorkspaceRepository(db.dataSource.manager).findById(id))!;

  const rowsOf = async (schema: string, table: string, order = `"id"`): Promise<Array<Record<string, unknown>>> =>
    (await db.client.query(`SELECT * FROM "${schema}"."${table}" ORDER BY ${order}`)).rows;

  describe('a 0.22 workspace with records, custom EMAIL/LINK fields, a custom object and views', () => {
    let workspace: WorkspaceRow;
    let schema: string;
    let before: TableData;
    let outcome: UpgradeOutcome;
    /** Field ids before the upgrade, by `object.name`. */
    const ids: Record<string, string> = {};
    const personIds = new Map<string, string>();
    const companyIds = new Map<string, string>();
    const partnerIds = new Map<string, string>();
    let viewFieldsBefore: Array<Record<string, unknown>>;
    let viewsBefore: Array<{ id: string; name: string }>;

    const insertViewField = async (viewId: string, fieldId: string, position: number, isVisible: boolean, size: number): Promise<void> => {
      // As the application places a field in a view: the fields from there move one position on.
      await db.client.query(`UPDATE "${schema}"."viewField" SET "position" = "position" + 1 WHERE "viewId" = $1 AND "position" >= $2`, [
        viewId,
        position,
      ]);
      await db.client.query(
        `INSERT INTO "${schema}"."viewField" ("viewId", "fieldMetadataId", "position", "isVisible", "size") VALUES ($1, $2, $3, $4, $5)`,
        [viewId, fieldId, position, isVisible, size],
      );
    };

    const viewId = async (name: string): Promise<string> => {
      const [row] = (await db.client.query(`SELECT "id"::text AS id FROM "${schema}"."view" WHERE "name" = $1`, [name])).rows;
      expect({ name, found: row !== undefined }).toEqual({ name, found: true });
      return row.id;
    };

    const objectId = async (nameSingular: string): Promise<string> =>
      (
        await db.client.query(`SELECT "id"::text AS id FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "nameSingular" = $2`, [
          workspace.id,
          nameSingular,
        ])
      ).rows[0].id;

    beforeAll(async () => {
      workspace = await createWorkspace('Legacy', '0.22');
      schema = workspace.schemaName;
      const custom = new CustomMetadataService(db.dataSource, declared);
      await custom.createField(workspace.id, 'person', { name: 'workEmail', label: 'Work email', type: 'EMAIL' });
      await custom.createObject(workspace.id, {
        nameSingular: 'partner',
        namePlural: 'partners',
        labelSingular: 'Partner',
        labelPlural: 'Partners',
      });
      await custom.createField(workspace.id, 'partner', { name: 'contactEmail', label: 'Contact email', type: 'EMAIL' });
      await custom.createField(workspace.id, 'partner', { name: 'website', label: 'Website', type: 'LINK' });
      await custom.createField(workspace.id, 'company', { name: 'blog', label: 'Blog', type: 'LINK' });

      for (const [object, name] of [
        ['person', 'email'],
        ['person', 'workEmail'],
        ['company', 'domainName'],
        ['company', 'linkedinLink'],
        ['company', 'address'],
        ['company', 'name'],
        ['company', 'blog'],
        ['partner', 'contactEmail'],
        ['partner', 'website'],
      ]) {
        const field = await fieldRow(db.client, workspace.id, object, name);
        expect({ field: `${object}.${name}`, exists: field !== undefined }).toEqual({ field: `${object}.${name}`, exists: true });
        ids[`${object}.${name}`] = field!.id;
      }

      for (const company of COMPANIES) {
        const [row] = (
          await db.client.query(
            `INSERT INTO "${schema}".company ("name", "domainNameUrl", "domainNameLabel", "linkedinLinkUrl", "linkedinLinkLabel", "address", "blogUrl", "blogLabel")
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING "id"::text AS id`,
            [
              company.name,
              company.domainName.url,
              company.domainName.label,
              company.linkedinLink.url,
              company.linkedinLink.label,
              company.address,
              (company.blog ?? NO_LINK).url,
              (company.blog ?? NO_LINK).label,
            ],
          )
        ).rows;
        companyIds.set(company.name, row.id);
      }
      for (const [index, person] of PEOPLE.entries()) {
        const [row] = (
          await db.client.query(
            `INSERT INTO "${schema}".person ("nameFirstName", "nameLastName", "email", "workEmail", "city", "companyId")
             VALUES ($1, 'Doe', $2, $3, 'Paris', $4) RETURNING "id"::text AS id`,
            [person.firstName, person.email, person.workEmail, [...companyIds.values()][index % companyIds.size]],
          )
        ).rows;
        personIds.set(person.firstName, row.id);
      }
      // Soft-deleted records move like any other.
      await db.client.query(`UPDATE "${schema}".person SET "deletedAt" = '2024-05-01T00:00:00Z' WHERE "id" = $1`, [personIds.get('Bob')]);
      await db.client.query(`UPDATE "${schema}".company SET "deletedAt" = '2024-05-01T00:00:00Z' WHERE "id" = $1`, [
        companyIds.get('Acme'),
      ]);
      // A person that never got an email keeps the column default ('').
      const [defaulted] = (
        await db.client.query(`INSERT INTO "${schema}".person ("nameFirstName") VALUES ('Defaulted') RETURNING "id"::text AS id, "email"`)
      ).rows;
      expect(defaulted.email).toBe('');
      personIds.set('Defaulted', defaulted.id);
      for (const partner of PARTNERS) {
        const [row] = (
          await db.client.query(
            `INSERT INTO "${schema}"."_partner" ("name", "contactEmail", "websiteUrl", "websiteLabel") VALUES ($1, $2, $3, $4) RETURNING "id"::text AS id`,
            [partner.name, partner.contactEmail, partner.website.url, partner.website.label],
          )
        ).rows;
        partnerIds.set(partner.name, row.id);
      }

      // Views: custom fields placed at several positions, a second and a third company view.
      const people = await viewId('All People');
      const partners = await viewId('All Partners');
      const companies = await viewId('All Companies');
      await insertViewField(people, ids['person.workEmail'], 2, true, 210);
      await db.client.query(
        `UPDATE "${schema}"."viewField" SET "isVisible" = false, "size" = 321 WHERE "viewId" = $1 AND "fieldMetadataId" = $2`,
        [people, ids['person.email']],
      );
      await insertViewField(partners, ids['partner.contactEmail'], 1, true, 180);
      const [{ last }] = (
        await db.client.query(`SELECT max("position")::float8 AS last FROM "${schema}"."viewField" WHERE "viewId" = $1`, [partners])
      ).rows;
      await insertViewField(partners, ids['partner.website'], last + 1, false, 260);
      const companyObject = await objectId('company');
      const [byAddress, withoutAddress, addressLast] = (
        await db.client.query(
          `INSERT INTO "${schema}"."view" ("name", "objectMetadataId", "type", "icon", "position")
           VALUES ('Companies by address', $1, 'table', 'IconMap', 10), ('Companies without address', $1, 'table', '', 11), ('Address last', $1, 'kanban', '', 12)
           RETURNING "id"::text AS id`,
          [companyObject],
        )
      ).rows.map((row) => row.id);
      await insertViewField(byAddress, ids['company.address'], 0, true, 400);
      await insertViewField(byAddress, ids['company.name'], 1, true, 150);
      await insertViewField(byAddress, ids['company.domainName'], 2, false, 90);
      await insertViewField(withoutAddress, ids['company.name'], 0, true, 150);
      await insertViewField(withoutAddress, ids['company.linkedinLink'], 1, true, 150);
      await insertViewField(addressLast, ids['company.name'], 0, true, 150);
      await insertViewField(addressLast, ids['company.address'], 1, false, 77);
      await db.client.query(
        `INSERT INTO "${schema}"."viewFilter" ("viewId", "fieldMetadataId", "operand", "value", "displayValue") VALUES
           ($1, $2, 'contains', '@example.com', 'example'), ($1, $3, 'isNotEmpty', '', ''), ($4, $5, 'contains', 'partner', 'partner'),
           ($4, $6, 'contains', 'example', ''), ($7, $8, 'is', 'acme.com', 'Acme'), ($7, $9, 'contains', 'Main', 'Main')`,
        [
          people,
          ids['person.email'],
          ids['person.workEmail'],
          partners,
          ids['partner.contactEmail'],
          ids['partner.website'],
          companies,
          ids['company.domainName'],
          ids['company.address'],
        ],
      );
      await db.client.query(
        `INSERT INTO "${schema}"."viewSort" ("viewId", "fieldMetadataId", "direction") VALUES ($1, $2, 'asc'), ($3, $4, 'desc'), ($3, $5, 'asc'), ($6, $7, 'desc')`,
        [
          people,
          ids['person.email'],
          partners,
          ids['partner.website'],
          ids['partner.contactEmail'],
          companies,
          ids['company.linkedinLink'],
        ],
      );

      before = await tableData(db.client, schema);
      viewFieldsBefore = await rowsOf(schema, 'viewField');
      viewsBefore = (await db.client.query(`SELECT "id"::text AS id, "name" FROM "${schema}"."view" ORDER BY "name"`)).rows;
      outcome = await new UpgradeRunner(db.dataSource).upgrade(workspace, '0.23', { batchSize: 3 });
    });

    it('upgrades to 0.23, every step done, the data moved in many batches', async () => {
      expect({
        status: outcome.status,
        message: outcome.message,
        syncs: outcome.syncs.map((sync) => [sync.version, sync.outcome.status]),
      }).toEqual({
        status: 'upgraded',
        message: null,
        syncs: [['0.23', 'applied']],
      });
      expect(outcome.steps.map((step) => [step.step, step.status])).toEqual(STEP_NAMES.map((name) => [name, 'done']));
      expect(await workspaceVersion(db.client, workspace.id)).toBe('0.23');
      const ledger = await ledgerRows(db.client, workspace.id);
      expect(ledger.map((row) => [row.step, row.status, row.version])).toEqual(
        [...STEP_NAMES].sort().map((name) => [name, 'DONE', '0.23']),
      );
      const emailStep = outcome.steps.find((step) => step.step === 'migrate-email-fields-to-emails')!;
      // person.email and person.workEmail move every person, partner.contactEmail every partner.
      expect(emailStep.rowsAffected).toBe(2 * personIds.size + partnerIds.size);
      expect(emailStep.notes).toEqual(
        expect.arrayContaining([
          `person.email -> emails (EMAILS): ${personIds.size} row(s) in ${Math.ceil(personIds.size / 3)} batch(es)`,
          `person.workEmail -> workEmail (EMAILS): ${personIds.size} row(s) in ${Math.ceil(personIds.size / 3)} batch(es)`,
          `partner.contactEmail -> contactEmail (EMAILS): ${partnerIds.size} row(s) in ${Math.ceil(partnerIds.size / 3)} batch(es)`,
        ]),
      );
      const linkStep = outcome.steps.find((step) => step.step === 'migrate-link-fields-to-links')!;
      expect(linkStep.rowsAffected).toBe(3 * companyIds.size + partnerIds.size);
      const triggers = await db.client.query(
        `SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal`,
        [schema],
      );
      expect(triggers.rows).toEqual([]);
    });

    it('moves every person email to emailsPrimaryEmail exactly, with no additional emails', async () => {
      const rows = await db.client.query(`SELECT "id"::text AS id, "emailsPrimaryEmail", "emailsAdditionalEmails" FROM "${schema}".person`);
      const after = new Map(rows.rows.map((row) => [row.id, row]));
      expect(after.size).toBe(personIds.size);
      const expected = [...PEOPLE.map((person) => [person.firstName, person.email] as const), ['Defaulted', ''] as const];
      for (const [firstName, email] of expected) {
        expect({ firstName, row: after.get(personIds.get(firstName)!) }).toEqual({
          firstName,
          row: { id: personIds.get(firstName), emailsPrimaryEmail: email, emailsAdditionalEmails: [] },
        });
      }
    });

    it('moves the custom EMAIL field of person to workEmailPrimaryEmail, NULL staying NULL', async () => {
      const rows = await db.client.query(
        `SELECT "id"::text AS id, "workEmailPrimaryEmail", "workEmailAdditionalEmails" FROM "${schema}".person`,
      );
      const after = new Map(rows.rows.map((row) => [row.id, row]));
      for (const person of [...PEOPLE, { firstName: 'Defaulted', workEmail: null }]) {
        expect({ person: person.firstName, row: after.get(personIds.get(person.firstName)!) }).toEqual({
          person: person.firstName,
          row: {
            id: personIds.get(person.firstName),
            workEmailPrimaryEmail: person.workEmail,
            workEmailAdditionalEmails: person.workEmail === null ? null : [],
          },
        });
      }
    });

    it('moves domainName and linkedinLink to LINKS: a bare domain gets https://, a URL with a scheme stays, empty stays empty, NULL stays NULL', async () => {
      const rows = await db.client.query(
        `SELECT "id"::text AS id, "domainNamePrimaryLinkUrl", "domainNamePrimaryLinkLabel", "domainNameSecondaryLinks",
                "linkedinLinkPrimaryLinkUrl", "linkedinLinkPrimaryLinkLabel", "linkedinLinkSecondaryLinks", "addressOld",
                "blogPrimaryLinkUrl", "blogPrimaryLinkLabel", "blogSecondaryLinks"
           FROM "${schema}".company`,
      );
      const after = new Map(rows.rows.map((row) => [row.id, row]));
      expect(after.size).toBe(COMPANIES.length);
      for (const company of COMPANIES) {
        expect({ company: company.name, row: after.get(companyIds.get(company.name)!) }).toEqual({
          company: company.name,
          row: {
            id: companyIds.get(company.name),
            domainNamePrimaryLinkUrl: company.domainName.expectedUrl,
            domainNamePrimaryLinkLabel: company.domainName.label,
            domainNameSecondaryLinks: expectedSecondary(company.domainName),
            linkedinLinkPrimaryLinkUrl: company.linkedinLink.expectedUrl,
            linkedinLinkPrimaryLinkLabel: company.linkedinLink.label,
            linkedinLinkSecondaryLinks: expectedSecondary(company.linkedinLink),
            addressOld: company.address,
            blogPrimaryLinkUrl: (company.blog ?? NO_LINK).expectedUrl,
            blogPrimaryLinkLabel: (company.blog ?? NO_LINK).label,
            blogSecondaryLinks: expectedSecondary(company.blog ?? NO_LINK),
          },
        });
      }
    });

    it('moves the custom object’s EMAIL and LINK fields to <name>PrimaryEmail and <name>PrimaryLinkUrl', async () => {
      const rows = await db.client.query(
        `SELECT "id"::text AS id, "contactEmailPrimaryEmail", "contactEmailAdditionalEmails", "websitePrimaryLinkUrl", "websitePrimaryLinkLabel", "websiteSecondaryLinks"
           FROM "${schema}"."_partner"`,
      );
      const after = new Map(rows.rows.map((row) => [row.id, row]));
      expect(after.size).toBe(PARTNERS.length);
      for (const partner of PARTNERS) {
        expect({ partner: partner.name, row: after.get(partnerIds.get(partner.name)!) }).toEqual({
          partner: partner.name,
          row: {
            id: partnerIds.get(partner.name),
            contactEmailPrimaryEmail: partner.contactEmail,
            contactEmailAdditionalEmails: partner.contactEmail === null ? null : [],
            websitePrimaryLinkUrl: partner.website.expectedUrl,
            websitePrimaryLinkLabel: partner.website.label,
            websiteSecondaryLinks: expectedSecondary(partner.website),
          },
        });
      }
    });

    it('keeps every other value of every table, row by row', async () => {
      const after = await tableData(db.client, schema);
      const moved: Record<string, string[]> = {
        person: ['email', 'workEmail'],
        company: ['domainNameUrl', 'domainNameLabel', 'linkedinLinkUrl', 'linkedinLinkLabel', 'address', 'blogUrl', 'blogLabel'],
        _partner: ['contactEmail', 'websiteUrl', 'websiteLabel'],
      };
      const renamed: Record<string, Record<string, string>> = { company: { address: 'addressOld' } };
      // viewField positions move where address is placed; checked by the view tests.
      const skipped: Record<string, string[]> = { viewField: ['position'] };
      let compared = 0;
      for (const [table, rows] of Object.entries(before)) {
        expect({
          table,
          ids: Object.keys(after[table] ?? {})
            .filter((id) => rows[id])
            .sort(),
        }).toEqual({ table, ids: Object.keys(rows).sort() });
        for (const [id, row] of Object.entries(rows)) {
          for (const [column, value] of Object.entries(row)) {
            if (skipped[table]?.includes(column) || (moved[table]?.includes(column) && !renamed[table]?.[column])) continue;
            const now = renamed[table]?.[column] ?? column;
            expect({ table, id, column: now, value: after[table][id][now] }).toEqual({ table, id, column: now, value });
            compared += 1;
          }
        }
      }
      expect(compared).toBeGreaterThan(500);
    });

    it('drops the old columns', async () => {
      const person = await liveColumns(db.client, schema, 'person');
      const company = await liveColumns(db.client, schema, 'company');
      const partner = await liveColumns(db.client, schema, '_partner');
      for (const column of ['email', 'workEmail']) expect({ column, present: person.includes(column) }).toEqual({ column, present: false });
      for (const column of [
        'domainNameUrl',
        'domainNameLabel',
        'linkedinLinkUrl',
        'linkedinLinkLabel',
        'address',
        'blogUrl',
        'blogLabel',
      ]) {
        expect({ column, present: company.includes(column) }).toEqual({ column, present: false });
      }
      for (const column of ['contactEmail', 'websiteUrl', 'websiteLabel'])
        expect({ column, present: partner.includes(column) }).toEqual({ column, present: false });
      expect(person).toEqual(
        expect.arrayContaining(['emailsPrimaryEmail', 'emailsAdditionalEmails', 'workEmailPrimaryEmail', 'workEmailAdditionalEmails']),
      );
      expect(partner).toEqual(
        expect.arrayContaining([
          'contactEmailPrimaryEmail',
          'contactEmailAdditionalEmails',
          'websitePrimaryLinkUrl',
          'websitePrimaryLinkLabel',
          'websiteSecondaryLinks',
        ]),
      );
    });

    it('keeps the id of every field whose type changed, now EMAILS or LINKS', async () => {
      const expected: Array<[string, Partial<FieldRow>]> = [
        ['person.email', { name: 'emails', type: 'EMAILS', label: 'Emails', isCustom: false }],
        ['person.workEmail', { name: 'workEmail', type: 'EMAILS', label: 'Work email', isCustom: true }],
        ['company.domainName', { name: 'domainName', type: 'LINKS', isCustom: false }],
        ['company.linkedinLink', { name: 'linkedinLink', type: 'LINKS', isCustom: false }],
        ['company.blog', { name: 'blog', type: 'LINKS', label: 'Blog', isCustom: true }],
        ['partner.contactEmail', { name: 'contactEmail', type: 'EMAILS', label: 'Contact email', isCustom: true }],
        ['partner.website', { name: 'website', type: 'LINKS', label: 'Website', isCustom: true }],
      ];
      for (const [key, shape] of expected) {
        expect({ key, field: await fieldById(db.client, ids[key]) }).toEqual({
          key,
          field: expect.objectContaining({ id: ids[key], ...shape }),
        });
      }
      const emails = await fieldRow(db.client, workspace.id, 'person', 'emails');
      expect(emails?.id).toBe(ids['person.email']);
      expect(await fieldRow(db.client, workspace.id, 'person', 'email')).toBeUndefined();
    });

    it('leaves every view filter and view sort as it was, pointing at the same field ids', async () => {
      const after = await tableData(db.client, schema);
      expect(Object.keys(before.viewFilter)).toHaveLength(6);
      expect(Object.keys(before.viewSort)).toHaveLength(4);
      expect(after.viewFilter).toEqual(before.viewFilter);
      expect(after.viewSort).toEqual(before.viewSort);
      // Every field they point at is still there, under the same id.
      for (const row of [...Object.values(after.viewFilter), ...Object.values(after.viewSort)]) {
        const field = await fieldById(db.client, row.fieldMetadataId!);
        expect({ fieldMetadataId: row.fieldMetadataId, exists: field !== undefined }).toEqual({
          fieldMetadataId: row.fieldMetadataId,
          exists: true,
        });
      }
    });

    it('keeps the text address as addressOld: custom, deprecated, "Address (Deprecated)", same id, every text untouched', async () => {
      expect(await fieldById(db.client, ids['company.address'])).toEqual(
        expect.objectContaining({ name: 'addressOld', label: 'Address (Deprecated)', type: 'TEXT', isCustom: true, isDeprecated: true }),
      );
      const rows = await db.client.query(`SELECT "id"::text AS id, "addressOld" FROM "${schema}".company`);
      const addresses = new Map(rows.rows.map((row) => [row.id, row.addressOld]));
      for (const company of COMPANIES) {
        expect({ company: company.name, address: addresses.get(companyIds.get(company.name)!) }).toEqual({
          company: company.name,
          address: company.address,
        });
      }
    });

    it('creates the standard ADDRESS field address, empty for existing companies', async () => {
      const address = await fieldRow(db.client, workspace.id, 'company', 'address');
      expect(address).toEqual(
        expect.objectContaining({ type: 'ADDRESS', isCustom: false, isDeprecated: false, standardId: COMPANY_STANDARD_FIELD_IDS.address }),
      );
      expect(address!.id).not.toBe(ids['company.address']);
      const columns = await liveColumns(db.client, schema, 'company');
      const subfields = ['Street1', 'Street2', 'City', 'Postcode', 'State', 'Country', 'Lat', 'Lng'].map((name) => `addressAddress${name}`);
      expect(columns).toEqual(expect.arrayContaining(subfields));
      const [{ filled }] = (
        await db.client.query(
          `SELECT count(*)::int AS filled FROM "${schema}".company WHERE ${subfields.map((column) => `"${column}" IS NOT NULL`).join(' OR ')}`,
        )
      ).rows;
      expect(filled).toBe(0);
    });

    it('keeps every view field (field, visibility, size), placing address right before addressOld in every view that shows it', async () => {
      const address = (await fieldRow(db.client, workspace.id, 'company', 'address'))!;
      const after = await rowsOf(schema, 'viewField');
      const oldAddressRows = viewFieldsBefore.filter((row) => row.fieldMetadataId === ids['company.address'] && row.deletedAt === null);
      expect(oldAddressRows).toHaveLength(3);
      const oldPosition = new Map(oldAddressRows.map((row) => [row.viewId as string, Number(row.position)]));
      // Every field that was there keeps its field, visibility and size; those from addressOld on move one position.
      const expectedKept = viewFieldsBefore.map((row) => ({
        id: row.id,
        viewId: row.viewId,
        fieldMetadataId: row.fieldMetadataId,
        isVisible: row.isVisible,
        size: row.size,
        position:
          Number(row.position) +
          (oldPosition.has(row.viewId as string) && Number(row.position) >= oldPosition.get(row.viewId as string)! ? 1 : 0),
      }));
      const keptIds = new Set(viewFieldsBefore.map((row) => row.id));
      const shape = (row: Record<string, unknown>) => ({
        id: row.id,
        viewId: row.viewId,
        fieldMetadataId: row.fieldMetadataId,
        isVisible: row.isVisible,
        size: row.size,
        position: Number(row.position),
      });
      expect(after.filter((row) => keptIds.has(row.id)).map(shape)).toEqual(expectedKept);
      // One new row per view showing addressOld: the new address, at addressOld's old place, with its visibility and size.
      const added = after.filter((row) => !keptIds.has(row.id));
      const sortByView = (rows: Array<Record<string, unknown>>) =>
        [...rows].sort((a, b) => String(a.viewId).localeCompare(String(b.viewId)));
      expect(
        sortByView(
          added.map(({ viewId, fieldMetadataId, position, isVisible, size }) => ({
            viewId,
            fieldMetadataId,
            position: Number(position),
            isVisible,
            size,
          })),
        ),
      ).toEqual(
        sortByView(
          oldAddressRows.map((row) => ({
            viewId: row.viewId,
            fieldMetadataId: address.id,
            position: Number(row.position),
            isVisible: row.isVisible,
            size: row.size,
          })),
        ),
      );
      // Right before addressOld: the next position in its view holds addressOld.
      for (const row of added) {
        const next = after.find((candidate) => candidate.viewId === row.viewId && Number(candidate.position) === Number(row.position) + 1);
        expect(next?.fieldMetadataId).toBe(ids['company.address']);
      }
      // No view got address without showing addressOld.
      const withoutAddress = viewsBefore.find((view) => view.name === 'Companies without address')!;
      const shown = after.filter((row) => row.viewId === withoutAddress.id).map((row) => row.fieldMetadataId);
      expect({ shown: shown.length, address: shown.includes(address.id) }).toEqual({ shown: 2, address: false });
    });

    it('leaves no two fields of a view at the same position', async () => {
      const { rows } = await db.client.query(
        `SELECT "viewId", "position", count(*)::int AS count FROM "${schema}"."viewField" WHERE "deletedAt" IS NULL GROUP BY "viewId", "position" HAVING count(*) > 1`,
      );
      expect(rows).toEqual([]);
      const [{ views }] = (await db.client.query(`SELECT count(DISTINCT "viewId")::int AS views FROM "${schema}"."viewField"`)).rows;
      expect(views).toBe(viewsBefore.length);
    });

    it('equals a workspace created at 0.23, but for addressOld and the custom object and fields', async () => {
      const fresh = await createWorkspace('Fresh 0.23', '0.23');
      const customColumns = new Set([
        'person.workEmailPrimaryEmail',
        'person.workEmailAdditionalEmails',
        'company.addressOld',
        'company.blogPrimaryLinkUrl',
        'company.blogPrimaryLinkLabel',
        'company.blogSecondaryLinks',
        'noteTarget.partnerId',
        'attachment.partnerId',
      ]);
      const upgraded = await standardParts(db.client, workspace.id, schema, customColumns);
      const expected = await standardParts(db.client, fresh.id, fresh.schemaName);
      expectSameStandardParts(upgraded, expected);
      expect(upgraded.metadata.fields.length).toBeGreaterThan(100);
      expect(upgraded.catalog.columns.length).toBeGreaterThan(100);
      // What was left out is exactly the custom parts.
      expect(await customFieldNames(db.client, workspace.id)).toEqual([
        'attachment.partner',
        'company.addressOld',
        'company.blog',
        'noteTarget.partner',
        'partner.contactEmail',
        'partner.website',
        'person.workEmail',
      ]);
    });

    it('is healthy, and in sync with the 0.23 declarations', async () => {
      const actual = await new ActualStateRepository(db.dataSource.manager).read(workspace.id, schema);
      expect(checkWorkspaceHealth(actual)).toEqual([]);
      const check = await new WorkspaceSyncService(db.dataSource, getVersionSnapshot('0.23')).sync(await reload(workspace.id), {
        check: true,
        dryRun: true,
      });
      expect({ status: check.status, message: check.message, actions: check.plan?.actions.map((action) => action.summary) }).toEqual({
        status: 'up-to-date',
        message: null,
        actions: [],
      });
    });

    describe('a second upgrade', () => {
      it('does nothing: up-to-date, the ledger as it was, no metadata, catalog or data change', async () => {
        const ledgerBefore = await ledgerRows(db.client, workspace.id);
        const snapshot = await workspaceSnapshot(db.client, workspace.id, schema);
        const again = await new UpgradeRunner(db.dataSource).upgrade(await reload(workspace.id), '0.23', { batchSize: 3 });
        expect({ status: again.status, steps: again.steps, syncs: again.syncs }).toEqual({ status: 'up-to-date', steps: [], syncs: [] });
        expect(await ledgerRows(db.client, workspace.id)).toEqual(ledgerBefore);
        expect(ledgerBefore.every((row) => row.status === 'DONE' && row.finishedAt instanceof Date)).toBe(true);
        expect(await workspaceSnapshot(db.client, workspace.id, schema)).toEqual(snapshot);
      });

      it('run with the row read before the first upgrade, finds the workspace at 0.23 once it holds the lock and changes nothing', async () => {
        const ledgerBefore = await ledgerRows(db.client, workspace.id);
        const snapshot = await workspaceSnapshot(db.client, workspace.id, schema);
        const stale = await new UpgradeRunner(db.dataSource).upgrade(workspace, '0.23', { batchSize: 3 });
        expect({ status: stale.status, message: stale.message, steps: stale.steps, syncs: stale.syncs }).toEqual({
          status: 'up-to-date',
          message: 'already at 0.23',
          steps: [],
          syncs: [],
        });
        expect(await ledgerRows(db.client, workspace.id)).toEqual(ledgerBefore);
        expect(await workspaceSnapshot(db.client, workspace.id, schema)).toEqual(snapshot);
        expect(await workspaceVersion(db.client, workspace.id)).toBe('0.23');
      });
    });
  });

  it('does nothing on a workspace created at 0.23, and writes no ledger row', async () => {
    const fresh = await createWorkspace('Fresh', '0.23');
    await db.client.query(
      `INSERT INTO "${fresh.schemaName}".person ("emailsPrimaryEmail", "emailsAdditionalEmails") VALUES ('a@b.c', '[]')`,
    );
    const snapshot = await workspaceSnapshot(db.client, fresh.id, fresh.schemaName);
    expect(Object.keys(snapshot.data.person)).toHaveLength(1);
    const outcome = await new UpgradeRunner(db.dataSource).upgrade(fresh, '0.23');
    expect({ status: outcome.status, steps: outcome.steps }).toEqual({ status: 'up-to-date', steps: [] });
    expect(await ledgerRows(db.client, fresh.id)).toEqual([]);
    expect(await workspaceSnapshot(db.client, fresh.id, fresh.schemaName)).toEqual(snapshot);
  });

  it('refuses a workspace at another version, naming the version it needs, and writes nothing', async () => {
    const old = await createWorkspace('Too old', '0.22');
    await db.client.query(`UPDATE core.workspace SET "version" = '0.21' WHERE "id" = $1`, [old.id]);
    const snapshot = await workspaceSnapshot(db.client, old.id, old.schemaName);
    const outcome = await new UpgradeRunner(db.dataSource).upgrade(await reload(old.id), '0.23');
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('workspace is at 0.21');
    expect(outcome.message).toContain('upgrade-0.23 needs 0.22');
    expect(await ledgerRows(db.client, old.id)).toEqual([]);
    expect(await workspaceSnapshot(db.client, old.id, old.schemaName)).toEqual(snapshot);

    await db.client.query(`UPDATE core.workspace SET "version" = NULL WHERE "id" = $1`, [old.id]);
    const unversioned = await new UpgradeRunner(db.dataSource).upgrade(await reload(old.id), '0.23');
    expect({ status: unversioned.status, message: unversioned.message }).toEqual({
      status: 'failed',
      message: expect.stringContaining('needs 0.22'),
    });
    expect(await ledgerRows(db.client, old.id)).toEqual([]);
  });

  it('sync before the upgrade refuses the type changes of a 0.22 workspace, names upgrade-0.23, and changes nothing', async () => {
    const legacy = (await new WorkspaceCreationService(db.dataSource, declared).create({ displayName: 'Sync first', version: '0.22' }))
      .workspace;
    const snapshot = await workspaceSnapshot(db.client, legacy.id, legacy.schemaName);
    expect(Object.keys(snapshot.data.person).length).toBeGreaterThan(0);
    expect(upgradeCommandFor(legacy.version)).toBe('upgrade-0.23');
    const outcome = await new WorkspaceSyncService(db.dataSource, declared).sync(legacy, {
      upgradeCommand: upgradeCommandFor(legacy.version),
    });
    expect({ status: outcome.status, statements: outcome.statementsExecuted }).toEqual({ status: 'failed', statements: 0 });
    const typeChanges = outcome.plan!.refusals.filter((refusal) => refusal.hazard === Hazard.TYPE_CHANGE);
    expect(typeChanges.map((refusal) => [refusal.object, refusal.field]).sort()).toEqual(
      [
        ['company', 'address'],
        ['company', 'domainName'],
        ['company', 'linkedinLink'],
        ['note', 'body'],
        ['person', 'email'],
        ['person', 'phone'],
      ].sort(),
    );
    for (const refusal of typeChanges) {
      expect(refusal.message).toContain('run `upgrade-0.23`, which migrates it with its data');
    }
    expect(outcome.message).toContain('field person.email changes type EMAIL -> EMAILS (and name to emails)');
    expect(outcome.message).toContain('upgrade-0.23');
    expect(await workspaceSnapshot(db.client, legacy.id, legacy.schemaName)).toEqual(snapshot);
    expect(await workspaceVersion(db.client, legacy.id)).toBe('0.22');
  });
});
