import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { actionJson } from '../../src/cli/plan.format';
import { DeclaredSchema } from '../../src/declarations/declared-schema';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { getVersionSnapshot } from '../../src/standard-objects/version-snapshots';
import { ActualStateRepository } from '../../src/metadata/actual-state.repository';
import { CustomMetadataPlanner } from '../../src/custom-metadata/custom-metadata.planner';
import { Plan } from '../../src/sync/plan';
import { WorkspaceSyncService } from '../../src/sync/workspace-sync.service';
import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { v1 } from '../fixtures/declarations/v1';
import { v2 } from '../fixtures/declarations/v2';
import { v3 } from '../fixtures/declarations/v3';
import { runCli } from '../utils/cli';
import { useTestDatabase } from '../utils/test-services';

/**
 * Golden files of the plans the service makes, byte for byte: the SQL a dry run prints is the SQL
 * that runs, so any change to planning or rendering shows here. Workspaces are created under fixed
 * ids, so every id a plan derives from them is fixed too. `WMS_UPDATE_GOLDEN=1` rewrites the files
 * (for a change of plans that is meant; review the diff).
 */

const GOLDEN_DIR = join(__dirname, 'files');
const UPDATE = process.env.WMS_UPDATE_GOLDEN === '1';

const expectGolden = (name: string, value: unknown): void => {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const file = join(GOLDEN_DIR, name);
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, text);
  }
  expect(existsSync(file)).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
};

/** The `--dry-run --json` document of one workspace's plan. */
const dryRunJson = (id: string, status: string, plan: Plan | null) => ({
  workspaces: [{ id, status, actions: plan?.actions.map(actionJson) ?? [], refusals: plan?.refusals ?? [] }],
});

/** A counter in UUID form: the ids the custom-metadata planner gives new rows, fixed for the test. */
const counterIds = (prefix: string) => {
  let next = 0;
  return () => `${prefix}-0000-4000-8000-${String((next += 1)).padStart(12, '0')}`;
};

const STANDARD_DECLARATIONS_SCHEMA = buildStandardDeclarations();

