import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { v1 } from '../fixtures/declarations/v1';
import { insertRowsWithEveryColumn } from '../utils/every-column-rows';
import { useTestDatabase } from '../utils/test-services';
import { endState, EndState, integrityProblems, recordsWithoutIds } from './support/end-state';
import { FixtureCli, ProcessResult, runProductCli } from './support/processes';

/**
 * Four processes run the same command over the same 20 workspaces at once. The per-workspace
 * advisory lock lets one of them apply a workspace while the others skip it: every workspace ends
 * correct, each upgrade step runs exactly once, nothing deadlocks, and the only thing a process
 * may report besides success is "skipped: locked by another runner".
 */

const WORKSPACES = 20;
const PROCESSES = 4;
const LOCKED = 'skipped: locked by another runner';

interface JsonRun {
  workspaces: Array<{ id: string; status: string; message: string | null }>;
  summary: { succeeded: number; failed: number; skipped: number };
}

/** Runs `start` PROCESSES times at once; returns each run's JSON document, checking its exit status and stderr. */
const runAtOnce = async (start: () => Promise<ProcessResult>): Promise<JsonRun[]> => {
  const results = await Promise.all(Array.from({ length: PROCESSES }, start));
  return results.map((result) => {
    const run: JsonRun = JSON.parse(result.stdout);
    const stderr = result.stderr
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('Database: ') && !/^\d+ succeeded, \d+ failed, \d+ skipped$/.test(line));
    // Exit 1 only because of skipped workspaces (another process held them).
    expect({ code: result.code, stderr, failed: run.summary.failed }).toEqual({
      code: run.summary.skipped > 0 ? 1 : 0,
      stderr: [],
      failed: 0,
    });
    return run;
  });
};

/** Per workspace, the statuses the four processes reported; anything but success is the lock skip. */
const statusesByWorkspace = (runs: JsonRun[]): Map<string, string[]> => {
  const byWorkspace = new Map<string, string[]>();
  for (const run of runs) {
    expect(run.workspaces).toHaveLength(WORKSPACES);
    for (const result of run.workspaces) {
      if (result.status === 'skipped') expect(result.message).toBe(LOCKED);
      byWorkspace.set(result.id, [...(byWorkspace.get(result.id) ?? []), result.status]);
    }
  }
  return byWorkspace;
};

/** Guards against a hang only: these hooks start many processes, and the machine may be busy. */
const HOOK_TIMEOUT = 600_000;

