import { randomUUID } from 'node:crypto';

import { ActualStateRepository } from '../../src/metadata/actual-state.repository';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { CURRENT_VERSION } from '../../src/standard-objects/version.constant';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { v1 } from '../fixtures/declarations/v1';
import { v2 } from '../fixtures/declarations/v2';
import { insertRowsWithEveryColumn } from '../utils/every-column-rows';
import { workspaceSnapshot, WorkspaceSnapshot } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { integrityProblems } from './support/end-state';
import { FixtureCli, ProcessResult, runProductCli } from './support/processes';

/**
 * Dirty data in some workspaces of a fleet: each problem is found by the pre-flight reads before
 * anything is written, reported for its workspace with what to do, and that workspace is left
 * exactly as it was while the clean ones go ahead. A view field left pointing at a deleted field
 * is reported by workspace:health and does not stop a sync or an upgrade.
 */

interface JsonResult {
  id: string;
  status: string;
  message: string | null;
  refusals?: Array<{ hazard: string; message: string }>;
}

describe('dirty data, reported per workspace before any write', () => {
  const db = useTestDatabase(2);
  let fixtureCli: FixtureCli;
  let workspacesChecked = 0;

  beforeAll(async () => {
    fixtureCli = FixtureCli.build();
  });

  afterAll(async () => {
    process.stdout.write(`dirty-data: ${workspacesChecked} workspaces checked\n`);
    fixtureCli?.remove();
  });

  const env = () => ({ DATABASE_URL: db.database.url });
  const resultsOf = (result: ProcessResult): Map<string, JsonResult> =>
    new Map((JSON.parse(result.stdout).workspaces as JsonResult[]).map((item) => [item.id, item]));

  const fixtureWorkspace = async (declarations: typeof v1, name: string): Promise<WorkspaceRow> => {
    const { workspace } = await new WorkspaceCreationService(db.dataSource, declarations).createFrom(declarations, { displayName: name });
    await insertRowsWithEveryColumn(db.client, workspace.schemaName, 'company', 5, 1);
    await insertRowsWithEveryColumn(db.client, workspace.schemaName, 'person', 20, 1);
    return workspace;
  };

  /** Runs a fleet sync; returns its per-workspace results after checking each dirty workspace was left untouched. */
  const syncFleet = async (
    declarations: string,
    workspaces: WorkspaceRow[],
    dirty: WorkspaceRow[],
    extra: string[] = [],
  ): Promise<Map<string, JsonResult>> => {
    const before = new Map<string, WorkspaceSnapshot>();
    for (const workspace of dirty) before.set(workspace.id, await workspaceSnapshot(db.client, workspace.id, workspace.schemaName));
    const run = await fixtureCli.run(
      declarations,
      ['workspace:sync-metadata', ...workspaces.flatMap((workspace) => ['-w', workspace.id]), '--continue-on-error', '--json', ...extra],
      { env: env() },
    );
    expect(run.code).toBe(1);
    const results = resultsOf(run);
    expect(results.size).toBe(workspaces.length);
    for (const workspace of dirty) {
      expect({ id: workspace.id, after: await workspaceSnapshot(db.client, workspace.id, workspace.schemaName) }).toEqual({
        id: workspace.id,
        after: before.get(workspace.id),
      });
    }
    for (const workspace of workspaces.filter((candidate) => !dirty.includes(candidate))) {
      expect(results.get(workspace.id)!.status).toBe('applied');
      expect(await integrityProblems(db.client, db.dataSource, workspace.id, workspace.schemaName)).toEqual([]);
    }
    workspacesChecked += workspaces.length;
    return results;
  };

  it('v1 -> v2: NULLs where a field becomes non-nullable, a custom field named like a new standard field; the clean workspace applies', async () => {
    const clean = await fixtureWorkspace(v1, 'Clean');
    const nulls = await fixtureWorkspace(v1, 'Nulls');
    await db.client.query(
      `UPDATE "${nulls.schemaName}".person SET "score" = NULL WHERE "id" IN (SELECT "id" FROM "${nulls.schemaName}".person ORDER BY "id" LIMIT 3)`,
    );
    const conflict = await fixtureWorkspace(v1, 'Conflict');
    const [{ id: personId }] = (
      await db.client.query(`SELECT "id" FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "nameSingular" = 'person'`, [
        conflict.id,
      ])
    ).rows;
    await db.client.query(
      `INSERT INTO metadata."fieldMetadata" ("workspaceId", "objectMetadataId", "name", "label", "type", "isCustom", "isNullable") VALUES ($1, $2, 'externalId', 'External id', 'TEXT', true, true)`,
      [conflict.id, personId],
    );
    await db.client.query(`ALTER TABLE "${conflict.schemaName}".person ADD COLUMN "externalId" text`);
    await db.client.query(`UPDATE "${conflict.schemaName}".person SET "externalId" = 'ext-' || "id"`);

    const results = await syncFleet('v2', [clean, nulls, conflict], [nulls, conflict]);
    expect(results.get(nulls.id)).toEqual(
      expect.objectContaining({
        status: 'failed',
        message: expect.stringMatching(
          /^pre-flight checks failed, nothing was written: 3 row\(s\) of person have no value in score \(e\.g\. ids .+\); to resolve: fill the empty values of person\.score, or keep the field nullable$/,
        ),
      }),
    );
    expect(results.get(conflict.id)!.status).toBe('failed');
    expect(results.get(conflict.id)!.refusals).toEqual([expect.objectContaining({ hazard: 'NAME_CONFLICT' })]);
    expect(results.get(conflict.id)!.message).toMatch(/person\.externalId.*custom field "externalId".*rename the custom field/s);
  });

  it('v2 -> v3: duplicates where a unique index appears', async () => {
    const clean = await fixtureWorkspace(v2, 'Unique clean');
    const duplicates = await fixtureWorkspace(v2, 'Duplicates');
    await db.client.query(
      `UPDATE "${duplicates.schemaName}".person SET "email" = 'same@example.com' WHERE "id" IN (SELECT "id" FROM "${duplicates.schemaName}".person ORDER BY "id" LIMIT 4)`,
    );
    const results = await syncFleet('v3', [clean, duplicates], [duplicates]);
    expect(results.get(duplicates.id)).toEqual(
      expect.objectContaining({
        status: 'failed',
        message: expect.stringMatching(
          /^pre-flight checks failed, nothing was written: person holds duplicate values of email: \{"email":"same@example\.com","count":4\}; to resolve: make the values of email on person unique$/,
        ),
      }),
    );
  });

  it('a type change: values that would not convert to the new options, and a column type sync does not change', async () => {
    const clean = await fixtureWorkspace(v2, 'Options clean');
    await db.client.query(`UPDATE "${clean.schemaName}".person SET "stage" = 'NEW'`);
    const lost = await fixtureWorkspace(v2, 'Holds LOST');
    await db.client.query(
      `UPDATE "${lost.schemaName}".person SET "stage" = CASE WHEN "id" IN (SELECT "id" FROM "${lost.schemaName}".person ORDER BY "id" LIMIT 2) THEN 'LOST' ELSE 'NEW' END::"${lost.schemaName}".person_stage_enum`,
    );
    const results = await syncFleet('v2-without-lost', [clean, lost], [lost], ['--allow-hazards', 'REWRITES_TABLE']);
    expect(results.get(lost.id)).toEqual(
      expect.objectContaining({
        status: 'failed',
        message: expect.stringMatching(
          /^pre-flight checks failed, nothing was written: person\.stage holds values that are no longer options: LOST; to resolve: change the records of person\.stage that hold LOST to a remaining option, or keep those options$/,
        ),
      }),
    );

    const typed = await fixtureWorkspace(v2, 'City as number');
    const before = await workspaceSnapshot(db.client, typed.id, typed.schemaName);
    const run = await fixtureCli.run('v2-city-number', ['workspace:sync-metadata', '-w', typed.id, '--json'], { env: env() });
    expect(run.code).toBe(1);
    const result = resultsOf(run).get(typed.id)!;
    expect(result.refusals).toEqual([expect.objectContaining({ hazard: 'TYPE_CHANGE' })]);
    expect(result.message).toMatch(
      /field person\.city changes type TEXT -> NUMBER; sync does not change types: an upgrade command must migrate it with its data/,
    );
    expect(await workspaceSnapshot(db.client, typed.id, typed.schemaName)).toEqual(before);
    workspacesChecked += 1;
  });

  describe('a view field pointing to a deleted field', () => {
    const standard = buildStandardDeclarations();
    let workspace: WorkspaceRow;
    let deletedFieldId: string;

    beforeAll(async () => {
      workspace = (await new WorkspaceCreationService(db.dataSource, standard).create({ displayName: 'Dangling', version: '0.22' }))
        .workspace;
      const [view] = (await db.client.query(`SELECT "id" FROM "${workspace.schemaName}".view ORDER BY "position" LIMIT 1`)).rows;
      deletedFieldId = randomUUID();
      await db.client.query(
        `INSERT INTO "${workspace.schemaName}"."viewField" ("fieldMetadataId", "viewId", "position", "isVisible", "size") VALUES ($1, $2, 99, true, 100)`,
        [deletedFieldId, view.id],
      );
      workspacesChecked += 1;
    });

    it('workspace:health reports it, with what to do', async () => {
      const health = await runProductCli(['workspace:health', '-w', workspace.id], { env: env() });
      expect(health.code).toBe(1);
      expect(health.stdout).toContain(`DANGLING_VIEW_FIELD: viewField row`);
      expect(health.stdout).toContain(`points to field ${deletedFieldId}, which does not exist (deleted); remove that row from the view`);
    });

    it('is in the state a health report reads, and left out of the one an upgrade plans with', async () => {
      const repository = new ActualStateRepository(db.dataSource.manager);
      const full = await repository.read(workspace.id, workspace.schemaName);
      expect(full.danglingViewReferences).toEqual([{ table: 'viewField', id: expect.any(String), fieldMetadataId: deletedFieldId }]);
      const planning = await repository.readForPlanning(workspace.id, workspace.schemaName);
      expect(planning.danglingViewReferences).toBeUndefined();
      expect({ ...planning, live: null }).toEqual({ ...full, live: null, danglingViewReferences: undefined });
      expect([...planning.live.tables.keys()]).toEqual([...full.live.tables.keys()]);
    });

    it('every upgrade (upgrade:latest) and a sync --check handle the workspace without failing', async () => {
      const upgrade = await runProductCli(['upgrade:latest', '-w', workspace.id], { env: env() });
      expect({ code: upgrade.code, out: upgrade.stdout }).toEqual({
        code: 0,
        out: expect.stringContaining(`upgraded to ${CURRENT_VERSION}`),
      });
      const sync = await runProductCli(['workspace:sync-metadata', '-w', workspace.id, '--check'], { env: env() });
      expect({ code: sync.code, out: sync.stdout }).toEqual({ code: 0, out: expect.stringContaining('up to date') });
    });

    it('a field dropped by sync takes its view fields with it, so it leaves none dangling', async () => {
      const target = (await new WorkspaceCreationService(db.dataSource, standard).create({ displayName: 'Drops city' })).workspace;
      const shown = await db.client.query(
        `SELECT count(*)::int AS count FROM "${target.schemaName}"."viewField" vf JOIN metadata."fieldMetadata" f ON f."id" = vf."fieldMetadataId" WHERE f."name" = 'city'`,
      );
      expect(shown.rows[0].count).toBeGreaterThan(0);
      const run = await fixtureCli.run(
        'standard-without-city',
        ['workspace:sync-metadata', '-w', target.id, '--allow-hazards', 'DROPS_DATA'],
        { env: env() },
      );
      expect({ code: run.code, out: run.stdout }).toEqual({ code: 0, out: expect.stringContaining('applied') });
      expect(await integrityProblems(db.client, db.dataSource, target.id, target.schemaName)).toEqual([]);
      workspacesChecked += 1;
    });
  });
});
