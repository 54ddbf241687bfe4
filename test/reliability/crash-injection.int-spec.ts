import { DeclaredSchema } from '../../src/declarations/declared-schema';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { WorkspaceSyncService } from '../../src/sync/workspace-sync.service';
import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { v1 } from '../fixtures/declarations/v1';
import { v2 } from '../fixtures/declarations/v2';
import { insertRowsWithEveryColumn } from '../utils/every-column-rows';
import { tableData } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { EndState, endState, integrityProblems, recordsWithoutIds, valueCount } from './support/end-state';
import { FixtureCli, ProcessResult, queriesOf, runProductCli, stderrProblems, waitForServiceSessionsToEnd } from './support/processes';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { startServer } from './support/http-server';

/**
 * Crash injection: create, sync (v1 -> v2, and of a new field alone), upgrade-0.23 and upgrade-0.24 run in a
 * child process that is killed (SIGKILL, no chance to clean up) right after the server answered
 * its k-th query, for every k of the uninterrupted run: every statement boundary, BEGIN and COMMIT included. After each kill the
 * run is repeated to completion, and the workspace must equal the one of an uninterrupted run:
 * metadata, catalog, every value, views, ledger; nothing orphaned, nothing temporary left.
 *
 * `npm run test:crash` kills at every boundary; the default run kills at a deterministic sample
 * (the first, the last, and evenly spaced ones between), except in the sync of a new field alone,
 * whose few queries are all killed at.
 */

const FULL = process.env.WMS_CRASH_FULL === '1';
const SAMPLES_PER_SCENARIO = 3;

/** Every boundary, or the first, the last and about SAMPLES_PER_SCENARIO evenly spaced between. */
const boundariesToKill = (total: number, full = FULL): number[] => {
  // WMS_CRASH_FROM=<k> starts a full enumeration at boundary k (to go over the end of a long one again).
  const from = Math.max(1, Number(process.env.WMS_CRASH_FROM) || 1);
  if (full) return Array.from({ length: total }, (_, index) => index + 1).filter((k) => k >= from);
  const stride = Math.max(1, Math.ceil(total / SAMPLES_PER_SCENARIO));
  const points = new Set([1, total]);
  for (let k = Math.ceil(stride / 2); k < total; k += stride) points.add(k);
  return [...points].sort((a, b) => a - b);
};

interface Figures {
  scenario: string;
  boundaries: number;
  killed: number;
  valuesVerified: number;
  rowsLost: number;
  /** Killed at every boundary, whatever WMS_CRASH_FULL says (a run of few queries). */
  every?: boolean;
}

const report = (figures: Figures): void => {
  process.stdout.write(
    `crash-injection ${figures.scenario}: ${figures.boundaries} statement boundaries, ${figures.killed} killed and rerun (${figures.every || FULL ? 'full' : 'sampled'}), ` +
      `${figures.valuesVerified} values verified, ${figures.rowsLost} rows lost\n`,
  );
};

const expectKilled = (k: number, result: ProcessResult): void => {
  expect({ k, signal: result.signal, code: result.code }).toEqual({ k, signal: 'SIGKILL', code: null });
};

const expectSucceeded = (k: number, result: ProcessResult): void => {
  expect({ k, code: result.code, signal: result.signal, problems: stderrProblems(result) }).toEqual({
    k,
    code: 0,
    signal: null,
    problems: [],
  });
};

const rowCounts = (data: Record<string, Record<string, unknown>>): Record<string, number> =>
  Object.fromEntries(Object.entries(data).map(([table, rows]) => [table, Object.keys(rows).length]));

const TIMEOUT = (FULL ? 120 : 8) * 60_000;

