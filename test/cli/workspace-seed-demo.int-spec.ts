import { RecordService } from '../../src/records/record.service';
import { CURRENT_VERSION } from '../../src/standard-objects/version.constant';
import { demoSplit } from '../../src/workspace/demo-seed';
import { runCli } from '../utils/cli';
import { useTestDatabase } from '../utils/test-services';
import { footprintOf, workspaceRow } from './workspace-state';

/**
 * workspace:seed:demo as invoked: a workspace with realistic companies, people and opportunities
 * tied together, in the shapes of its version, with views whose filters and sorts select records.
 */

interface SeedJson {
  workspace: { id: string; schemaName: string; version: string };
  views: number;
  records: { companies: number; people: number; opportunities: number };
}

describe('workspace:seed:demo', () => {
  const db = useTestDatabase();

  const seed = async (...args: string[]): Promise<SeedJson> => {
    const result = await runCli(['workspace:seed:demo', '--json', ...args], { DATABASE_URL: db.database.url });
    expect({ code: result.code, stderr: result.stderr.replace(/^Database: .*\n/, '') }).toEqual({ code: 0, stderr: '' });
    return JSON.parse(result.stdout) as SeedJson;
  };

  const count = async (schema: string, table: string, where = 'true'): Promise<number> =>
    (await db.client.query(`SELECT count(*)::int AS count FROM "${schema}"."${table}" WHERE ${where}`)).rows[0].count;

  describe(`--records 2000 at the current version (${CURRENT_VERSION})`, () => {
    let seeded: SeedJson;
    let schema: string;

    beforeAll(async () => {
      seeded = await seed('--records', '2000', '--name', 'Big demo');
      schema = seeded.workspace.schemaName;
    });

    it('reports and writes 10% companies, 70% people, 20% opportunities, and 3 views beside the 5 default ones', async () => {
      expect(seeded.records).toEqual({ companies: 200, people: 1400, opportunities: 400 });
      expect(demoSplit(2000)).toEqual(seeded.records);
      expect(seeded.views).toBe(8);
      expect(await count(schema, 'company')).toBe(200);
      expect(await count(schema, 'person')).toBe(1400);
      expect(await count(schema, 'opportunity')).toBe(400);
      expect(await count(schema, 'view')).toBe(8);
      expect(await workspaceRow(db.client, seeded.workspace.id)).toMatchObject({
        displayName: 'Big demo',
        version: CURRENT_VERSION,
        activationStatus: 'ACTIVE',
      });
    });

    it('ties every person to a company and every opportunity to a company and to one of its people', async () => {
      expect(await count(schema, 'person', `"companyId" IS NULL OR "companyId" NOT IN (SELECT "id" FROM "${schema}".company)`)).toBe(0);
      expect(await count(schema, 'opportunity', `"companyId" IS NULL`)).toBe(0);
      const mismatched = await db.client.query(
        `SELECT count(*)::int AS count FROM "${schema}".opportunity o JOIN "${schema}".person p ON p."id" = o."pointOfContactId" WHERE p."companyId" <> o."companyId"`,
      );
      expect(mismatched.rows[0].count).toBe(0);
      expect(await count(schema, 'opportunity', `"pointOfContactId" IS NOT NULL`)).toBe(400);
    });

    it('gives every person a distinct email at their company domain, and every company a distinct domain', async () => {
      const emails = await db.client.query(
        `SELECT count(*)::int AS total, count(DISTINCT p."emailsPrimaryEmail")::int AS distinct,
                count(*) FILTER (WHERE p."emailsPrimaryEmail" NOT LIKE '%@' || replace(c."domainNamePrimaryLinkUrl", 'https://', ''))::int AS elsewhere
           FROM "${schema}".person p JOIN "${schema}".company c ON c."id" = p."companyId"`,
      );
      expect(emails.rows[0]).toEqual({ total: 1400, distinct: 1400, elsewhere: 0 });
      const domains = await db.client.query(`SELECT count(DISTINCT "domainNamePrimaryLinkUrl")::int AS distinct FROM "${schema}".company`);
      expect(domains.rows[0].distinct).toBe(200);
    });

    it('adds views whose filters and sorts select and order the records', async () => {
      const views = (await db.client.query(`SELECT "id", "name" FROM "${schema}"."view" ORDER BY "position"`)).rows;
      expect(views.map((view) => view.name)).toEqual([
        'All People',
        'All Companies',
        'All Opportunities',
        'All Notes',
        'All Tasks',
        'People in Paris',
        'Large companies',
        'Pipeline by amount',
      ]);
      const service = new RecordService(db.dataSource);
      const byName = new Map(views.map((view) => [view.name, view.id as string]));

      const paris = await service.list(seeded.workspace.id, 'person', { viewId: byName.get('People in Paris'), limit: 200, offset: 0 });
      expect(paris.pageInfo.totalCount).toBe(await count(schema, 'person', `"city" = 'Paris'`));
      expect(paris.pageInfo.totalCount).toBeGreaterThan(0);
      expect(paris.records.every((record) => record.city === 'Paris')).toBe(true);

      const large = await service.list(seeded.workspace.id, 'company', { viewId: byName.get('Large companies'), limit: 200, offset: 0 });
      expect(large.pageInfo.totalCount).toBe(await count(schema, 'company', `"employees" > 1000`));
      const employees = large.records.map((record) => record.employees as number);
      expect(employees).toEqual([...employees].sort((a, b) => b - a));
    });
  });

  it('seeds a 0.22 workspace in the shapes of 0.22 (email, domainName as LINK), which upgrades to the current version', async () => {
    const seeded = await seed('--records', '300', '--version', '0.22');
    const schema = seeded.workspace.schemaName;
    expect(seeded.workspace.version).toBe('0.22');
    expect(await count(schema, 'person', `"email" LIKE '%@%'`)).toBe(seeded.records.people);
    expect(await count(schema, 'company', `"domainNameUrl" LIKE '%.com'`)).toBe(seeded.records.companies);
    expect(await count(schema, 'opportunity', `"pointOfContactEmail" LIKE '%@%'`)).toBe(seeded.records.opportunities);
    const upgraded = await runCli(['upgrade:latest', '-w', seeded.workspace.id], { DATABASE_URL: db.database.url });
    expect(upgraded.code).toBe(0);
    expect(upgraded.stdout).toContain(`matched ${seeded.records.opportunities}, unmatched 0, ambiguous 0`);
    expect(await count(schema, 'opportunity', `"pointOfContactId" IS NOT NULL`)).toBe(seeded.records.opportunities);
  });

  it.each([
    [['--records', '0'], '--records takes a whole number from 1 to 1000000; got "0".'],
    [['--records', 'many'], '--records takes a whole number from 1 to 1000000; got "many".'],
    [['--records', '1000001'], '--records takes a whole number from 1 to 1000000; got "1000001".'],
    [['--version', '0.19'], '--version must be one of 0.22, 0.23, 0.24, 0.25; got "0.19".'],
    [['--name', ''], 'the workspace name must be 1 to 200 characters'],
  ])('refuses %j with exit 2 and writes nothing', async (args, message) => {
    const before = await footprintOf(db.client);
    const result = await runCli(['workspace:seed:demo', ...args], { DATABASE_URL: db.database.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await footprintOf(db.client)).toEqual(before);
  });
});
