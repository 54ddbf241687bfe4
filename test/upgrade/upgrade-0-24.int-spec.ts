import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { ActualStateRepository } from '../../src/metadata/actual-state.repository';
import { checkWorkspaceHealth } from '../../src/sync/workspace-health';
import { WorkspaceSyncService } from '../../src/sync/workspace-sync.service';
import { UpgradeOptions, UpgradeOutcome, UpgradeRunner } from '../../src/upgrade/upgrade.runner';
import { getVersionSnapshot } from '../../src/standard-objects/version-snapshots';
import { UPGRADE_0_23_STEPS } from '../../src/upgrade/versions/0-23';
import { UPGRADE_0_24_STEPS } from '../../src/upgrade/versions/0-24';
import { PERSON_EMAIL_INDEX } from '../../src/upgrade/versions/0-24/build-person-email-unique-index.step';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { tableData, TableData, workspaceSnapshot } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import {
  customFieldNames,
  expectSameStandardParts,
  fieldRow,
  ledgerRows,
  liveColumns,
  standardParts,
  workspaceVersion,
} from './upgrade-0-23.fixtures';

/**
 * upgrade-0.24 (after upgrade-0.23 from 0.22): the inactive birthdate, the deprecated ARR and
 * pointOfContactEmail kept with their values, the value-matched point of contact turned into a
 * foreign key (matched, unmatched and ambiguous rows counted and handled), the unique index on
 * person emails with its duplicates, and the company -> opportunities CASCADE.
 */

const PEOPLE: Array<{ key: string; email: string; deleted?: boolean }> = [
  { key: 'ann', email: 'ann@example.com' },
  { key: 'bob-upper', email: 'Bob@Example.com' },
  { key: 'bob-lower', email: 'bob@example.com' },
  { key: 'blank', email: '' },
  { key: 'blank-too', email: '' },
  { key: 'carl', email: 'carl@example.com', deleted: true },
  { key: 'dana', email: 'Dana@Example.com' },
  { key: 'eve', email: ' Eve@Example.com ' },
];

/** `person`: the key of the person the opportunity must point at after the upgrade. */
const OPPORTUNITIES: Array<{ name: string; email: string | null; person: string | null }> = [
  { name: 'Ann exact', email: 'ann@example.com', person: 'ann' },
  { name: 'Ann padded, other case', email: '  ANN@example.com ', person: 'ann' },
  { name: 'Dana lower case', email: 'dana@example.com', person: 'dana' },
  { name: 'Eve, padded on the person side', email: 'eve@example.com', person: 'eve' },
  { name: 'Bob ambiguous', email: 'bob@example.com', person: null },
  { name: 'Carl deleted', email: 'carl@example.com', person: null },
  { name: 'Zoe unknown', email: 'zoe@example.com', person: null },
  { name: 'Empty', email: '', person: null },
  { name: 'Null', email: null, person: null },
];

const COMPANIES: Array<{ name: string; arrMicros: string | null; currency: string | null }> = [
  { name: 'Acme', arrMicros: '1500000000000', currency: 'USD' },
  { name: 'Beta', arrMicros: null, currency: null },
  { name: 'Gamma', arrMicros: '0', currency: 'EUR' },
  { name: 'Delta', arrMicros: '987654321', currency: '' },
];

const STEPS_0_23 = UPGRADE_0_23_STEPS.map((step) => step.name);
const STEPS_0_24 = UPGRADE_0_24_STEPS.map((step) => step.name);