describe('crash injection: killed at every statement boundary, rerun, same end state', () => {
  const db = useTestDatabase(2);
  let fixtureCli: FixtureCli;
  const standard = buildStandardDeclarations();

  beforeAll(async () => {
    fixtureCli = FixtureCli.build();
  });

  afterAll(async () => {
    fixtureCli?.remove();
  });

  const env = (extra: Record<string, string> = {}) => ({ DATABASE_URL: db.database.url, ...extra });

  /** Copies every record of `from` into `to` (same tables, same columns): two workspaces with the same data. */
  const copyRecords = async (from: WorkspaceRow, to: WorkspaceRow, tables: string[]): Promise<void> => {
    for (const table of tables) {
      const { rows } = await db.client.query<{ column: string; type: string }>(
        `SELECT a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type"
           FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [`"${to.schemaName}"."${table}"`],
      );
      // Through text: enum types are per schema.
      await db.client.query(
        `INSERT INTO "${to.schemaName}"."${table}" (${rows.map((row) => `"${row.column}"`).join(', ')})
         SELECT ${rows.map((row) => `"${row.column}"::text::${row.type}`).join(', ')} FROM "${from.schemaName}"."${table}"`,
      );
    }
  };

  it(
    'workspace:create',
    async () => {
      const create = (name: string, extra: Record<string, string> = {}) =>
        runProductCli(['workspace:create', '--name', name, '--json'], { env: env(extra) });
      const reference = await create('Crash reference', { WMS_FAULT_COUNT_QUERIES: '1' });
      expectSucceeded(0, reference);
      const total = queriesOf(reference);
      const referenceRow: WorkspaceRow = JSON.parse(reference.stdout).workspace;
      const referenceState = await endState(db.client, referenceRow.id, referenceRow.schemaName);
      // Created records get new ids and timestamps in every workspace: compared without them.
      const expected = {
        metadata: referenceState.metadata,
        catalog: referenceState.catalog,
        records: await recordsWithoutIds(db.client, referenceRow.schemaName),
        views: referenceState.views,
      };
      const figures: Figures = { scenario: 'workspace:create', boundaries: total, killed: 0, valuesVerified: 0, rowsLost: 0 };

      for (const k of boundariesToKill(total)) {
        const name = `Crash at ${k}`;
        expectKilled(k, await create(name, { WMS_FAULT_KILL_AFTER_QUERY: String(k) }));
        figures.killed += 1;
        await waitForServiceSessionsToEnd(db.client);
        // A creation is one transaction: either it committed whole, or nothing of it is left.
        expect({ k, problems: await integrityProblems(db.client, db.dataSource, null, null) }).toEqual({ k, problems: [] });
        const existing = await db.client.query(`SELECT "id", "schemaName" FROM core.workspace WHERE "displayName" = $1`, [name]);
        if (existing.rows.length === 0) {
          expectSucceeded(k, await create(name));
        }
        const { rows } = await db.client.query(`SELECT "id", "schemaName" FROM core.workspace WHERE "displayName" = $1`, [name]);
        expect({ k, workspaces: rows.length }).toEqual({ k, workspaces: 1 });
        const [{ id, schemaName }] = rows;
        const state = await endState(db.client, id, schemaName);
        const records = await recordsWithoutIds(db.client, schemaName);
        expect({ k, metadata: state.metadata, catalog: state.catalog, records, views: state.views }).toEqual({ k, ...expected });
        expect({ k, problems: await integrityProblems(db.client, db.dataSource, id, schemaName) }).toEqual({ k, problems: [] });
        figures.valuesVerified += valueCount(state.records);
        figures.rowsLost +=
          Object.values(expected.records).reduce((sum, table) => sum + table.length, 0) -
          Object.values(records).reduce((sum, table) => sum + table.length, 0);
      }
      report(figures);
      expect(figures.rowsLost).toBe(0);
    },
    TIMEOUT,
  );

  /**
   * Kills an upgrade right after each of its sampled statement boundaries (of `total`), runs it again
   * to completion, and holds the workspace to the uninterrupted run: every value and the ledger as
   * `expected`, no integrity problem, the version recorded, no row of `rows` (table -> count) lost.
   */
  const killEachUpgradeBoundary = async (options: {
    scenario: string;
    version: string;
    total: number;
    expected: Record<string, unknown>;
    rows: Record<string, number>;
    clone: (k: number) => Promise<WorkspaceRow>;
    upgrade: (workspace: WorkspaceRow, extra?: Record<string, string>) => ReturnType<typeof runProductCli>;
    ledger: (workspaceId: string) => Promise<unknown[]>;
  }): Promise<void> => {
    const figures: Figures = { scenario: options.scenario, boundaries: options.total, killed: 0, valuesVerified: 0, rowsLost: 0 };
    for (const k of boundariesToKill(options.total)) {
      const workspace = await options.clone(k);
      expectKilled(k, await options.upgrade(workspace, { WMS_FAULT_KILL_AFTER_QUERY: String(k) }));
      figures.killed += 1;
      await waitForServiceSessionsToEnd(db.client);
      expectSucceeded(k, await options.upgrade(workspace));
      const state = { ...(await endState(db.client, workspace.id, workspace.schemaName)), ledger: await options.ledger(workspace.id) };
      expect({ k, ...state }).toEqual({ k, ...options.expected });
      expect({ k, problems: await integrityProblems(db.client, db.dataSource, workspace.id, workspace.schemaName) }).toEqual({
        k,
        problems: [],
      });
      const version = await db.client.query(`SELECT "version" FROM core.workspace WHERE "id" = $1`, [workspace.id]);
      expect({ k, version: version.rows[0].version }).toEqual({ k, version: options.version });
      figures.valuesVerified += valueCount(state.records);
      figures.rowsLost += Object.entries(options.rows).reduce(
        (lost, [table, count]) => lost + count - Object.keys(state.records[table]).length,
        0,
      );
    }
    report(figures);
    expect(figures.rowsLost).toBe(0);
  };

  /**
   * `workspace:sync-metadata` to v2 of workspaces created from `from` with the same companies and
   * people: a reference run, then a clone killed after each query to kill at and run again, which
   * must end as the reference did, converged.
   */
  const syncToV2 = async (options: {
    from: DeclaredSchema;
    scenario: string;
    /** Kill at every boundary, whatever WMS_CRASH_FULL says. */
    every?: boolean;
    /** What the reference run prints. */
    applied: RegExp;
    /** Rows per table the end state holds, from those of the seed. */
    expectedCounts: (seedCounts: Record<string, number>) => Record<string, number>;
    /** Checks of the scenario on a clone of its own, before the kills. */
    check?: (clone: (name: string) => Promise<WorkspaceRow>) => Promise<void>;
  }): Promise<void> => {
    const creation = new WorkspaceCreationService(db.dataSource, options.from);
    const { workspace: seed } = await creation.createFrom(options.from, { displayName: `${options.scenario}: seed` });
    await insertRowsWithEveryColumn(db.client, seed.schemaName, 'company', 25, 1);
    await insertRowsWithEveryColumn(db.client, seed.schemaName, 'person', 40, 100);
    const seedData = await tableData(db.client, seed.schemaName);
    const clone = async (name: string): Promise<WorkspaceRow> => {
      const { workspace } = await creation.createFrom(options.from, { displayName: `${options.scenario}: ${name}` });
      await copyRecords(seed, workspace, ['company', 'person']);
      return workspace;
    };
    const sync = (workspace: WorkspaceRow, extra: Record<string, string> = {}) =>
      fixtureCli.run('v2', ['workspace:sync-metadata', '-w', workspace.id], { env: env(extra) });
    await options.check?.(clone);

    const reference = await clone('reference');
    const referenceRun = await sync(reference, { WMS_FAULT_COUNT_QUERIES: '1' });
    expectSucceeded(0, referenceRun);
    expect(referenceRun.stdout).toMatch(options.applied);
    const total = queriesOf(referenceRun);
    // lastContactAt is new in v2 with the default now(): the time of the sync, in every row.
    const withoutSyncTime = (state: EndState): EndState => {
      for (const row of Object.values(state.records.person)) {
        expect(row.lastContactAt).not.toBeNull();
        delete row.lastContactAt;
      }
      return state;
    };
    const expected = withoutSyncTime(await endState(db.client, reference.id, reference.schemaName));
    expect(rowCounts(expected.records)).toEqual(options.expectedCounts(rowCounts(seedData)));
    const figures: Figures = {
      scenario: options.scenario,
      boundaries: total,
      killed: 0,
      valuesVerified: 0,
      rowsLost: 0,
      every: options.every,
    };

    for (const k of boundariesToKill(total, options.every || FULL)) {
      const workspace = await clone(`killed at ${k}`);
      expectKilled(k, await sync(workspace, { WMS_FAULT_KILL_AFTER_QUERY: String(k) }));
      figures.killed += 1;
      await waitForServiceSessionsToEnd(db.client);
      expectSucceeded(k, await sync(workspace));
      const state = withoutSyncTime(await endState(db.client, workspace.id, workspace.schemaName));
      expect({ k, ...state }).toEqual({ k, ...expected });
      expect({ k, problems: await integrityProblems(db.client, db.dataSource, workspace.id, workspace.schemaName) }).toEqual({
        k,
        problems: [],
      });
      // Converged: a check against the live schema plans nothing.
      const check = await new WorkspaceSyncService(db.dataSource, v2).sync(
        (await new WorkspaceRepository(db.dataSource.manager).findById(workspace.id))!,
        { check: true, dryRun: true },
      );
      expect({ k, status: check.status, actions: check.plan?.actions.length }).toEqual({ k, status: 'up-to-date', actions: 0 });
      figures.valuesVerified += valueCount(state.records);
      figures.rowsLost +=
        Object.keys(seedData.person).length +
        Object.keys(seedData.company).length -
        Object.keys(state.records.person).length -
        Object.keys(state.records.company).length;
    }
    report(figures);
    expect(figures.rowsLost).toBe(0);
  };

  it(
    'workspace:sync-metadata from v1 to v2',
    () =>
      syncToV2({
        from: v1,
        scenario: 'workspace:sync-metadata v1 -> v2',
        applied: /applied \d+ action\(s\)/,
        expectedCounts: (seed) => ({ ...seed, project: 0 }),
      }),
    TIMEOUT,
  );

  it(
    'workspace:sync-metadata of a new field alone (one script per workspace, planned without reading)',
    () =>
      syncToV2({
        // v2 but for person.lastContactAt: the sync to v2 adds that field and nothing else.
        from: {
          ...v2,
          objects: v2.objects.map((object) =>
            object.nameSingular === 'person'
              ? { ...object, fields: object.fields.filter((field) => field.name !== 'lastContactAt') }
              : object,
          ),
        },
        scenario: 'workspace:sync-metadata of a new field alone',
        every: true,
        applied: /applied 1 action\(s\), 2 statement\(s\)/,
        expectedCounts: (seed) => seed,
        // The change is one the sync plans without reading the workspace, in one script.
        check: async (clone) => {
          const outcome = await new WorkspaceSyncService(db.dataSource, v2).sync(await clone('in process'));
          expect({ status: outcome.status, plannedWithoutReading: outcome.plannedWithoutReading }).toEqual({
            status: 'applied',
            plannedWithoutReading: true,
          });
        },
      }),
    TIMEOUT,
  );

  it(
    'upgrade-0.23 (batched data moves, ledger, sync, views)',
    async () => {
      const PEOPLE = 45;
      const COMPANIES = 25;
      const BATCH_SIZE = 20;
      const creation = new WorkspaceCreationService(db.dataSource, standard);
      const custom = new CustomMetadataService(db.dataSource, standard);
      const atVersion022 = async (name: string): Promise<WorkspaceRow> => {
        const { workspace } = await creation.create({ displayName: name, version: '0.22', prefill: false });
        await custom.createField(workspace.id, 'person', { name: 'workEmail', label: 'Work email', type: 'EMAIL' });
        await custom.createField(workspace.id, 'company', { name: 'blog', label: 'Blog', type: 'LINK' });
        return workspace;
      };
      const seed = await atVersion022('Upgrade seed');
      await db.client.query(
        `INSERT INTO "${seed.schemaName}".company ("name", "domainNameUrl", "domainNameLabel", "linkedinLinkUrl", "address", "blogUrl", "blogLabel")
         SELECT 'Company ' || n, CASE WHEN n % 7 = 0 THEN NULL WHEN n % 5 = 0 THEN 'https://c' || n || '.example/x' ELSE 'c' || n || '.example' END,
                CASE WHEN n % 2 = 0 THEN 'Label ' || n END, CASE WHEN n % 3 = 0 THEN 'linkedin.com/company/c' || n END, n || ' Main Street',
                CASE WHEN n % 4 <> 0 THEN 'blog' || n || '.example' END, 'Blog ' || n
           FROM generate_series(1, $1) AS n`,
        [COMPANIES],
      );
      await db.client.query(
        `INSERT INTO "${seed.schemaName}".person ("nameFirstName", "nameLastName", "email", "workEmail", "city", "companyId")
         SELECT 'First ' || n, 'Last ' || n, CASE WHEN n % 9 = 0 THEN '' ELSE 'p' || n || '@example.com' END,
                CASE WHEN n % 3 = 0 THEN 'work' || n || '@example.com' END, 'City ' || (n % 4),
                (SELECT "id" FROM "${seed.schemaName}".company ORDER BY "id" OFFSET (n % $2) LIMIT 1)
           FROM generate_series(1, $1) AS n`,
        [PEOPLE, COMPANIES],
      );
      const seedData = await tableData(db.client, seed.schemaName);
      const clone = async (name: string): Promise<WorkspaceRow> => {
        const workspace = await atVersion022(name);
        await copyRecords(seed, workspace, ['company', 'person']);
        return workspace;
      };
      const upgrade = (workspace: WorkspaceRow, extra: Record<string, string> = {}) =>
        runProductCli(['upgrade-0.23', '-w', workspace.id, '--batch-size', String(BATCH_SIZE)], { env: env(extra) });
      const ledger = async (workspaceId: string) =>
        (
          await db.client.query(
            `SELECT "step", "status", "checksum", "rowsAffected"::int AS "rowsAffected", "error" FROM core."upgradeLedger" WHERE "workspaceId" = $1 ORDER BY "step"`,
            [workspaceId],
          )
        ).rows;

      const reference = await clone('Upgrade reference');
      const referenceRun = await upgrade(reference, { WMS_FAULT_COUNT_QUERIES: '1' });
      expectSucceeded(0, referenceRun);
      const total = queriesOf(referenceRun);
      const expected = { ...(await endState(db.client, reference.id, reference.schemaName)), ledger: await ledger(reference.id) };
      expect(expected.ledger.map((row) => [row.step, row.status])).toEqual([
        ['add-address-to-views', 'DONE'],
        ['deprecate-company-address', 'DONE'],
        ['migrate-email-fields-to-emails', 'DONE'],
        ['migrate-link-fields-to-links', 'DONE'],
      ]);
      // The reference itself kept every value: emails, work emails, links (bare domains as https://), addresses.
      const moved = await db.client.query(
        `SELECT p."id"::text AS id, p."emailsPrimaryEmail" AS email, p."workEmailPrimaryEmail" AS "workEmail" FROM "${reference.schemaName}".person p ORDER BY p."id"`,
      );
      expect(moved.rows).toEqual(
        Object.values(seedData.person)
          .map((row) => ({ id: row.id, email: row.email, workEmail: row.workEmail }))
          .sort((a, b) => (a.id! < b.id! ? -1 : 1)),
      );
      const links = await db.client.query(
        `SELECT "id"::text AS id, "domainNamePrimaryLinkUrl" AS url, "blogPrimaryLinkLabel" AS "blogLabel", "addressOld" FROM "${reference.schemaName}".company ORDER BY "id"`,
      );
      const https = (url: string | null) => (url === null || url === '' || /^[a-z]+:\/\//.test(url) ? url : `https://${url}`);
      expect(links.rows).toEqual(
        Object.values(seedData.company)
          .map((row) => ({ id: row.id, url: https(row.domainNameUrl), blogLabel: row.blogLabel, addressOld: row.address }))
          .sort((a, b) => (a.id! < b.id! ? -1 : 1)),
      );
      await killEachUpgradeBoundary({
        scenario: 'upgrade-0.23',
        version: '0.23',
        total,
        expected,
        rows: { person: PEOPLE, company: COMPANIES },
        clone: (k) => clone(`Upgrade killed at ${k}`),
        upgrade,
        ledger,
      });
    },
    TIMEOUT,
  );

  it(
    'upgrade-0.24 (duplicates resolved, unique index, sync, batched backfill, views)',
    async () => {
      const PEOPLE = 45;
      const COMPANIES = 10;
      const OPPORTUNITIES = 40;
      const BATCH_SIZE = 10;
      const creation = new WorkspaceCreationService(db.dataSource, standard);
      const seed = (await creation.create({ displayName: 'Upgrade 0.24 seed', version: '0.23', prefill: false })).workspace;
      await db.client.query(
        `INSERT INTO "${seed.schemaName}".company ("name", "annualRecurringRevenueAmountMicros", "annualRecurringRevenueCurrencyCode")
         SELECT 'Company ' || n, CASE WHEN n % 3 <> 0 THEN n * 1000000 END, CASE WHEN n % 3 <> 0 THEN 'EUR' END FROM generate_series(1, $1) AS n`,
        [COMPANIES],
      );
      // Emails p1..p30: people n and n + 30 share one, every 11th has none: 12 duplicates to rename.
      await db.client.query(
        `INSERT INTO "${seed.schemaName}".person ("nameFirstName", "emailsPrimaryEmail", "emailsAdditionalEmails", "createdAt", "companyId")
         SELECT 'First ' || n, CASE WHEN n % 11 = 0 THEN NULL ELSE 'p' || (n % 30) || '@example.com' END, '[]'::jsonb,
                '2024-01-01'::timestamptz + n * interval '1 minute',
                (SELECT "id" FROM "${seed.schemaName}".company ORDER BY "id" OFFSET (n % $2) LIMIT 1)
           FROM generate_series(1, $1) AS n`,
        [PEOPLE, COMPANIES],
      );
      // Points of contact: matched (case and spaces aside), unmatched, empty.
      await db.client.query(
        `INSERT INTO "${seed.schemaName}".opportunity ("name", "pointOfContactEmail", "companyId")
         SELECT 'Deal ' || n, CASE WHEN n % 8 = 0 THEN NULL WHEN n % 5 = 0 THEN 'nobody' || n || '@example.com'
                                   WHEN n % 2 = 0 THEN ' P' || (n % 30) || '@Example.com ' ELSE 'p' || (n % 30) || '@example.com' END,
                (SELECT "id" FROM "${seed.schemaName}".company ORDER BY "id" OFFSET (n % $2) LIMIT 1)
           FROM generate_series(1, $1) AS n`,
        [OPPORTUNITIES, COMPANIES],
      );
      const clone = async (name: string): Promise<WorkspaceRow> => {
        const { workspace } = await creation.create({ displayName: name, version: '0.23', prefill: false });
        await copyRecords(seed, workspace, ['company', 'person', 'opportunity']);
        return workspace;
      };
      const upgrade = (workspace: WorkspaceRow, extra: Record<string, string> = {}) =>
        runProductCli(['upgrade-0.24', '-w', workspace.id, '--dedupe', 'keep-oldest', '--batch-size', String(BATCH_SIZE)], {
          env: env(extra),
        });
      const ledger = async (workspaceId: string) =>
        (
          await db.client.query(
            `SELECT "step", "status", "checksum", "rowsAffected"::int AS "rowsAffected", "error", "log" FROM core."upgradeLedger" WHERE "workspaceId" = $1 ORDER BY "step"`,
            [workspaceId],
          )
        ).rows.map((row) => ({
          ...row,
          // The log's entries of record (renames, counts, ambiguous rows), once each; its notes tell what the last run did.
          log: (row.log as Array<Record<string, unknown>>).filter((entry) => !('note' in entry)),
        }));

      const reference = await clone('Upgrade 0.24 reference');
      const referenceRun = await upgrade(reference, { WMS_FAULT_COUNT_QUERIES: '1' });
      expectSucceeded(0, referenceRun);
      const total = queriesOf(referenceRun);
      const expected = { ...(await endState(db.client, reference.id, reference.schemaName)), ledger: await ledger(reference.id) };
      expect(expected.ledger.map((row) => [row.step, row.status])).toEqual([
        ['add-point-of-contact-to-views', 'DONE'],
        ['backfill-opportunity-point-of-contact', 'DONE'],
        ['build-person-email-unique-index', 'DONE'],
      ]);
      // The reference itself: 12 duplicates renamed with the original kept, points of contact set, ARR kept.
      const people = Object.values(expected.records.person);
      expect(people.filter((row) => String(row.emailsPrimaryEmail).includes('+duplicate-1@')).length).toBe(12);
      expect(people.filter((row) => JSON.stringify(row.emailsAdditionalEmails).includes('@example.com')).length).toBe(12);
      const opportunities = Object.values(expected.records.opportunity);
      expect(opportunities.filter((row) => row.pointOfContactId !== null).length).toBeGreaterThan(OPPORTUNITIES / 2);
      expect(Object.values(expected.records.company).filter((row) => row.annualRecurringRevenueAmountMicros !== null).length).toBe(7);
      await killEachUpgradeBoundary({
        scenario: 'upgrade-0.24',
        version: '0.24',
        total,
        expected,
        rows: { person: PEOPLE, company: COMPANIES, opportunity: OPPORTUNITIES },
        clone: (k) => clone(`Upgrade 0.24 killed at ${k}`),
        upgrade,
        ledger,
      });
    },
    TIMEOUT,
  );
});

/**
 * The record writes over HTTP: the server process is killed right after the database answered its
 * k-th query while it serves a create, an update, a delete or a CSV import; the client retries the
 * request on a new server, and the workspace must end as after one uninterrupted request: every
 * value, no row lost, none half-written. The first queries of a server are its start-up; the kills
 * go past them, at every boundary of the request with WMS_CRASH_FULL=1, otherwise at every third
 * one and at the last (how many queries a request makes is known once a server outlives it).
 */
describe('crash injection: HTTP record writes, server killed at every statement boundary, request retried', () => {
  const db = useTestDatabase(2);
  const SEEDED = '5eed0000-0000-4000-8000-000000000001';
  const BYSTANDER = '5eed0000-0000-4000-8000-000000000002';
  const CREATED = 'c0ea7ed0-0000-4000-8000-000000000001';
  const IMPORTED = ['1a000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000002', '1a000000-0000-4000-8000-000000000003'];
  const STRIDE = FULL ? 1 : 3;

  type Body = { message?: string; errors?: Array<{ message: string }> };
  interface Scenario {
    name: string;
    send: (base: string, key: string) => Promise<Response>;
    /** An answer a request (or its retry, once the killed one had committed) may get. */
    accepted: (status: number, body: Body) => boolean;
  }
  const json = (method: string, key: string, body?: unknown): RequestInit => ({
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const duplicate = /another record already has this value/;
  /** What a CSV import says of a row whose id a committed import took already. */
  const importedAlready = /^a record with the id [0-9a-f-]{36} already exists/;
  const scenarios: Scenario[] = [
    {
      name: 'create',
      send: (base, key) =>
        fetch(
          `${base}/objects/person/records`,
          json('POST', key, {
            id: CREATED,
            name: { firstName: 'Ada', lastName: 'Lovelace' },
            emails: { primaryEmail: 'ada@example.com', additionalEmails: ['ada@work.example'] },
            city: 'London',
            jobTitle: 'Analyst',
          }),
        ),
      accepted: (status, body) => status === 201 || (status === 400 && duplicate.test(body.message ?? '')),
    },
    {
      name: 'update',
      send: (base, key) =>
        fetch(
          `${base}/objects/person/records/${SEEDED}`,
          json('PATCH', key, { city: 'Paris', emails: { primaryEmail: 'new@example.com' } }),
        ),
      accepted: (status) => status === 200,
    },
    {
      name: 'delete',
      send: (base, key) => fetch(`${base}/objects/person/records/${SEEDED}`, json('DELETE', key)),
      accepted: (status) => status === 200 || status === 404,
    },
    {
      name: 'CSV import',
      send: (base, key) =>
        fetch(`${base}/objects/person/records/import`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'text/csv' },
          body: `Id,Name / First Name,Name / Last Name,Emails / Primary Email,City\n${IMPORTED.map(
            (id, index) => `${id},First ${index},Last ${index},p${index}@example.com,City ${index}\n`,
          ).join('')}`,
        }),
      accepted: (status, body) =>
        status === 200 ||
        (status === 400 && body.errors?.length === IMPORTED.length && body.errors.every((error) => importedAlready.test(error.message))),
    },
  ];

  /** A fresh workspace with one person, and a key of it. */
  const workspaceWithKey = async (name: string): Promise<{ workspace: WorkspaceRow; key: string }> => {
    const { workspace } = await new WorkspaceCreationService(db.dataSource, buildStandardDeclarations()).create({
      displayName: name,
      prefill: false,
    });
    // The person the update and the delete change, and one that no request touches.
    await db.client.query(
      `INSERT INTO "${workspace.schemaName}".person ("id", "nameFirstName", "nameLastName", "emailsPrimaryEmail", "city")
       VALUES ($1, 'Grace', 'Hopper', 'grace@example.com', 'Arlington'), ($2, 'Alan', 'Turing', 'alan@example.com', 'Wilmslow')`,
      [SEEDED, BYSTANDER],
    );
    const { key } = await new ApiKeyService(db.dataSource, undefined).create(workspace.id, 'crash injection');
    return { workspace, key };
  };
  const env = (extra: Record<string, string> = {}) => ({ DATABASE_URL: db.database.url, ...extra });
  /** The answer; null when the connection was cut (the server was killed). */
  const answerOf = async (response: Promise<Response>): Promise<{ status: number; body: Body } | null> =>
    response.then(
      async (answer) => ({ status: answer.status, body: (await answer.json()) as Body }),
      () => null,
    );
  /** Sends the request to a server without faults; its answer. */
  const sendOnce = async (scenario: Scenario, workspace: WorkspaceRow, key: string) => {
    const server = await startServer(env());
    expect(await server.listening).toBe(true);
    const answer = await answerOf(scenario.send(`http://127.0.0.1:${server.port}/workspaces/${workspace.id}`, key));
    await server.stop();
    await waitForServiceSessionsToEnd(db.client);
    return answer;
  };
  const stateOf = async (workspace: WorkspaceRow) => ({
    records: await recordsWithoutIds(db.client, workspace.schemaName),
    people: (await db.client.query(`SELECT "id" FROM "${workspace.schemaName}".person ORDER BY "id"`)).rows.map((row) => row.id),
  });

  let startup = 0;
  beforeAll(async () => {
    // The queries a server answers before it listens: killed there, it never listens.
    for (let k = 1; ; k += 1) {
      const server = await startServer(env({ WMS_FAULT_KILL_AFTER_QUERY: String(k) }));
      if (await server.listening) {
        await server.stop();
        startup = k - 1;
        break;
      }
      expectKilled(k, await server.ended);
    }
    await waitForServiceSessionsToEnd(db.client);
  }, TIMEOUT);

  for (const scenario of scenarios) {
    it(
      scenario.name,
      async () => {
        const reference = await workspaceWithKey(`HTTP ${scenario.name}: reference`);
        const referenceAnswer = await sendOnce(scenario, reference.workspace, reference.key);
        expect({ accepted: referenceAnswer !== null && scenario.accepted(referenceAnswer.status, referenceAnswer.body) }).toEqual({
          accepted: true,
        });
        const expected = await stateOf(reference.workspace);
        const figures: Figures = { scenario: `HTTP ${scenario.name}`, boundaries: 0, killed: 0, valuesVerified: 0, rowsLost: 0 };

        /** Kills the server after the j-th query of the request and retries; false when the server outlived the request. */
        const killAt = async (j: number): Promise<boolean> => {
          const k = startup + j;
          const { workspace, key } = await workspaceWithKey(`HTTP ${scenario.name}: killed at ${k}`);
          const server = await startServer(env({ WMS_FAULT_KILL_AFTER_QUERY: String(k) }));
          expect({ k, listening: await server.listening }).toEqual({ k, listening: true });
          const answer = await answerOf(scenario.send(`http://127.0.0.1:${server.port}/workspaces/${workspace.id}`, key));
          if (answer !== null) {
            await server.stop();
            await waitForServiceSessionsToEnd(db.client);
            expect({ k, accepted: scenario.accepted(answer.status, answer.body) }).toEqual({ k, accepted: true });
            return false;
          }
          expectKilled(k, await server.ended);
          figures.killed += 1;
          await waitForServiceSessionsToEnd(db.client);
          const retry = await sendOnce(scenario, workspace, key);
          expect({ k, retry: retry !== null && scenario.accepted(retry.status, retry.body), answer: retry }).toEqual({
            k,
            retry: true,
            answer: retry,
          });
          const state = await stateOf(workspace);
          expect({ k, ...state }).toEqual({ k, ...expected });
          expect({ k, problems: await integrityProblems(db.client, db.dataSource, workspace.id, workspace.schemaName) }).toEqual({
            k,
            problems: [],
          });
          figures.valuesVerified += Object.values(state.records)
            .flat()
            .reduce((sum, row) => sum + Object.values(JSON.parse(row)).filter((value) => value !== null).length, state.people.length);
          figures.rowsLost += expected.people.length - state.people.length;
          return true;
        };
        let last = 0;
        for (let j = 1; await killAt(j); j += STRIDE) last = j;
        // The server outlived the request at last + STRIDE: its last boundary is in between, and is killed at too.
        for (let j = last + STRIDE - 1; j > last; j -= 1) {
          if (await killAt(j)) {
            last = j;
            break;
          }
        }
        figures.boundaries = last;
        expect(figures.killed).toBeGreaterThan(0);
        report(figures);
        expect(figures.rowsLost).toBe(0);
      },
      TIMEOUT,
    );
  }
});