describe('four processes, the same command, the same 20 workspaces', () => {
  const db = useTestDatabase(2);
  let fixtureCli: FixtureCli;

  beforeAll(async () => {
    fixtureCli = FixtureCli.build();
  });

  afterAll(async () => {
    fixtureCli?.remove();
  });

  const databaseEnv = () => ({ DATABASE_URL: db.database.url });

  describe('upgrade-0.23', () => {
    const standard = buildStandardDeclarations();
    let workspaces: WorkspaceRow[];
    let reference: WorkspaceRow;
    let runs: JsonRun[];

    beforeAll(async () => {
      const creation = new WorkspaceCreationService(db.dataSource, standard);
      workspaces = [];
      for (let index = 0; index < WORKSPACES; index += 1) {
        workspaces.push((await creation.create({ displayName: `Concurrent ${index}`, version: '0.22' })).workspace);
      }
      reference = (await creation.create({ displayName: 'Reference', version: '0.22' })).workspace;
      const alone = await runProductCli(['upgrade-0.23', '-w', reference.id], { env: databaseEnv() });
      expect(alone.code).toBe(0);
      const ids = workspaces.flatMap((workspace) => ['-w', workspace.id]);
      runs = await runAtOnce(() =>
        runProductCli(['upgrade-0.23', ...ids, '--concurrency', '3', '--batch-size', '2', '--continue-on-error', '--json'], {
          env: databaseEnv(),
        }),
      );
    }, HOOK_TIMEOUT);

    it('upgrades each workspace in exactly one process; the others skip it or find it done', () => {
      const byWorkspace = statusesByWorkspace(runs);
      expect(byWorkspace.size).toBe(WORKSPACES);
      for (const [id, statuses] of byWorkspace) {
        expect({ id, upgraded: statuses.filter((status) => status === 'upgraded').length }).toEqual({ id, upgraded: 1 });
        expect({ id, others: statuses.filter((status) => !['upgraded', 'skipped', 'up-to-date'].includes(status)) }).toEqual({
          id,
          others: [],
        });
      }
    });

    it('ran every step exactly once per workspace (ledger), and every workspace ends as one upgraded alone', async () => {
      const ledgerOf = async (workspaceId: string) =>
        (
          await db.client.query(
            `SELECT "step", "status", "rowsAffected"::int AS "rowsAffected", jsonb_array_length("log") AS "logEntries", "error"
               FROM core."upgradeLedger" WHERE "workspaceId" = $1 ORDER BY "step"`,
            [workspaceId],
          )
        ).rows;
      const expectedLedger = await ledgerOf(reference.id);
      expect(expectedLedger.map((row) => row.status)).toEqual(['DONE', 'DONE', 'DONE', 'DONE']);
      const referenceState = await endState(db.client, reference.id, reference.schemaName);
      const expected = {
        metadata: referenceState.metadata,
        catalog: referenceState.catalog,
        views: referenceState.views,
        records: await recordsWithoutIds(db.client, reference.schemaName),
      };
      for (const workspace of workspaces) {
        expect({ id: workspace.id, ledger: await ledgerOf(workspace.id) }).toEqual({ id: workspace.id, ledger: expectedLedger });
        const state: EndState = await endState(db.client, workspace.id, workspace.schemaName);
        expect({
          metadata: state.metadata,
          catalog: state.catalog,
          views: state.views,
          records: await recordsWithoutIds(db.client, workspace.schemaName),
        }).toEqual(expected);
        expect(await integrityProblems(db.client, db.dataSource, workspace.id, workspace.schemaName)).toEqual([]);
        const { rows } = await db.client.query(`SELECT "version" FROM core.workspace WHERE "id" = $1`, [workspace.id]);
        expect(rows[0].version).toBe('0.23');
      }
    });
  });

  describe('workspace:sync-metadata v1 -> v2', () => {
    let workspaces: WorkspaceRow[];
    let runs: JsonRun[];
    let dryRun: ProcessResult;

    beforeAll(async () => {
      const creation = new WorkspaceCreationService(db.dataSource, v1);
      workspaces = [];
      for (let index = 0; index < WORKSPACES; index += 1) {
        const { workspace } = await creation.createFrom(v1, { displayName: `Sync ${index}` });
        await insertRowsWithEveryColumn(db.client, workspace.schemaName, 'company', 5, 1);
        await insertRowsWithEveryColumn(db.client, workspace.schemaName, 'person', 10, 1);
        workspaces.push(workspace);
      }
      const ids = workspaces.flatMap((workspace) => ['-w', workspace.id]);
      // stdout is read only once the process has printed its summary on stderr, after the document.
      dryRun = await fixtureCli.run('v2', ['workspace:sync-metadata', ...ids, '--dry-run', '--json'], {
        env: databaseEnv(),
        holdStdoutUntilStderr: /\d+ succeeded, \d+ failed, \d+ skipped/,
      });
      runs = await runAtOnce(() =>
        fixtureCli.run('v2', ['workspace:sync-metadata', ...ids, '--concurrency', '3', '--continue-on-error', '--json'], {
          env: databaseEnv(),
        }),
      );
    }, HOOK_TIMEOUT);

    it('a dry run prints the plans of all 20 as one whole JSON document, even to a reader slower than the process', () => {
      expect(dryRun.stdout.length).toBeGreaterThan(100_000);
      const document = JSON.parse(dryRun.stdout);
      expect(document.workspaces).toHaveLength(WORKSPACES);
      expect(document.workspaces.every((workspace: { actions: unknown[] }) => workspace.actions.length > 0)).toBe(true);
    });

    it('applies each workspace in exactly one process; the others skip it or find it up to date', () => {
      for (const [id, statuses] of statusesByWorkspace(runs)) {
        expect({ id, applied: statuses.filter((status) => status === 'applied').length }).toEqual({ id, applied: 1 });
        expect({ id, others: statuses.filter((status) => !['applied', 'skipped', 'up-to-date'].includes(status)) }).toEqual({
          id,
          others: [],
        });
      }
    });

    it('leaves every workspace in sync with v2, its 15 records kept, nothing orphaned', async () => {
      const states: unknown[] = [];
      for (const workspace of workspaces) {
        expect(await integrityProblems(db.client, db.dataSource, workspace.id, workspace.schemaName)).toEqual([]);
        const state = await endState(db.client, workspace.id, workspace.schemaName);
        expect({ company: Object.keys(state.records.company).length, person: Object.keys(state.records.person).length }).toEqual({
          company: 5,
          person: 10,
        });
        states.push({ metadata: state.metadata, catalog: state.catalog });
      }
      expect(states.every((state) => JSON.stringify(state) === JSON.stringify(states[0]))).toBe(true);
      const check = await fixtureCli.run(
        'v2',
        ['workspace:sync-metadata', ...workspaces.flatMap((workspace) => ['-w', workspace.id]), '--check'],
        { env: databaseEnv() },
      );
      expect(check.code).toBe(0);
      expect(check.stdout).toContain(`${WORKSPACES} succeeded, 0 failed, 0 skipped`);
      expect(check.stdout).not.toContain('applied');
    });
  });
});
