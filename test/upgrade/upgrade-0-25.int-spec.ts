import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { ActualStateRepository } from '../../src/metadata/actual-state.repository';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { RecordService } from '../../src/records/record.service';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { checkWorkspaceHealth } from '../../src/sync/workspace-health';
import { WorkspaceSyncService } from '../../src/sync/workspace-sync.service';
import { UpgradeOutcome, UpgradeRunner } from '../../src/upgrade/upgrade.runner';
import { UPGRADE_VERSIONS } from '../../src/upgrade/upgrade-versions';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { catalogSnapshot } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { customFieldNames, expectSameStandardParts, fieldRow, ledgerRows, standardParts, workspaceVersion } from './upgrade-0-23.fixtures';

/**
 * upgrade:latest from 0.22 to 0.25 on a workspace with people, notes, two custom objects and a
 * view filtering on the phone: phones parsed, note bodies turned into rich text, the new objects
 * and their target relations (also on the custom objects), search vectors filled; the result
 * equals a workspace created at 0.25, triggers and functions included.
 */

const PEOPLE = [
  { first: 'Ada', last: 'Lovelace', email: 'ada@analytical.org', phone: '+33 1 23 45 67 89' },
  { first: 'Grace', last: 'Hopper', email: 'grace@navy.mil', phone: '+1 (415) 555-2671' },
  { first: 'Alan', last: 'Turing', email: 'alan@bletchley.uk', phone: 'call the switchboard' },
  { first: 'Edsger', last: 'Dijkstra', email: 'edsger@tue.nl', phone: '' },
];

const NOTES = [
  { title: 'Plain', body: 'First paragraph about pelicans.\n\nSecond paragraph about walruses.' },
  {
    title: 'Document',
    body: JSON.stringify([
      { id: 'a', type: 'heading', props: { level: 2 }, content: [{ type: 'text', text: 'Quarterly kumquats', styles: {} }], children: [] },
      {
        id: 'b',
        type: 'paragraph',
        props: {},
        content: [{ type: 'text', text: 'Sales of figs rose', styles: { bold: true } }],
        children: [],
      },
    ]),
  },
  { title: 'Broken JSON', body: '[{"type": "paragraph", "content": oops' },
  { title: 'Empty', body: null },
];

const CUSTOM_OBJECTS = [
  { nameSingular: 'invoice', namePlural: 'invoices', labelSingular: 'Invoice', labelPlural: 'Invoices' },
  { nameSingular: 'contract', namePlural: 'contracts', labelSingular: 'Contract', labelPlural: 'Contracts' },
];

const NEW_TARGET_OBJECTS = ['taskTarget', 'favorite', 'timelineActivity'];