describe('upgrade-0.24', () => {
  const db = useTestDatabase();
  const declared = buildStandardDeclarations();
  /** What a 0.24 workspace is in sync with: the 0.24 snapshot (today's declarations are a later version). */
  const at024 = getVersionSnapshot('0.24');

  const createWorkspace = async (displayName: string, version: string): Promise<WorkspaceRow> =>
    (await new WorkspaceCreationService(db.dataSource, declared).create({ displayName, version, prefill: false })).workspace;

  const reload = async (id: string): Promise<WorkspaceRow> => (await new WorkspaceRepository(db.dataSource.manager).findById(id))!;

  /** upgrade-0.23 then upgrade-0.24, as one outcome (the `upgrade` command goes on to later versions). */
  const upgradeThrough024 = async (workspace: WorkspaceRow, options: UpgradeOptions = {}): Promise<UpgradeOutcome> => {
    const runner = new UpgradeRunner(db.dataSource);
    const first = await runner.upgrade(workspace, '0.23', options);
    if (first.status !== 'upgraded') return first;
    const second = await runner.upgrade(await reload(workspace.id), '0.24', options);
    return { ...second, steps: [...first.steps, ...second.steps], syncs: [...first.syncs, ...second.syncs] };
  };

  const onDeleteOf = async (schema: string, constraint: string): Promise<string | undefined> =>
    (
      await db.client.query(
        `SELECT con.confdeltype AS rule FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace WHERE n.nspname = $1 AND con.conname = $2`,
        [schema, constraint],
      )
    ).rows[0]?.rule;

  const liveIndex = async (
    schema: string,
    name: string,
  ): Promise<{ isValid: boolean; isUnique: boolean; definition: string } | undefined> =>
    (
      await db.client.query(
        `SELECT x.indisvalid AS "isValid", x.indisunique AS "isUnique", pg_get_indexdef(x.indexrelid) AS definition
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace WHERE n.nspname = $1 AND i.relname = $2`,
        [schema, name],
      )
    ).rows[0];

  const ledgerLog = async (workspaceId: string, step: string): Promise<Array<Record<string, unknown>>> =>
    (await db.client.query(`SELECT "log" FROM core."upgradeLedger" WHERE "workspaceId" = $1 AND "step" = $2`, [workspaceId, step])).rows[0]
      ?.log ?? [];

  /** Field names of a view, in position order, with visibility and size. */
  const viewFields = async (schema: string, viewName: string): Promise<Array<[string, number, boolean, number]>> =>
    (
      await db.client.query(
        `SELECT f."name", vf."position"::float8 AS position, vf."isVisible", vf."size" FROM "${schema}"."viewField" vf
           JOIN "${schema}"."view" v ON v."id" = vf."viewId" JOIN metadata."fieldMetadata" f ON f."id" = vf."fieldMetadataId"
          WHERE v."name" = $1 AND vf."deletedAt" IS NULL ORDER BY vf."position"`,
        [viewName],
      )
    ).rows.map((row) => [row.name, row.position, row.isVisible, row.size]);

  describe('a 0.22 workspace with people, companies with ARR, opportunities matched by email, and views, upgraded by upgrade-0.23 then upgrade-0.24', () => {
    let workspace: WorkspaceRow;
    let schema: string;
    let outcome: UpgradeOutcome;
    let before: TableData;
    const personIds = new Map<string, string>();
    const opportunityIds = new Map<string, string>();
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      workspace = await createWorkspace('Chain', '0.22');
      schema = workspace.schemaName;
      for (const company of COMPANIES) {
        await db.client.query(
          `INSERT INTO "${schema}".company ("name", "annualRecurringRevenueAmountMicros", "annualRecurringRevenueCurrencyCode") VALUES ($1, $2, $3)`,
          [company.name, company.arrMicros, company.currency],
        );
      }
      for (const person of PEOPLE) {
        const [row] = (
          await db.client.query(
            `INSERT INTO "${schema}".person ("nameFirstName", "email", "deletedAt") VALUES ($1, $2, $3) RETURNING "id"::text AS id`,
            [person.key, person.email, person.deleted ? '2024-06-01T00:00:00Z' : null],
          )
        ).rows;
        personIds.set(person.key, row.id);
      }
      const [acme] = (await db.client.query(`SELECT "id"::text AS id FROM "${schema}".company WHERE "name" = 'Acme'`)).rows;
      for (const opportunity of OPPORTUNITIES) {
        const [row] = (
          await db.client.query(
            `INSERT INTO "${schema}".opportunity ("name", "pointOfContactEmail", "companyId") VALUES ($1, $2, $3) RETURNING "id"::text AS id`,
            [opportunity.name, opportunity.email, acme.id],
          )
        ).rows;
        opportunityIds.set(opportunity.name, row.id);
      }
      for (const [object, name] of [
        ['company', 'annualRecurringRevenue'],
        ['opportunity', 'pointOfContactEmail'],
        ['opportunity', 'name'],
      ]) {
        ids[`${object}.${name}`] = (await fieldRow(db.client, workspace.id, object, name))!.id;
      }
      // A second opportunity view showing the email hidden, at the end, with its own size.
      const [objectRow] = (
        await db.client.query(`SELECT "id" FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "nameSingular" = 'opportunity'`, [
          workspace.id,
        ])
      ).rows;
      const [view] = (
        await db.client.query(
          `INSERT INTO "${schema}"."view" ("name", "objectMetadataId", "type", "icon", "position") VALUES ('Pipeline', $1, 'kanban', '', 9) RETURNING "id"`,
          [objectRow.id],
        )
      ).rows;
      await db.client.query(
        `INSERT INTO "${schema}"."viewField" ("viewId", "fieldMetadataId", "position", "isVisible", "size") VALUES ($1, $2, 0, true, 150), ($1, $3, 1, false, 222)`,
        [view.id, ids['opportunity.name'], ids['opportunity.pointOfContactEmail']],
      );
      before = await tableData(db.client, schema);
      outcome = await upgradeThrough024(workspace, { batchSize: 2 });
    });

    it('runs 0.23 then 0.24, every step done, and records version 0.24', async () => {
      expect({ status: outcome.status, message: outcome.message, version: outcome.version }).toEqual({
        status: 'upgraded',
        message: null,
        version: '0.24',
      });
      expect(outcome.steps.map((step) => [step.version, step.step, step.status])).toEqual([
        ...STEPS_0_23.map((name) => ['0.23', name, 'done']),
        ...STEPS_0_24.map((name) => ['0.24', name, 'done']),
      ]);
      expect(await workspaceVersion(db.client, workspace.id)).toBe('0.24');
      const ledger = await ledgerRows(db.client, workspace.id);
      expect(ledger.map((row) => [row.version, row.step, row.status]).sort()).toEqual(
        [...STEPS_0_23.map((name) => ['0.23', name, 'DONE']), ...STEPS_0_24.map((name) => ['0.24', name, 'DONE'])].sort(),
      );
    });

    it('counts matched, unmatched, ambiguous and empty rows before it writes, and reports them', async () => {
      const backfill = outcome.steps.find((step) => step.step === 'backfill-opportunity-point-of-contact')!;
      expect(backfill.notes[0]).toBe('matched 4, unmatched 2, ambiguous 1 (left unset, listed in the ledger), empty 2');
      expect(backfill.rowsAffected).toBe(4);
      const log = await ledgerLog(workspace.id, 'backfill-opportunity-point-of-contact');
      expect(log[0]).toEqual({ counts: { matched: 4, unmatched: 2, ambiguous: 1, empty: 2 } });
      expect(log[1]).toEqual({ ambiguous: [{ id: opportunityIds.get('Bob ambiguous'), email: 'bob@example.com' }], listed: 1, total: 1 });
    });

    it('sets each point of contact to the one live person with that email, and leaves ambiguous, unmatched and empty rows unset', async () => {
      const { rows } = await db.client.query(
        `SELECT "name", "pointOfContactId"::text AS "personId" FROM "${schema}".opportunity ORDER BY "name"`,
      );
      expect(rows).toEqual(
        [...OPPORTUNITIES]
          .sort((a, b) => (a.name < b.name ? -1 : 1))
          .map((opportunity) => ({ name: opportunity.name, personId: opportunity.person ? personIds.get(opportunity.person) : null })),
      );
    });

    it('keeps pointOfContactEmail and ARR as deprecated custom fields with their ids, columns and every value', async () => {
      for (const [object, name] of [
        ['company', 'annualRecurringRevenue'],
        ['opportunity', 'pointOfContactEmail'],
      ]) {
        const field = await fieldRow(db.client, workspace.id, object, name);
        expect({ field: `${object}.${name}`, id: field?.id, isCustom: field?.isCustom, isDeprecated: field?.isDeprecated }).toEqual({
          field: `${object}.${name}`,
          id: ids[`${object}.${name}`],
          isCustom: true,
          isDeprecated: true,
        });
      }
      const after = await tableData(db.client, schema);
      const columns = (table: string, names: string[], data: TableData) =>
        Object.fromEntries(
          Object.entries(data[table]).map(([id, row]) => [id, Object.fromEntries(names.map((name) => [name, row[name]]))]),
        );
      const arr = ['name', 'annualRecurringRevenueAmountMicros', 'annualRecurringRevenueCurrencyCode'];
      expect(columns('company', arr, after)).toEqual(columns('company', arr, before));
      expect(Object.keys(after.company)).toHaveLength(COMPANIES.length);
      expect(columns('opportunity', ['name', 'pointOfContactEmail'], after)).toEqual(
        columns('opportunity', ['name', 'pointOfContactEmail'], before),
      );
      expect(
        Object.values(after.opportunity)
          .map((row) => row.pointOfContactEmail)
          .sort(),
      ).toEqual(OPPORTUNITIES.map((row) => row.email).sort());
    });

    it('creates birthdate inactive, with its column', async () => {
      const { rows } = await db.client.query(
        `SELECT f."isActive", f."type" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
          WHERE f."workspaceId" = $1 AND o."nameSingular" = 'person' AND f."name" = 'birthdate'`,
        [workspace.id],
      );
      expect(rows).toEqual([{ isActive: false, type: 'DATE' }]);
      expect(await liveColumns(db.client, schema, 'person')).toContain('birthdate');
    });

    it('builds the unique index on emailsPrimaryEmail, ignoring NULL and empty values, valid', async () => {
      const index = await liveIndex(schema, PERSON_EMAIL_INDEX);
      expect(index).toEqual({
        isValid: true,
        isUnique: true,
        definition: expect.stringContaining(
          `("emailsPrimaryEmail") WHERE (("emailsPrimaryEmail" IS NOT NULL) AND ("emailsPrimaryEmail" <> ''::text))`,
        ),
      });
      await expect(db.client.query(`INSERT INTO "${schema}".person ("emailsPrimaryEmail") VALUES ('ann@example.com')`)).rejects.toThrow(
        /duplicate key/,
      );
      const inserted = (
        await db.client.query(`INSERT INTO "${schema}".person ("emailsPrimaryEmail") VALUES (''), (''), (NULL), (NULL) RETURNING "id"`)
      ).rows.map((row) => row.id);
      expect(inserted).toHaveLength(4);
      await db.client.query(`DELETE FROM "${schema}".person WHERE "id" = ANY($1::uuid[])`, [inserted]);
    });

    it('places pointOfContact right before pointOfContactEmail in every view that shows it, with its visibility and size', async () => {
      const all = await viewFields(schema, 'All Opportunities');
      const names = all.map(([name]) => name);
      expect(names.indexOf('pointOfContact')).toBe(names.indexOf('pointOfContactEmail') - 1);
      expect(new Set(all.map(([, position]) => position)).size).toBe(all.length);
      expect(await viewFields(schema, 'Pipeline')).toEqual([
        ['name', 0, true, 150],
        ['pointOfContact', 1, false, 222],
        ['pointOfContactEmail', 2, false, 222],
      ]);
    });

    it('turns opportunity -> company into ON DELETE CASCADE and gives pointOfContactId a SET NULL foreign key', async () => {
      expect(await onDeleteOf(schema, 'FK_opportunity_companyId')).toBe('c');
      expect(await onDeleteOf(schema, 'FK_opportunity_pointOfContactId')).toBe('n');
      const field = (
        await db.client.query(
          `SELECT f."onDelete" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
            WHERE f."workspaceId" = $1 AND o."nameSingular" = 'opportunity' AND f."name" = 'company'`,
          [workspace.id],
        )
      ).rows[0];
      expect(field.onDelete).toBe('CASCADE');
    });

    it('equals a workspace created at 0.24, but for the deprecated fields it keeps as custom ones', async () => {
      const fresh = await createWorkspace('Fresh 0.24', '0.24');
      const customColumns = new Set([
        'company.addressOld',
        'company.annualRecurringRevenueAmountMicros',
        'company.annualRecurringRevenueCurrencyCode',
        'opportunity.pointOfContactEmail',
      ]);
      const upgraded = await standardParts(db.client, workspace.id, schema, customColumns);
      const expected = await standardParts(db.client, fresh.id, fresh.schemaName);
      expectSameStandardParts(upgraded, expected);
      expect(upgraded.metadata.fields.length).toBeGreaterThan(100);
      expect(await customFieldNames(db.client, workspace.id)).toEqual([
        'company.addressOld',
        'company.annualRecurringRevenue',
        'opportunity.pointOfContactEmail',
      ]);
    });

    it('is healthy, leaves no temporary index behind, and is in sync with the declarations', async () => {
      const actual = await new ActualStateRepository(db.dataSource.manager).read(workspace.id, schema);
      expect(checkWorkspaceHealth(actual)).toEqual([]);
      const { rows } = await db.client.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'wms_%'`, [schema]);
      expect(rows).toEqual([]);
      const check = await new WorkspaceSyncService(db.dataSource, at024).sync(await reload(workspace.id), { check: true, dryRun: true });
      expect({ status: check.status, message: check.message, actions: check.plan?.actions.map((action) => action.summary) }).toEqual({
        status: 'up-to-date',
        message: null,
        actions: [],
      });
    });

    it('a second upgrade-0.24 does nothing and writes nothing', async () => {
      const snapshot = await workspaceSnapshot(db.client, workspace.id, schema);
      const ledger = await ledgerRows(db.client, workspace.id);
      const again = await new UpgradeRunner(db.dataSource).upgrade(await reload(workspace.id), '0.24');
      expect({ status: again.status, steps: again.steps, message: again.message }).toEqual({
        status: 'up-to-date',
        steps: [],
        message: 'already at 0.24',
      });
      expect(await ledgerRows(db.client, workspace.id)).toEqual(ledger);
      expect(await workspaceSnapshot(db.client, workspace.id, schema)).toEqual(snapshot);
    });

    it('deleting a company now deletes its opportunities (CASCADE), and deleting a person unsets the point of contact', async () => {
      await db.client.query(`DELETE FROM "${schema}".person WHERE "id" = $1`, [personIds.get('dana')]);
      const dana = (
        await db.client.query(`SELECT "pointOfContactId" FROM "${schema}".opportunity WHERE "id" = $1`, [
          opportunityIds.get('Dana lower case'),
        ])
      ).rows[0];
      expect(dana).toEqual({ pointOfContactId: null });
      await db.client.query(`DELETE FROM "${schema}".company WHERE "name" = 'Acme'`);
      const { rows } = await db.client.query(`SELECT count(*)::int AS count FROM "${schema}".opportunity`);
      expect(rows[0].count).toBe(0);
    });
  });

  describe('a workspace created at 0.24', () => {
    let fresh: WorkspaceRow;

    beforeAll(async () => {
      fresh = await createWorkspace('Created at 0.24', '0.24');
    });

    it('has no ARR and no pointOfContactEmail, birthdate inactive, and pointOfContact in the default opportunity view', async () => {
      expect(await fieldRow(db.client, fresh.id, 'company', 'annualRecurringRevenue')).toBeUndefined();
      expect(await fieldRow(db.client, fresh.id, 'opportunity', 'pointOfContactEmail')).toBeUndefined();
      expect(await liveColumns(db.client, fresh.schemaName, 'company')).not.toContain('annualRecurringRevenueAmountMicros');
      expect(await liveColumns(db.client, fresh.schemaName, 'opportunity')).toEqual(expect.arrayContaining(['pointOfContactId']));
      expect(await liveColumns(db.client, fresh.schemaName, 'opportunity')).not.toContain('pointOfContactEmail');
      const birthdate = (
        await db.client.query(`SELECT "isActive" FROM metadata."fieldMetadata" WHERE "workspaceId" = $1 AND "name" = 'birthdate'`, [
          fresh.id,
        ])
      ).rows;
      expect(birthdate).toEqual([{ isActive: false }]);
      const names = (await viewFields(fresh.schemaName, 'All Opportunities')).map(([name]) => name);
      expect(names).toContain('pointOfContact');
      expect((await viewFields(fresh.schemaName, 'All People')).map(([name]) => name)).not.toContain('birthdate');
    });

    it('takes no upgrade: upgrade-0.24 and upgrade-0.23 leave it alone and write no ledger row', async () => {
      const runner = new UpgradeRunner(db.dataSource);
      const latest = await runner.upgrade(fresh, '0.24');
      expect({ status: latest.status, message: latest.message }).toEqual({ status: 'up-to-date', message: 'already at 0.24' });
      const older = await runner.upgrade(fresh, '0.23');
      expect({ status: older.status, message: older.message }).toEqual({ status: 'up-to-date', message: 'already at 0.24, past 0.23' });
      expect(await ledgerRows(db.client, fresh.id)).toEqual([]);
    });

    it('keeps birthdate active through later syncs once the workspace activated it', async () => {
      await db.client.query(`UPDATE metadata."fieldMetadata" SET "isActive" = true WHERE "workspaceId" = $1 AND "name" = 'birthdate'`, [
        fresh.id,
      ]);
      const outcome = await new WorkspaceSyncService(db.dataSource, at024).sync(await reload(fresh.id), { check: true });
      expect({ status: outcome.status, actions: outcome.plan?.actions.length }).toEqual({ status: 'up-to-date', actions: 0 });
      const birthdate = (
        await db.client.query(`SELECT "isActive" FROM metadata."fieldMetadata" WHERE "workspaceId" = $1 AND "name" = 'birthdate'`, [
          fresh.id,
        ])
      ).rows;
      expect(birthdate).toEqual([{ isActive: true }]);
    });
  });

  it('refuses upgrade-0.24 on a 0.22 workspace, saying to run upgrade-0.23 first, and writes nothing', async () => {
    const old = await createWorkspace('Still 0.22', '0.22');
    const snapshot = await workspaceSnapshot(db.client, old.id, old.schemaName);
    const outcome = await new UpgradeRunner(db.dataSource).upgrade(old, '0.24');
    expect({ status: outcome.status, message: outcome.message }).toEqual({
      status: 'failed',
      message: 'workspace is at 0.22, upgrade-0.24 needs 0.23; run upgrade-0.23 first',
    });
    expect(await ledgerRows(db.client, old.id)).toEqual([]);
    expect(await workspaceSnapshot(db.client, old.id, old.schemaName)).toEqual(snapshot);
  });

  describe('duplicate person emails', () => {
    /**
     * Emails by createdAt order; `x@` three times, `y@` twice; blanks, NULLs and a case variant are
     * no duplicates; someone already holds the first suffix of `y@`.
     */
    const SEED: Array<[string, string | null, string]> = [
      ['x-oldest', 'x@example.com', '2024-01-01T00:00:00Z'],
      ['y-oldest', 'y@example.com', '2024-01-02T00:00:00Z'],
      ['x-second', 'x@example.com', '2024-01-03T00:00:00Z'],
      ['x-upper', 'X@example.com', '2024-01-04T00:00:00Z'],
      ['y-second', 'y@example.com', '2024-01-05T00:00:00Z'],
      ['x-third', 'x@example.com', '2024-01-06T00:00:00Z'],
      ['blank-1', '', '2024-01-07T00:00:00Z'],
      ['blank-2', '', '2024-01-08T00:00:00Z'],
      ['null-1', null, '2024-01-09T00:00:00Z'],
      ['null-2', null, '2024-01-10T00:00:00Z'],
      ['y-suffixed', 'y+duplicate-1@example.com', '2024-01-11T00:00:00Z'],
    ];

    const seeded = async (name: string): Promise<{ workspace: WorkspaceRow; ids: Map<string, string> }> => {
      const workspace = await createWorkspace(name, '0.23');
      const ids = new Map<string, string>();
      for (const [key, email, createdAt] of SEED) {
        const [row] = (
          await db.client.query(
            `INSERT INTO "${workspace.schemaName}".person ("nameFirstName", "emailsPrimaryEmail", "emailsAdditionalEmails", "createdAt") VALUES ($1, $2, $3, $4) RETURNING "id"::text AS id`,
            [key, email, email === null ? null : JSON.stringify(['kept@example.com']), createdAt],
          )
        ).rows;
        ids.set(key, row.id);
      }
      return { workspace, ids };
    };

    it('without --dedupe: the workspace is untouched, and the report lists every duplicate with its ids', async () => {
      const { workspace, ids } = await seeded('Duplicates, no rule');
      const snapshot = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
      const outcome = await new UpgradeRunner(db.dataSource).upgrade(workspace, '0.24');
      expect(outcome.status).toBe('failed');
      expect(outcome.message).toBe(
        `pre-flight checks failed, nothing was written: 0.24 build-person-email-unique-index: 2 duplicated primary email(s) on person, the unique index cannot be built: ` +
          `"x@example.com" (ids ${ids.get('x-oldest')}, ${ids.get('x-second')}, ${ids.get('x-third')}); "y@example.com" (ids ${ids.get('y-oldest')}, ${ids.get('y-second')}). ` +
          `Resolve them, or pass --dedupe keep-oldest to keep the email on the oldest record and rename the others'.`,
      );
      const after = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
      expect({ ...after, metadata: { ...after.metadata, workspace: undefined } }).toEqual({
        ...snapshot,
        metadata: { ...snapshot.metadata, workspace: undefined },
      });
      expect(await workspaceVersion(db.client, workspace.id)).toBe('0.23');
      expect(await liveIndex(workspace.schemaName, PERSON_EMAIL_INDEX)).toBeUndefined();
      expect(await ledgerRows(db.client, workspace.id)).toEqual([]);
    });

    it('with --dedupe keep-oldest: the oldest keeps the email, the others get a suffix nobody holds with the original kept, every change in the ledger, the index built', async () => {
      const { workspace, ids } = await seeded('Duplicates, keep oldest');
      const outcome = await new UpgradeRunner(db.dataSource).upgrade(workspace, '0.24', { dedupe: 'keep-oldest' });
      expect({ status: outcome.status, message: outcome.message }).toEqual({ status: 'upgraded', message: null });
      const { rows } = await db.client.query(
        `SELECT "nameFirstName" AS key, "emailsPrimaryEmail" AS email, "emailsAdditionalEmails" AS additional FROM "${workspace.schemaName}".person ORDER BY "createdAt"`,
      );
      expect(rows).toEqual([
        { key: 'x-oldest', email: 'x@example.com', additional: ['kept@example.com'] },
        { key: 'y-oldest', email: 'y@example.com', additional: ['kept@example.com'] },
        { key: 'x-second', email: 'x+duplicate-1@example.com', additional: ['kept@example.com', 'x@example.com'] },
        { key: 'x-upper', email: 'X@example.com', additional: ['kept@example.com'] },
        { key: 'y-second', email: 'y+duplicate-2@example.com', additional: ['kept@example.com', 'y@example.com'] },
        { key: 'x-third', email: 'x+duplicate-2@example.com', additional: ['kept@example.com', 'x@example.com'] },
        { key: 'blank-1', email: '', additional: ['kept@example.com'] },
        { key: 'blank-2', email: '', additional: ['kept@example.com'] },
        { key: 'null-1', email: null, additional: null },
        { key: 'null-2', email: null, additional: null },
        { key: 'y-suffixed', email: 'y+duplicate-1@example.com', additional: ['kept@example.com'] },
      ]);
      const log = await ledgerLog(workspace.id, 'build-person-email-unique-index');
      expect(log.filter((entry) => entry.dedupe)).toEqual([
        { dedupe: 'keep-oldest', personId: ids.get('x-second'), from: 'x@example.com', to: 'x+duplicate-1@example.com' },
        { dedupe: 'keep-oldest', personId: ids.get('x-third'), from: 'x@example.com', to: 'x+duplicate-2@example.com' },
        { dedupe: 'keep-oldest', personId: ids.get('y-second'), from: 'y@example.com', to: 'y+duplicate-2@example.com' },
      ]);
      expect(await liveIndex(workspace.schemaName, PERSON_EMAIL_INDEX)).toEqual(expect.objectContaining({ isValid: true, isUnique: true }));
      expect(await workspaceVersion(db.client, workspace.id)).toBe('0.24');
    });

    it('an invalid index left by an interrupted concurrent build is dropped and built again, concurrently on a large table', async () => {
      const { workspace, ids } = await seeded('Invalid index');
      const table = `"${workspace.schemaName}".person`;
      // A concurrent build that fails on the duplicates leaves an invalid index behind, as a killed one does.
      await expect(
        db.client.query(
          `CREATE UNIQUE INDEX CONCURRENTLY "${PERSON_EMAIL_INDEX}" ON ${table} ("emailsPrimaryEmail") WHERE "emailsPrimaryEmail" IS NOT NULL AND "emailsPrimaryEmail" <> ''`,
        ),
      ).rejects.toThrow(/could not create unique index/);
      expect(await liveIndex(workspace.schemaName, PERSON_EMAIL_INDEX)).toEqual(expect.objectContaining({ isValid: false }));
      await db.client.query(`DELETE FROM ${table} WHERE "id" = ANY($1::uuid[])`, [
        [ids.get('x-second'), ids.get('x-third'), ids.get('y-second')],
      ]);

      const outcome = await new UpgradeRunner(db.dataSource).upgrade(workspace, '0.24', { concurrentIndexRows: 0 });
      expect({ status: outcome.status, message: outcome.message }).toEqual({ status: 'upgraded', message: null });
      expect(outcome.steps.find((step) => step.step === 'build-person-email-unique-index')!.notes).toEqual([
        `dropped the invalid ${PERSON_EMAIL_INDEX} left by an interrupted build`,
        `built ${PERSON_EMAIL_INDEX} CONCURRENTLY`,
      ]);
      expect(await liveIndex(workspace.schemaName, PERSON_EMAIL_INDEX)).toEqual(expect.objectContaining({ isValid: true, isUnique: true }));
      const check = await new WorkspaceSyncService(db.dataSource, at024).sync(await reload(workspace.id), { check: true, dryRun: true });
      expect({ status: check.status, actions: check.plan?.actions.map((action) => action.summary) }).toEqual({
        status: 'up-to-date',
        actions: [],
      });
    });
  });
});
