import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { UPGRADE_0_23_STEPS } from '../../src/upgrade/versions/0-23';
import { UPGRADE_0_24_STEPS } from '../../src/upgrade/versions/0-24';
import { UPGRADE_0_25_STEPS } from '../../src/upgrade/versions/0-25';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { CliResult, runCli } from '../utils/cli';
import { workspaceSnapshot } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { ledgerRows, workspaceVersion } from './upgrade-0-23.fixtures';

/**
 * upgrade-0.24 and upgrade:latest as an operator runs them: the refusal of a workspace two
 * versions behind, the duplicates report and --dedupe, a fleet brought to the latest version in
 * one command, and upgrade:status along the way.
 */

interface StatusJson {
  workspaces: Array<{ id: string; version: string | null; pending: string | null }>;
}

describe('upgrade-0.24 and upgrade:latest commands', () => {
  const db = useTestDatabase();
  const declared = buildStandardDeclarations();

  const cli = (...args: string[]): Promise<CliResult> => runCli(args, { DATABASE_URL: db.database.url });

  const createWorkspace = async (displayName: string, version: string): Promise<WorkspaceRow> =>
    (await new WorkspaceCreationService(db.dataSource, declared).create({ displayName, version })).workspace;

  const lastLine = (result: CliResult): string => result.stdout.trimEnd().split('\n').at(-1)!;

  it('upgrade-0.24 refuses a 0.22 workspace with exit 1, saying to run upgrade-0.23 first, and writes nothing', async () => {
    const old = await createWorkspace('Two behind', '0.22');
    const snapshot = await workspaceSnapshot(db.client, old.id, old.schemaName);
    const result = await cli('upgrade-0.24', '-w', old.id);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `✖ ${old.id} (${old.schemaName}): failed: workspace is at 0.22, upgrade-0.24 needs 0.23; run upgrade-0.23 first`,
    );
    expect(lastLine(result)).toBe('0 succeeded, 1 failed, 0 skipped');
    expect(await workspaceSnapshot(db.client, old.id, old.schemaName)).toEqual(snapshot);
    expect(await ledgerRows(db.client, old.id)).toEqual([]);
  });

  it('rejects an unknown --dedupe rule with exit 2, naming the rules, and writes nothing', async () => {
    const workspace = await createWorkspace('Bad rule', '0.23');
    const result = await cli('upgrade-0.24', '-w', workspace.id, '--dedupe', 'keep-newest');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--dedupe takes one of keep-oldest; got "keep-newest".');
    expect(await ledgerRows(db.client, workspace.id)).toEqual([]);
  });

  it.each([
    ['--batch-size', '0', '--batch-size takes a whole number from 1 to 1000000; got "0".'],
    ['--batch-size', '10.5', '--batch-size takes a whole number from 1 to 1000000; got "10.5".'],
    ['--batch-time', '-5', '--batch-time takes a whole number from 1 to 60000; got "-5".'],
    ['--batch-time', '1;DROP', '--batch-time takes a whole number from 1 to 60000; got "1;DROP".'],
  ])('rejects %s %s with exit 2 and a message naming the option, writing nothing', async (flag, value, message) => {
    const workspace = await createWorkspace(`Bad ${flag} ${value}`, '0.23');
    const result = await cli('upgrade-0.24', '-w', workspace.id, flag, value);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await ledgerRows(db.client, workspace.id)).toEqual([]);
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.23');
  });

  it('stops on duplicate emails with exit 1 and the report, then --dedupe keep-oldest finishes the upgrade', async () => {
    const workspace = await createWorkspace('Duplicates', '0.23');
    const person = `"${workspace.schemaName}".person`;
    const { rows } = await db.client.query(
      `INSERT INTO ${person} ("emailsPrimaryEmail", "createdAt") VALUES ('dup@example.com', '2024-01-01'), ('dup@example.com', '2024-02-01') RETURNING "id"::text AS id`,
    );
    const stopped = await cli('upgrade-0.24', '-w', workspace.id);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain(
      `1 duplicated primary email(s) on person, the unique index cannot be built: "dup@example.com" (ids ${rows[0].id}, ${rows[1].id})`,
    );
    expect(stopped.stdout).toContain('pass --dedupe keep-oldest');
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.23');

    const resolved = await cli('upgrade-0.24', '-w', workspace.id, '--dedupe', 'keep-oldest');
    expect({ code: resolved.code, last: lastLine(resolved) }).toEqual({ code: 0, last: '1 succeeded, 0 failed, 0 skipped' });
    expect(resolved.stdout).toContain(
      'keep-oldest: renamed 1 duplicate email(s), originals kept in additionalEmails and listed in the ledger',
    );
    const emails = (
      await db.client.query(
        `SELECT "id"::text AS id, "emailsPrimaryEmail" AS email FROM ${person} WHERE "id" = ANY($1::uuid[]) ORDER BY "createdAt"`,
        [rows.map((row) => row.id)],
      )
    ).rows;
    expect(emails).toEqual([
      { id: rows[0].id, email: 'dup@example.com' },
      { id: rows[1].id, email: 'dup+duplicate-1@example.com' },
    ]);
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.24');
  });

  it('upgrade:latest brings a 0.22 and a 0.23 workspace to the latest version (0.25) in one run, and a second run has nothing to do', async () => {
    const [at022, at023] = [await createWorkspace('Latest from 0.22', '0.22'), await createWorkspace('Latest from 0.23', '0.23')];
    const status = async () =>
      Object.fromEntries(
        (JSON.parse((await cli('upgrade:status', '--json', '-w', at022.id, '-w', at023.id)).stdout) as StatusJson).workspaces.map(
          ({ id, version, pending }) => [id, { version, pending }],
        ),
      );
    expect(await status()).toEqual({
      [at022.id]: { version: '0.22', pending: 'upgrade-0.23' },
      [at023.id]: { version: '0.23', pending: 'upgrade-0.24' },
    });

    const result = await cli('upgrade:latest', '-w', at022.id, '-w', at023.id);
    expect({ code: result.code, last: lastLine(result) }).toEqual({ code: 0, last: '2 succeeded, 0 failed, 0 skipped' });
    expect(result.stdout).toContain(`✔ ${at022.id} (${at022.schemaName}): upgraded to 0.25`);
    expect(result.stdout).toContain(`✔ ${at023.id} (${at023.schemaName}): upgraded to 0.25`);
    expect(result.stdout).toContain('matched 2, unmatched 1, ambiguous 0 (left unset, listed in the ledger), empty 0');
    expect((await ledgerRows(db.client, at022.id)).map((row) => `${row.version} ${row.step} ${row.status}`).sort()).toEqual(
      [
        ...UPGRADE_0_23_STEPS.map((step) => `0.23 ${step.name} DONE`),
        ...UPGRADE_0_24_STEPS.map((step) => `0.24 ${step.name} DONE`),
        ...UPGRADE_0_25_STEPS.map((step) => `0.25 ${step.name} DONE`),
      ].sort(),
    );
    expect((await ledgerRows(db.client, at023.id)).map((row) => `${row.version} ${row.step} ${row.status}`).sort()).toEqual(
      [...UPGRADE_0_24_STEPS.map((step) => `0.24 ${step.name} DONE`), ...UPGRADE_0_25_STEPS.map((step) => `0.25 ${step.name} DONE`)].sort(),
    );
    expect(await status()).toEqual({ [at022.id]: { version: '0.25', pending: null }, [at023.id]: { version: '0.25', pending: null } });

    const again = await cli('upgrade:latest', '-w', at022.id, '-w', at023.id);
    expect({ code: again.code, last: lastLine(again) }).toEqual({ code: 0, last: '2 succeeded, 0 failed, 0 skipped' });
    expect(again.stdout).toContain(`= ${at022.id} (${at022.schemaName}): already at 0.25`);
  });

  it('upgrade:latest --dry-run writes nothing and names the steps it would run', async () => {
    const workspace = await createWorkspace('Dry run', '0.22');
    const snapshot = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
    const result = await cli('upgrade:latest', '--dry-run', '-w', workspace.id);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run, nothing written');
    expect(result.stdout).toMatch(/would-run\s+0\.23 migrate-email-fields-to-emails/);
    expect(await workspaceSnapshot(db.client, workspace.id, workspace.schemaName)).toEqual(snapshot);
    expect(await ledgerRows(db.client, workspace.id)).toEqual([]);
  });
});
