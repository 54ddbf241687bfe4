import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { upgradeCommandFor } from '../../src/standard-objects/version.constant';
import { stepChecksum } from '../../src/upgrade/upgrade-step';
import { UPGRADE_0_23_STEPS } from '../../src/upgrade/versions/0-23';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { CliResult, runCli } from '../utils/cli';
import { tableData, workspaceSnapshot } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { fieldRow, ledgerRows, liveColumns, STEP_NAMES, workspaceVersion } from './upgrade-0-23.fixtures';

/**
 * The upgrade commands as an operator runs them: upgrade:status, one step of upgrade-0.23 on its
 * own, then the whole upgrade, and upgrade:mark-applied for a workspace brought to 0.23 by other
 * means.
 */

interface StatusJson {
  workspaces: Array<{
    id: string;
    version: string | null;
    pending: string | null;
    ledger: Array<{ step: string; version: string; status: string; rowsAffected: number; finishedAt: string | null; checksum: string }>;
  }>;
  summary: { succeeded: number; failed: number; skipped: number };
}

describe('upgrade-0.23 commands', () => {
  const db = useTestDatabase();
  const declared = buildStandardDeclarations();

  const cli = (...args: string[]): Promise<CliResult> => runCli(args, { DATABASE_URL: db.database.url });

  const createWorkspace = async (displayName: string, version: string): Promise<WorkspaceRow> =>
    (await new WorkspaceCreationService(db.dataSource, declared).create({ displayName, version })).workspace;

  const json = <T>(result: CliResult): T => {
    expect({ code: result.code, stdout: result.stdout.trim().startsWith('{') }).toEqual({ code: 0, stdout: true });
    return JSON.parse(result.stdout) as T;
  };

  const status = async (workspaceId: string): Promise<StatusJson['workspaces'][number]> => {
    const report = json<StatusJson>(await cli('upgrade:status', '--json', '-w', workspaceId));
    expect(report.workspaces.map((workspace) => workspace.id)).toEqual([workspaceId]);
    return report.workspaces[0];
  };

  describe('one step on its own, then the whole upgrade', () => {
    let workspace: WorkspaceRow;

    beforeAll(async () => {
      workspace = await createWorkspace('Step by step', '0.22');
      await db.client.query(
        `INSERT INTO "${workspace.schemaName}".person ("nameFirstName", "email") VALUES ('Extra', 'Extra.Person@Example.org'), ('None', '')`,
      );
    });

    it('upgrade:status --json lists the version, the next upgrade and an empty ledger of every workspace', async () => {
      const other = await createWorkspace('Already 0.23', '0.23');
      const report = json<StatusJson>(await cli('upgrade:status', '--json'));
      const byId = new Map(report.workspaces.map((entry) => [entry.id, entry]));
      expect(byId.get(workspace.id)).toEqual({ id: workspace.id, version: '0.22', pending: 'upgrade-0.23', ledger: [] });
      // Nothing pending at 0.23 unless a later upgrade exists.
      expect(byId.get(other.id)).toEqual({ id: other.id, version: '0.23', pending: upgradeCommandFor('0.23'), ledger: [] });
      expect(report.summary.failed).toBe(0);
    });

    it('upgrade-0.23:migrate-email-fields-to-emails moves only the emails and leaves the version at 0.22', async () => {
      const schema = workspace.schemaName;
      const before = await tableData(db.client, schema);
      const emailField = (await fieldRow(db.client, workspace.id, 'person', 'email'))!;
      const result = await cli('upgrade-0.23:migrate-email-fields-to-emails', '-w', workspace.id);
      expect({ code: result.code, stdout: result.stdout }).toEqual({
        code: 0,
        stdout: expect.stringContaining(`ran migrate-email-fields-to-emails`),
      });
      expect(result.stdout).toContain('1 succeeded, 0 failed, 0 skipped');

      expect(await workspaceVersion(db.client, workspace.id)).toBe('0.22');
      const after = await tableData(db.client, schema);
      const people = Object.entries(before.person);
      expect(people.length).toBeGreaterThanOrEqual(7);
      for (const [id, row] of people) {
        expect({ id, email: after.person[id].emailsPrimaryEmail }).toEqual({ id, email: row.email });
      }
      expect(await fieldRow(db.client, workspace.id, 'person', 'emails')).toEqual(
        expect.objectContaining({ id: emailField.id, type: 'EMAILS' }),
      );
      // The rest of 0.23 has not run: links, the address and the version are as they were.
      expect(after.company).toEqual(before.company);
      expect(await liveColumns(db.client, schema, 'company')).toEqual(
        expect.arrayContaining(['domainNameUrl', 'domainNameLabel', 'linkedinLinkUrl', 'address']),
      );
      expect(await fieldRow(db.client, workspace.id, 'company', 'domainName')).toEqual(expect.objectContaining({ type: 'LINK' }));
      expect(await fieldRow(db.client, workspace.id, 'company', 'address')).toEqual(
        expect.objectContaining({ type: 'TEXT', isCustom: false }),
      );
      expect((await ledgerRows(db.client, workspace.id)).map((row) => [row.step, row.status, row.rowsAffected])).toEqual([
        ['migrate-email-fields-to-emails', 'DONE', people.length],
      ]);

      const report = await status(workspace.id);
      expect({
        version: report.version,
        pending: report.pending,
        ledger: report.ledger.map((entry) => [entry.version, entry.step, entry.status, entry.rowsAffected]),
      }).toEqual({
        version: '0.22',
        pending: 'upgrade-0.23',
        ledger: [['0.23', 'migrate-email-fields-to-emails', 'DONE', people.length]],
      });
    });

    it('upgrade-0.23 then runs the rest, skipping the step already done, and records 0.23', async () => {
      const [emailEntry] = await ledgerRows(db.client, workspace.id);
      const companiesBefore = (await tableData(db.client, workspace.schemaName)).company;
      const result = await cli('upgrade-0.23', '-w', workspace.id, '--json');
      const report = json<{ workspaces: Array<{ id: string; status: string; steps: Array<{ step: string; status: string }> }> }>(result);
      expect(
        report.workspaces.map((entry) => ({
          id: entry.id,
          status: entry.status,
          steps: entry.steps.map((step) => [step.step, step.status]),
        })),
      ).toEqual([
        {
          id: workspace.id,
          status: 'upgraded',
          steps: [
            ['migrate-email-fields-to-emails', 'skipped'],
            ['migrate-link-fields-to-links', 'done'],
            ['deprecate-company-address', 'done'],
            ['add-address-to-views', 'done'],
          ],
        },
      ]);
      expect(await workspaceVersion(db.client, workspace.id)).toBe('0.23');
      const ledger = await ledgerRows(db.client, workspace.id);
      expect(ledger.map((row) => [row.step, row.status])).toEqual([...STEP_NAMES].sort().map((name) => [name, 'DONE']));
      expect(ledger.find((row) => row.step === 'migrate-email-fields-to-emails')).toEqual(emailEntry);
      const companiesAfter = (await tableData(db.client, workspace.schemaName)).company;
      expect(Object.keys(companiesBefore).length).toBeGreaterThan(0);
      for (const [id, row] of Object.entries(companiesBefore)) {
        expect({ id, label: companiesAfter[id].domainNamePrimaryLinkLabel, address: companiesAfter[id].addressOld }).toEqual({
          id,
          label: row.domainNameLabel,
          address: row.address,
        });
      }

      const after = await status(workspace.id);
      expect({
        version: after.version,
        pending: after.pending,
        ledger: after.ledger.map((entry) => [entry.step, entry.status]).sort(),
      }).toEqual({
        version: '0.23',
        pending: upgradeCommandFor('0.23'),
        ledger: [...STEP_NAMES].sort().map((name) => [name, 'DONE']),
      });
    });
  });

  it('upgrade-0.23 refuses a workspace at 0.21 with exit 1, naming the version it needs, and writes nothing', async () => {
    const workspace = await createWorkspace('At 0.21', '0.22');
    await db.client.query(`UPDATE core.workspace SET "version" = '0.21' WHERE "id" = $1`, [workspace.id]);
    const snapshot = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
    const result = await cli('upgrade-0.23', '-w', workspace.id);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✖ ${workspace.id} (${workspace.schemaName}): failed: workspace is at 0.21, upgrade-0.23 needs 0.22`);
    expect(result.stdout).toContain('0 succeeded, 1 failed, 0 skipped');
    expect(await ledgerRows(db.client, workspace.id)).toEqual([]);
    expect(await workspaceSnapshot(db.client, workspace.id, workspace.schemaName)).toEqual(snapshot);
  });

  describe('upgrade:mark-applied --version 0.23', () => {
    it('refuses a workspace that is really at 0.22: exit 1, the differences listed, the version kept', async () => {
      const workspace = await createWorkspace('Really 0.22', '0.22');
      const snapshot = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
      const result = await cli('upgrade:mark-applied', '--version', '0.23', '-w', workspace.id);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`✖ ${workspace.id}: refused, its schema is not 0.23`);
      expect(result.stdout).toContain('field person.email changes type EMAIL -> EMAILS');
      expect(result.stdout).toContain('field company.domainName changes type LINK -> LINKS');
      expect(result.stdout).toContain('0 succeeded, 1 failed, 0 skipped');
      expect(await workspaceVersion(db.client, workspace.id)).toBe('0.22');
      expect(await ledgerRows(db.client, workspace.id)).toEqual([]);
      expect(await workspaceSnapshot(db.client, workspace.id, workspace.schemaName)).toEqual(snapshot);
    });

    it('accepts a workspace in the shape of 0.23 recorded at 0.22: exit 0, version 0.23, every step BASELINED; upgrade-0.23 then has nothing to do', async () => {
      const workspace = await createWorkspace('Shaped 0.23', '0.23');
      await db.client.query(`UPDATE core.workspace SET "version" = '0.22' WHERE "id" = $1`, [workspace.id]);
      const snapshot = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
      const result = await cli('upgrade:mark-applied', '--version', '0.23', '-w', workspace.id);
      expect({ code: result.code, stdout: result.stdout }).toEqual({
        code: 0,
        stdout: expect.stringContaining(`✔ ${workspace.id}: marked at 0.23`),
      });
      expect(await workspaceVersion(db.client, workspace.id)).toBe('0.23');
      expect((await ledgerRows(db.client, workspace.id)).map((row) => [row.step, row.version, row.status, row.checksum])).toEqual(
        [...UPGRADE_0_23_STEPS]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((step) => [step.name, '0.23', 'BASELINED', stepChecksum(step)]),
      );
      const after = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
      expect({ ...after.metadata, workspace: null }).toEqual({ ...snapshot.metadata, workspace: null });
      expect(after.catalog).toEqual(snapshot.catalog);
      expect(after.data).toEqual(snapshot.data);

      const upgrade = json<{ workspaces: Array<{ status: string; steps: unknown[] }> }>(
        await cli('upgrade-0.23', '-w', workspace.id, '--json'),
      );
      expect(upgrade.workspaces.map((entry) => [entry.status, entry.steps])).toEqual([['up-to-date', []]]);
    });

    it('exits 2 without -w, writing nothing', async () => {
      const workspace = await createWorkspace('Unnamed', '0.23');
      await db.client.query(`UPDATE core.workspace SET "version" = '0.22' WHERE "id" = $1`, [workspace.id]);
      const result = await cli('upgrade:mark-applied', '--version', '0.23');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('needs the workspaces named with -w <id>');
      expect(await workspaceVersion(db.client, workspace.id)).toBe('0.22');
      expect(await ledgerRows(db.client, workspace.id)).toEqual([]);
    });
  });
});
