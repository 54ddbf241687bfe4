import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { CliResult, runCli } from '../utils/cli';
import { workspaceSnapshot } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { ledgerRows, workspaceVersion } from './upgrade-0-23.fixtures';

/**
 * What would stop an upgrade part-way (drift, a field in a later step's way, a value too long for
 * the unique index of 0.24) is found before the first step writes: the workspace stays exactly as
 * it was, the dry run reports the same refusal with exit 1, and the upgrade finishes once the
 * cause is fixed.
 */
describe('upgrade pre-flight', () => {
  const db = useTestDatabase();
  const declared = buildStandardDeclarations();

  const cli = (...args: string[]): Promise<CliResult> => runCli(args, { DATABASE_URL: db.database.url });
  const lastLine = (result: CliResult): string => result.stdout.trimEnd().split('\n').at(-1)!;

  const createWorkspace = async (displayName: string, version: string): Promise<WorkspaceRow> =>
    (await new WorkspaceCreationService(db.dataSource, declared).create({ displayName, version })).workspace;

  /** Runs `args` as a dry run and for real: both exit 1 with `message`, and nothing is written. */
  const expectRefusedUntouched = async (workspace: WorkspaceRow, args: string[], message: string): Promise<void> => {
    const before = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
    const version = await workspaceVersion(db.client, workspace.id);
    for (const run of [[...args, '--dry-run'], args]) {
      const result = await cli(...run, '-w', workspace.id);
      expect({ run: run.join(' '), code: result.code, last: lastLine(result) }).toEqual({
        run: run.join(' '),
        code: 1,
        last: '0 succeeded, 1 failed, 0 skipped',
      });
      expect(result.stdout).toContain(message);
      expect(await workspaceSnapshot(db.client, workspace.id, workspace.schemaName)).toEqual(before);
      expect(await ledgerRows(db.client, workspace.id)).toEqual([]);
      expect(await workspaceVersion(db.client, workspace.id)).toBe(version);
    }
  };

  it('a 0.22 workspace whose company.address lost NOT NULL: refused before any step, dry run too, and upgraded once repaired', async () => {
    const workspace = await createWorkspace('Drifted', '0.22');
    await db.client.query(`ALTER TABLE "${workspace.schemaName}".company ALTER COLUMN "address" DROP NOT NULL`);

    await expectRefusedUntouched(workspace, ['upgrade:latest'], 'metadata and tables have drifted apart');
    const result = await cli('upgrade:latest', '-w', workspace.id);
    expect(result.stdout).toMatch(/column "address" of company .*nullable/i);
    expect(result.stdout).toContain('nothing was written');

    await db.client.query(`UPDATE "${workspace.schemaName}".company SET "address" = '' WHERE "address" IS NULL`);
    await db.client.query(`ALTER TABLE "${workspace.schemaName}".company ALTER COLUMN "address" SET NOT NULL`);
    const repaired = await cli('upgrade:latest', '-w', workspace.id);
    expect({ code: repaired.code, last: lastLine(repaired) }).toEqual({ code: 0, last: '1 succeeded, 0 failed, 0 skipped' });
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.25');
  });

  it('a custom company field addressOld: upgrade-0.23 stops before the email and link moves, naming the field', async () => {
    const workspace = await createWorkspace('Address old taken', '0.22');
    await new CustomMetadataService(db.dataSource, declared).createField(workspace.id, 'company', {
      name: 'addressOld',
      label: 'Address old',
      type: 'TEXT',
    });

    await expectRefusedUntouched(workspace, ['upgrade-0.23'], 'company already has a field "addressOld"; rename it');
  });

  it('an email over the btree limit at 0.22: upgrade:latest --dedupe keep-oldest refuses before 0.23 writes, naming the record and the limit', async () => {
    const workspace = await createWorkspace('Long email', '0.22');
    const person = `"${workspace.schemaName}".person`;
    const long = `${'x'.repeat(3_800)}@example.com`;
    const [{ id: longId }] = (await db.client.query(`INSERT INTO ${person} ("email") VALUES ($1) RETURNING "id"::text AS id`, [long])).rows;
    await db.client.query(
      `INSERT INTO ${person} ("email", "createdAt") VALUES ('dup@example.com', '2024-01-01'), ('dup@example.com', '2024-02-01')`,
    );

    await expectRefusedUntouched(
      workspace,
      ['upgrade:latest', '--dedupe', 'keep-oldest'],
      `person ${longId} has a primary email of 3812 bytes; the unique index on it holds at most 2692 bytes`,
    );

    // The documented way forward: shorten (or clear) the value, then rerun.
    await db.client.query(`UPDATE ${person} SET "email" = 'long@example.com' WHERE "id" = $1`, [longId]);
    const fixed = await cli('upgrade:latest', '--dedupe', 'keep-oldest', '-w', workspace.id);
    expect({ code: fixed.code, out: fixed.code === 0 ? '' : fixed.stdout }).toEqual({ code: 0, out: '' });
    expect({ code: fixed.code, last: lastLine(fixed) }).toEqual({ code: 0, last: '1 succeeded, 0 failed, 0 skipped' });
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.25');
  });

  it('an email over the btree limit at 0.23: upgrade-0.24 refuses before the duplicates are renamed', async () => {
    const workspace = await createWorkspace('Long email at 0.23', '0.23');
    const person = `"${workspace.schemaName}".person`;
    const long = `${'y'.repeat(3_000)}@example.com`;
    const [{ id: longId }] = (
      await db.client.query(`INSERT INTO ${person} ("emailsPrimaryEmail") VALUES ($1) RETURNING "id"::text AS id`, [long])
    ).rows;
    await db.client.query(
      `INSERT INTO ${person} ("emailsPrimaryEmail", "createdAt") VALUES ('dup@example.com', '2024-01-01'), ('dup@example.com', '2024-02-01')`,
    );

    await expectRefusedUntouched(
      workspace,
      ['upgrade-0.24', '--dedupe', 'keep-oldest'],
      `person ${longId} has a primary email of 3012 bytes; the unique index on it holds at most 2692 bytes`,
    );
  });

  it('duplicate emails at 0.22 without --dedupe: upgrade:latest refuses before 0.23 writes, listing them', async () => {
    const workspace = await createWorkspace('Duplicates at 0.22', '0.22');
    const person = `"${workspace.schemaName}".person`;
    const { rows } = await db.client.query(
      `INSERT INTO ${person} ("email", "createdAt") VALUES ('dup@example.com', '2024-01-01'), ('dup@example.com', '2024-02-01') RETURNING "id"::text AS id`,
    );

    await expectRefusedUntouched(
      workspace,
      ['upgrade:latest'],
      `0.24 build-person-email-unique-index: 1 duplicated primary email(s) on person, the unique index cannot be built: "dup@example.com" (ids ${rows[0].id}, ${rows[1].id})`,
    );
  });

  it('a duplicated email that keep-oldest would rename past the limit: refused before anything is renamed', async () => {
    const workspace = await createWorkspace('Near the limit', '0.23');
    const person = `"${workspace.schemaName}".person`;
    const near = `${'z'.repeat(2_680)}@example.com`;
    await db.client.query(`INSERT INTO ${person} ("emailsPrimaryEmail", "createdAt") VALUES ($1, '2024-01-01'), ($1, '2024-02-01')`, [
      near,
    ]);

    await expectRefusedUntouched(
      workspace,
      ['upgrade-0.24', '--dedupe', 'keep-oldest'],
      'renamed by keep-oldest would be 2704 bytes; the unique index on it holds at most 2692 bytes',
    );
  });

  it('a custom person field birthdate at 0.22: upgrade:latest refuses before 0.23 writes, naming the name conflict of the 0.24 sync', async () => {
    const workspace = await createWorkspace('Birthdate taken', '0.22');
    await new CustomMetadataService(db.dataSource, declared).createField(workspace.id, 'person', {
      name: 'birthdate',
      label: 'Birthday',
      type: 'TEXT',
    });

    await expectRefusedUntouched(
      workspace,
      ['upgrade:latest'],
      'sync to 0.24: the new standard field person.birthdate collides with the custom field "birthdate"; rename the custom field',
    );
  });
});