describe('golden plans', () => {
  const db = useTestDatabase();

  const create = async (declared: DeclaredSchema, id: string) =>
    new WorkspaceCreationService(db.dataSource, STANDARD_DECLARATIONS_SCHEMA).createFrom(
      declared,
      { displayName: 'Golden', prefill: false },
      id,
    );

  const reload = async (id: string): Promise<WorkspaceRow> => (await new WorkspaceRepository(db.dataSource.manager).findById(id))!;

  it('creating a workspace from the standard declarations', async () => {
    const created = await create(STANDARD_DECLARATIONS_SCHEMA, '11111111-1111-4111-8111-111111111111');
    expectGolden('create-standard.json', dryRunJson(created.workspace.id, 'applied', created.plan));
  });

  it('fixture syncs v1 -> v2 -> v3, each as its dry run plans it', async () => {
    const id = '22222222-2222-4222-8222-222222222222';
    const created = await create(v1, id);
    expectGolden('create-v1.json', dryRunJson(id, 'applied', created.plan));
    for (const [name, declared] of [
      ['v2', v2],
      ['v3', v3],
    ] as const) {
      const service = new WorkspaceSyncService(db.dataSource, declared);
      const dryRun = await service.sync(await reload(id), { dryRun: true });
      expect(dryRun.status).toBe('planned');
      expectGolden(`sync-to-${name}.json`, dryRunJson(id, dryRun.status, dryRun.plan));
      const check = await service.sync(await reload(id), { dryRun: true, check: true });
      expectGolden(`sync-to-${name}-check.json`, dryRunJson(id, check.status, check.plan));
      const applied = await service.sync(await reload(id), {});
      expect(applied.status).toBe('applied');
      expect(applied.plan).toEqual(dryRun.plan);
    }
  });

  it('the same syncs with every hazard allowed (drops, rewrites)', async () => {
    const id = '33333333-3333-4333-8333-333333333333';
    await create(v1, id);
    const allow = new Set(['DROPS_DATA', 'REWRITES_TABLE', 'BLOCKS_WRITES'] as const);
    for (const [name, declared] of [
      ['v2', v2],
      ['v3', v3],
    ] as const) {
      const service = new WorkspaceSyncService(db.dataSource, declared);
      const dryRun = await service.sync(await reload(id), { dryRun: true, check: true, allowHazards: new Set(allow) as never });
      expectGolden(`sync-to-${name}-allow-hazards.json`, dryRunJson(id, dryRun.status, dryRun.plan));
      expect((await service.sync(await reload(id), { allowHazards: new Set(allow) as never })).status).toBe('applied');
    }
  });

  it('upgrade --dry-run --json of a workspace created at 0.22', async () => {
    const id = '44444444-4444-4444-8444-444444444444';
    await create(getVersionSnapshot('0.22'), id);
    const result = await runCli(['upgrade', '--dry-run', '--json', '-w', id], { DATABASE_URL: db.database.url });
    expect(result.code).toBe(0);
    expectGolden('upgrade-latest-from-0.22.json', JSON.parse(result.stdout));
    // The run itself, with the sync plan of each version (batch timings are not part of a plan).
    const run = await runCli(['upgrade', '--json', '-w', id], { DATABASE_URL: db.database.url });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout, (key, value: unknown) => (key === 'maxBatchMs' ? 0 : value));
    expect(report.workspaces[0].status).toBe('upgraded');
    expectGolden('upgrade-latest-from-0.22-run.json', report);
  });

  it('custom objects and fields, planned on a standard workspace', async () => {
    const id = '55555555-5555-4555-8555-555555555555';
    const { workspace } = await create(STANDARD_DECLARATIONS_SCHEMA, id);
    const actual = await new ActualStateRepository(db.dataSource.manager).read(workspace.id, workspace.schemaName);
    const planner = new CustomMetadataPlanner(actual, workspace.version, counterIds('aaaaaaaa-aaaa'));
    const company = actual.objects.find((object) => object.nameSingular === 'company')!;
    const plans: Record<string, Plan> = {
      createObject: planner.planObject(
        {
          nameSingular: 'invoice',
          namePlural: 'invoices',
          labelSingular: 'Invoice',
          labelPlural: 'Invoices',
          description: 'Bills',
          icon: 'IconReceipt',
        },
        STANDARD_DECLARATIONS_SCHEMA.customObjectFields,
      ),
      createTextField: planner.planField('company', { name: 'tagline', label: 'Tagline', type: 'TEXT', defaultValue: 'x' }),
      createSelectField: planner.planField('person', {
        name: 'tier',
        label: 'Tier',
        type: 'SELECT',
        options: [
          { value: 'GOLD', label: 'Gold', position: 0 },
          { value: 'SILVER', label: 'Silver', position: 1 },
        ],
        defaultValue: 'GOLD',
        isNullable: false,
      }),
      createCompositeField: planner.planField('company', { name: 'billing', label: 'Billing', type: 'ADDRESS' }),
      updateStandardField: planner.planFieldUpdate('company', company.fields.find((field) => field.name === 'employees')!.name, {
        isActive: false,
      }),
      updateStandardObject: planner.planObjectUpdate('person', { isActive: false }),
    };
    // Plans against custom metadata that exists: a second state read after applying some.
    const service = new CustomMetadataService(db.dataSource, STANDARD_DECLARATIONS_SCHEMA);
    await service.createObject(id, { nameSingular: 'invoice', namePlural: 'invoices', labelSingular: 'Invoice', labelPlural: 'Invoices' });
    await service.createField(id, 'invoice', {
      name: 'stage',
      label: 'Stage',
      type: 'MULTI_SELECT',
      options: [{ value: 'OPEN', label: 'Open', position: 0 }],
    });
    await service.createField(id, 'person', { name: 'nickname', label: 'Nickname', type: 'TEXT' });
    const after = await new ActualStateRepository(db.dataSource.manager).read(workspace.id, workspace.schemaName);
    // Ids of rows made through the service are random: give them fixed ones by their place.
    const renamed = new CustomMetadataPlanner(after, workspace.version, counterIds('bbbbbbbb-bbbb'));
    const invoice = after.objects.find((object) => object.nameSingular === 'invoice')!;
    Object.assign(plans, {
      renameCustomObject: renamed.planObjectUpdate('invoice', { nameSingular: 'bill', namePlural: 'bills', labelSingular: 'Bill' }),
      renameCustomField: renamed.planFieldUpdate('invoice', 'stage', { name: 'phase', label: 'Phase' }),
      deleteCustomField: renamed.planFieldDelete('person', 'nickname', 3, true),
      deleteCustomObject: renamed.planObjectDelete('invoice', 2, true),
    });
    const ids = new Map<string, string>();
    for (const object of after.objects.filter((candidate) => candidate.isCustom || candidate === invoice))
      ids.set(object.id, `custom-object:${object.nameSingular}`);
    for (const object of after.objects) {
      for (const field of object.fields.filter(
        (candidate) => candidate.isCustom || object.isCustom || candidate.relationTargetObjectMetadataId === invoice.id,
      )) {
        ids.set(field.id, `custom-field:${object.nameSingular}.${field.name}`);
      }
    }
    const text = JSON.stringify(
      Object.fromEntries(Object.entries(plans).map(([name, plan]) => [name, dryRunJson(id, 'planned', plan)])),
      (_key, value: unknown) =>
        typeof value === 'string' && ids.has(value)
          ? ids.get(value)
          : typeof value === 'string'
            ? [...ids].reduce((text, [from, to]) => text.split(from).join(to), value)
            : value,
    );
    expectGolden('custom-metadata.json', JSON.parse(text));
  });
});