describe('upgrade-0.25 (upgrade:latest from 0.22)', () => {
  const db = useTestDatabase();
  const declared = buildStandardDeclarations();
  let workspace: WorkspaceRow;
  let schema: string;
  let outcome: UpgradeOutcome;
  let fresh: WorkspaceRow;
  let phoneFieldId: string;
  let bodyFieldId: string;
  let filterId: string;

  const createWorkspace = async (displayName: string, version?: string): Promise<WorkspaceRow> =>
    (await new WorkspaceCreationService(db.dataSource, declared).create({ displayName, version, prefill: false })).workspace;
  const reload = async (id: string): Promise<WorkspaceRow> => (await new WorkspaceRepository(db.dataSource.manager).findById(id))!;

  /** Per target object, the relation named `object` there, its inverse on `object`, and its foreign key. */
  const targetRelations = async (ws: WorkspaceRow, object: string) =>
    (
      await db.client.query(
        `SELECT o."nameSingular" AS owner, f."relationType", inverse."name" AS inverse, target."nameSingular" AS target,
                (SELECT count(*)::int FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = $3 AND c.relname = o."tableName" AND con.contype = 'f' AND pg_get_constraintdef(con.oid) LIKE '%(' || quote_ident(f."name" || 'Id') || ')%') AS "foreignKeys"
           FROM metadata."fieldMetadata" f
           JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
           JOIN metadata."objectMetadata" target ON target."id" = f."relationTargetObjectMetadataId"
           LEFT JOIN metadata."fieldMetadata" inverse ON inverse."id" = f."relationTargetFieldMetadataId"
          WHERE f."workspaceId" = $1 AND target."nameSingular" = $2 AND f."relationType" = 'MANY_TO_ONE' AND o."nameSingular" = ANY($4::text[])
          ORDER BY o."nameSingular"`,
        [ws.id, object, ws.schemaName, NEW_TARGET_OBJECTS],
      )
    ).rows;

  const expectedTargetRelations = (object: string) =>
    [
      { owner: 'favorite', inverse: 'favorites' },
      { owner: 'taskTarget', inverse: 'taskTargets' },
      { owner: 'timelineActivity', inverse: 'timelineActivities' },
    ].map(({ owner, inverse }) => ({ owner, relationType: 'MANY_TO_ONE', inverse, target: object, foreignKeys: 1 }));

  beforeAll(async () => {
    workspace = await createWorkspace('Chain 0.25', '0.22');
    schema = workspace.schemaName;
    const custom = new CustomMetadataService(db.dataSource, declared);
    for (const object of CUSTOM_OBJECTS) await custom.createObject(workspace.id, object);
    await db.client.query(`INSERT INTO "${schema}".company ("name", "domainNameUrl") VALUES ('Globex', 'globex.example')`);
    for (const person of PEOPLE) {
      await db.client.query(`INSERT INTO "${schema}".person ("nameFirstName", "nameLastName", "email", "phone") VALUES ($1, $2, $3, $4)`, [
        person.first,
        person.last,
        person.email,
        person.phone,
      ]);
    }
    for (const note of NOTES) {
      await db.client.query(`INSERT INTO "${schema}".note ("title", "body") VALUES ($1, $2)`, [note.title, note.body]);
    }
    phoneFieldId = (await fieldRow(db.client, workspace.id, 'person', 'phone'))!.id;
    bodyFieldId = (await fieldRow(db.client, workspace.id, 'note', 'body'))!.id;
    const [view] = (await db.client.query(`SELECT "id" FROM "${schema}"."view" WHERE "name" = 'All People'`)).rows;
    [{ id: filterId }] = (
      await db.client.query(
        `INSERT INTO "${schema}"."viewFilter" ("viewId", "fieldMetadataId", "operand", "value") VALUES ($1, $2, 'contains', '555') RETURNING "id"`,
        [view.id, phoneFieldId],
      )
    ).rows;
    outcome = await new UpgradeRunner(db.dataSource).upgradeToLatest(workspace, { batchSize: 2 });
    fresh = await createWorkspace('Fresh 0.25');
  });

  it('runs 0.23, 0.24 and 0.25, every step done, and records version 0.25', async () => {
    expect({ status: outcome.status, message: outcome.message, version: outcome.version }).toEqual({
      status: 'upgraded',
      message: null,
      version: '0.25',
    });
    const everyStep = UPGRADE_VERSIONS.flatMap((upgrade) => upgrade.steps.map((step) => [upgrade.version, step.name]));
    expect(outcome.steps.map((step) => [step.version, step.step]).sort()).toEqual([...everyStep].sort());
    expect(outcome.steps.every((step) => step.status === 'done')).toBe(true);
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.25');
    expect((await ledgerRows(db.client, workspace.id)).every((row) => row.status === 'DONE')).toBe(true);
  });

  it('equals a workspace created at 0.25, triggers and functions included, but for the deprecated fields it keeps as custom ones', async () => {
    const customColumns = new Set([
      'company.addressOld',
      'company.annualRecurringRevenueAmountMicros',
      'company.annualRecurringRevenueCurrencyCode',
      'opportunity.pointOfContactEmail',
      // The foreign keys of the target objects to the custom objects (the fresh workspace has none).
      ...['attachment', 'noteTarget', ...NEW_TARGET_OBJECTS].flatMap((table) =>
        CUSTOM_OBJECTS.map((object) => `${table}.${object.nameSingular}Id`),
      ),
    ]);
    const upgraded = await standardParts(db.client, workspace.id, schema, customColumns);
    const expected = await standardParts(db.client, fresh.id, fresh.schemaName);
    expectSameStandardParts(upgraded, expected);
    expect(upgraded.catalog.triggers).toEqual(expected.catalog.triggers);
    expect(upgraded.catalog.functions).toEqual(expected.catalog.functions);
    expect(upgraded.catalog.triggers.length).toBeGreaterThanOrEqual(5);
    // Beside the relations of the target objects to the custom objects, the deprecated fields alone are custom.
    const relationsToCustomObjects = CUSTOM_OBJECTS.map((object) => `.${object.nameSingular}`);
    expect(
      (await customFieldNames(db.client, workspace.id)).filter((name) => !relationsToCustomObjects.some((suffix) => name.endsWith(suffix))),
    ).toEqual(['company.addressOld', 'company.annualRecurringRevenue', 'opportunity.pointOfContactEmail']);
  });

  it('turns phone into phones on the same field row, parsing what parses and keeping the rest verbatim', async () => {
    expect(await fieldRow(db.client, workspace.id, 'person', 'phones')).toMatchObject({ id: phoneFieldId, type: 'PHONES' });
    expect(await fieldRow(db.client, workspace.id, 'person', 'phone')).toBeUndefined();
    const { rows } = await db.client.query(
      `SELECT "nameFirstName" AS first, "phonesPrimaryPhoneNumber" AS number, "phonesPrimaryPhoneCountryCode" AS code
         FROM "${schema}".person ORDER BY "nameFirstName"`,
    );
    expect(rows).toEqual([
      { first: 'Ada', number: '123456789', code: '+33' },
      { first: 'Alan', number: 'call the switchboard', code: '' },
      { first: 'Edsger', number: '', code: '' },
      { first: 'Grace', number: '4155552671', code: '+1' },
    ]);
  });

  it('keeps the view filter on the phone, now on phones', async () => {
    const { rows } = await db.client.query(`SELECT "fieldMetadataId" FROM "${schema}"."viewFilter" WHERE "id" = $1`, [filterId]);
    expect(rows).toEqual([{ fieldMetadataId: phoneFieldId }]);
  });

  it('turns note bodies into rich text on the same field row, every fragment of text kept', async () => {
    expect(await fieldRow(db.client, workspace.id, 'note', 'bodyV2')).toMatchObject({ id: bodyFieldId, type: 'RICH_TEXT_V2' });
    const { rows } = await db.client.query(
      `SELECT "title", "bodyV2Blocknote" AS blocknote, "bodyV2Markdown" AS markdown FROM "${schema}".note ORDER BY "title"`,
    );
    const byTitle = new Map(rows.map((row) => [row.title, row]));
    for (const [title, fragments] of [
      ['Plain', ['First paragraph about pelicans.', 'Second paragraph about walruses.']],
      ['Document', ['Quarterly kumquats', 'Sales of figs rose']],
      ['Broken JSON', ['[{"type": "paragraph", "content": oops']],
    ] as const) {
      const row = byTitle.get(title)!;
      for (const fragment of fragments) {
        expect(row.markdown).toContain(fragment);
        expect(JSON.stringify(JSON.parse(row.blocknote))).toContain(JSON.stringify(fragment).slice(1, -1));
      }
    }
    expect(byTitle.get('Empty')).toMatchObject({ blocknote: null, markdown: null });
  });

  it('gives both custom objects the relations of taskTarget, favorite and timelineActivity, with foreign keys', async () => {
    for (const object of CUSTOM_OBJECTS) {
      expect(await targetRelations(workspace, object.nameSingular)).toEqual(expectedTargetRelations(object.nameSingular));
    }
  });

  it('a custom object created after the upgrade gets them too', async () => {
    await new CustomMetadataService(db.dataSource, declared).createObject(workspace.id, {
      nameSingular: 'shipment',
      namePlural: 'shipments',
      labelSingular: 'Shipment',
      labelPlural: 'Shipments',
    });
    expect(await targetRelations(workspace, 'shipment')).toEqual(expectedTargetRelations('shipment'));
  });

  it('gives task its default view', async () => {
    const { rows } = await db.client.query(
      `SELECT v."name" FROM "${schema}"."view" v JOIN metadata."objectMetadata" o ON o."id" = v."objectMetadataId" WHERE o."nameSingular" = 'task'`,
    );
    expect(rows).toEqual([{ name: 'All Tasks' }]);
  });

  it('?search= finds people by name, email and phone, and companies by name and domain, on upgraded and fresh workspaces alike', async () => {
    const records = new RecordService(db.dataSource);
    await records.create(fresh.id, 'person', {
      name: { firstName: 'Ada', lastName: 'Lovelace' },
      emails: { primaryEmail: 'ada@analytical.org', additionalEmails: [] },
      phones: { primaryPhoneNumber: '123456789', primaryPhoneCountryCode: '+33', additionalPhones: [] },
    });
    await records.create(fresh.id, 'company', {
      name: 'Globex',
      domainName: { primaryLinkUrl: 'globex.example', primaryLinkLabel: '', secondaryLinks: [] },
    });
    for (const ws of [workspace, fresh]) {
      const people = async (text: string) =>
        (await records.list(ws.id, 'person', { search: text })).records.map((record) => (record.name as { lastName: string }).lastName);
      const companies = async (text: string) =>
        (await records.list(ws.id, 'company', { search: text })).records.map((record) => record.name);
      expect(await people('lovelace')).toEqual(['Lovelace']);
      expect(await people('analytical')).toEqual(['Lovelace']);
      expect(await people('123456789')).toEqual(['Lovelace']);
      expect(await companies('globex')).toEqual(['Globex']);
      expect(await companies('globex.example')).toEqual(['Globex']);
    }
  });

  it('is healthy and in sync with the declarations; a second upgrade:latest does nothing', async () => {
    const actual = await new ActualStateRepository(db.dataSource.manager).read(workspace.id, schema);
    expect(checkWorkspaceHealth(actual)).toEqual([]);
    const check = await new WorkspaceSyncService(db.dataSource, declared).sync(await reload(workspace.id), { check: true, dryRun: true });
    expect({ status: check.status, actions: check.plan?.actions.map((action) => action.summary) }).toEqual({
      status: 'up-to-date',
      actions: [],
    });
    const again = await new UpgradeRunner(db.dataSource).upgradeToLatest(await reload(workspace.id));
    expect({ status: again.status, steps: again.steps, message: again.message }).toEqual({
      status: 'up-to-date',
      steps: [],
      message: 'already at 0.25',
    });
  });

  it('a workspace created at 0.25 has the same search triggers as the upgraded one, and none at 0.24', async () => {
    const old = await createWorkspace('Still 0.24', '0.24');
    expect((await catalogSnapshot(db.client, old.schemaName)).triggers).toEqual([]);
    const triggers = (await catalogSnapshot(db.client, fresh.schemaName)).triggers.map((trigger) => trigger.table).sort();
    expect(triggers).toEqual(['company', 'note', 'opportunity', 'person', 'task']);
  });
});
