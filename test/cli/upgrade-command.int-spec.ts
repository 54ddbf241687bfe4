import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { CliResult, runCli } from '../utils/cli';
import { workspaceSnapshot } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { ledgerRows, workspaceVersion } from '../upgrade/upgrade-0-23.fixtures';

const STEPS_0_23 = ['migrate-email-fields-to-emails', 'migrate-link-fields-to-links', 'deprecate-company-address', 'add-address-to-views'];
const STEPS_0_24 = ['build-person-email-unique-index', 'backfill-opportunity-point-of-contact', 'add-point-of-contact-to-views'];
const STEPS_0_25 = [
  'migrate-phone-fields-to-phones',
  'migrate-note-body-to-rich-text',
  'add-search-vectors',
  'build-search-indexes',
  'add-target-relations-to-custom-objects',
  'add-task-views',
];

interface UpgradeJson {
  workspaces: Array<{
    status: string;
    message: string | null;
    steps: Array<{ version: string; step: string; status: string }>;
    syncs: Array<{ version: string; status: string; actions: Array<{ summary: string; sql: string }> }>;
  }>;
}

/**
 * `upgrade` takes workspaces to the latest version (upgrade:latest is its alias): its dry run
 * (`-d`) lists the steps of every pending version, and its report keeps the sync plan of each
 * version, in text and in --json.
 */
describe('upgrade', () => {
  const db = useTestDatabase();
  const cli = (...args: string[]): Promise<CliResult> => runCli(args, { DATABASE_URL: db.database.url });
  const createAt022 = async (displayName: string): Promise<WorkspaceRow> =>
    (await new WorkspaceCreationService(db.dataSource, buildStandardDeclarations()).create({ displayName, version: '0.22' })).workspace;

  it('-d lists the steps of 0.23, 0.24 and 0.25, in the order they run, and writes nothing', async () => {
    const workspace = await createAt022('Dry');
    const snapshot = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
    const text = await cli('upgrade', '-d', '-w', workspace.id);
    expect(text.code).toBe(0);
    const stepLines = text.stdout.split('\n').filter((line) => line.startsWith('  would-run'));
    expect(stepLines.map((line) => line.trim().split(/\s+/).slice(1, 3).join(' '))).toEqual([
      ...STEPS_0_23.map((step) => `0.23 ${step}`),
      ...STEPS_0_24.map((step) => `0.24 ${step}`),
      ...STEPS_0_25.map((step) => `0.25 ${step}`),
    ]);
    expect(text.stdout).toContain(
      'dry run, nothing written (then sync to the 0.23 snapshot and record version 0.23; then 0.24: its steps, sync to the 0.24 snapshot and record version 0.24; then 0.25: its steps, sync to the 0.25 snapshot and record version 0.25)',
    );

    const json = await cli('upgrade', '--dry-run', '--json', '-w', workspace.id);
    expect(json.code).toBe(0);
    const [report] = (JSON.parse(json.stdout) as UpgradeJson).workspaces;
    expect(report.status).toBe('planned');
    expect(report.steps.map((step) => [step.version, step.step, step.status])).toEqual([
      ...STEPS_0_23.map((step) => ['0.23', step, 'would-run']),
      ...STEPS_0_24.map((step) => ['0.24', step, 'would-run']),
      ...STEPS_0_25.map((step) => ['0.25', step, 'would-run']),
    ]);
    expect(report.syncs).toEqual([]);
    expect(await workspaceSnapshot(db.client, workspace.id, workspace.schemaName)).toEqual(snapshot);
    expect(await ledgerRows(db.client, workspace.id)).toEqual([]);
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.22');
  });

  it("reports each version's sync, 0.23's plan included, in text and in --json", async () => {
    const text = await createAt022('Text');
    const run = await cli('upgrade', '-w', text.id);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const at = (prefix: string) => lines.findIndex((line) => line.startsWith(prefix));
    expect(at('  sync 0.23: applied, ')).toBeGreaterThan(at('  done             0.23 deprecate-company-address'));
    expect(at('  done             0.23 add-address-to-views')).toBeGreaterThan(at('  sync 0.23: applied, '));
    expect(at('  sync 0.24: applied, ')).toBeGreaterThan(at('  done             0.24 build-person-email-unique-index'));
    expect(at('  done             0.24 add-point-of-contact-to-views')).toBeGreaterThan(at('  sync 0.24: applied, '));
    expect(Number(/sync 0\.23: applied, (\d+) action/.exec(run.stdout)?.[1])).toBeGreaterThan(0);
    expect(at('  sync 0.25: applied, ')).toBeGreaterThan(at('  done             0.25 build-search-indexes'));
    expect(at('  done             0.25 add-task-views')).toBeGreaterThan(at('  sync 0.25: applied, '));
    expect(await workspaceVersion(db.client, text.id)).toBe('0.25');

    const verbose = await cli('upgrade', '-v', '-w', (await createAt022('Verbose')).id);
    expect(verbose.code).toBe(0);
    const plan023 = verbose.stdout.slice(verbose.stdout.indexOf('  sync 0.23: applied'), verbose.stdout.indexOf('  sync 0.24: applied'));
    expect(plan023).toMatch(/ALTER TABLE|CREATE/);

    const json = await cli('upgrade', '--json', '-w', (await createAt022('Json')).id);
    expect(json.code).toBe(0);
    const [report] = (JSON.parse(json.stdout) as UpgradeJson).workspaces;
    expect(report.status).toBe('upgraded');
    expect(report.syncs.map((sync) => [sync.version, sync.status])).toEqual([
      ['0.23', 'applied'],
      ['0.24', 'applied'],
      ['0.25', 'applied'],
    ]);
    expect(report.syncs[0].actions.length).toBeGreaterThan(0);
    expect(report.syncs[0].actions.every((action) => action.sql.length > 0)).toBe(true);
  });

  it('upgrade:latest is the same command: a workspace at the latest version is up to date', async () => {
    const workspace = await createAt022('Alias');
    expect((await cli('upgrade:latest', '-w', workspace.id)).code).toBe(0);
    const again = await cli('upgrade', '-w', workspace.id);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`= ${workspace.id} (${workspace.schemaName}): already at 0.25`);
  });
});
