import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { MIGRATIONS_TABLE } from '../../src/database/database.service';
import { CORE_MIGRATIONS } from '../../src/database/migrations';
import { DeclaredSchema } from '../../src/declarations/declared-schema';
import { STANDARD_OBJECT_IDS } from '../../src/standard-objects/standard-ids.constant';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { buildDesiredState } from '../../src/sync/desired-state';
import { Hazard } from '../../src/sync/plan';
import { WorkspaceSyncService } from '../../src/sync/workspace-sync.service';
import { addRawCustomTextField } from '../utils/raw-custom-field';
import { connectClient } from '../utils/test-database';
import { syncHelpers } from '../utils/sync-helpers';
import { useTestDatabase } from '../utils/test-services';

/**
 * New fields, and nothing else, planned from the declarations: a workspace whose fingerprint is
 * recorded gets them in one round trip that takes the lock, checks the workspace is as its
 * fingerprint records where they go, applies and commits. Wherever it is not so, nothing of that
 * script stays, and the workspace is planned from a read as before: the outcome is the one a
 * comparison of the workspace gives.
 */

const standard = buildStandardDeclarations();
const without = (schema: DeclaredSchema, standardId: string, name: string): DeclaredSchema => ({
  ...schema,
  objects: schema.objects.map((object) =>
    object.standardId === standardId ? { ...object, fields: object.fields.filter((field) => field.name !== name) } : object,
  ),
});
const withoutPersonCity = without(standard, STANDARD_OBJECT_IDS.person, 'city');
const withoutCityAndStage = without(withoutPersonCity, STANDARD_OBJECT_IDS.opportunity, 'stage');

/** A data source of one connection that counts the queries sent on it. */
const countingDataSource = async (url: string): Promise<{ dataSource: DataSource; queries: () => number }> => {
  let sent = 0;
  class CountingClient extends Client {
    override query(...args: unknown[]): never {
      sent += 1;
      return (super.query as (...params: unknown[]) => never)(...args);
    }
  }
  const dataSource = await new DataSource({
    type: 'postgres',
    url,
    migrations: CORE_MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    logging: false,
    extra: { max: 1, Client: CountingClient },
  }).initialize();
  return { dataSource, queries: () => sent };
};

describe('new fields planned from the declarations', () => {
  const db = useTestDatabase();
  const { create, reload, sync, expectConverged, expectSameAsFresh } = syncHelpers(db);

  const columnsOf = async (schema: string, table: string): Promise<string[]> =>
    (
      await db.client.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name`,
        [schema, table],
      )
    ).rows.map((row) => row.column_name);

  const fieldNames = async (workspaceId: string, object: string): Promise<string[]> =>
    (
      await db.client.query(
        `SELECT f."name" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
          WHERE o."workspaceId" = $1 AND o."nameSingular" = $2 ORDER BY f."name"`,
        [workspaceId, object],
      )
    ).rows.map((row) => row.name);

  it('applies new fields (an enum one too) in one query per workspace, with the plan a comparison of the workspace makes', async () => {
    const first = await create(withoutCityAndStage, 'First', true);
    const second = await create(withoutCityAndStage, 'Second', true);
    const whole = await sync(standard, await reload(second.id), { dryRun: true, check: true });
    expect(whole.plan!.actions.map((action) => action.summary).sort()).toEqual([
      'create field opportunity.stage (SELECT)',
      'create field person.city (TEXT)',
    ]);

    const counting = await countingDataSource(db.database.url);
    try {
      const service = new WorkspaceSyncService(counting.dataSource, standard);
      const applied = await service.sync(await reload(first.id));
      expect({ status: applied.status, plannedWithoutReading: applied.plannedWithoutReading, scope: [...applied.scope!].sort() }).toEqual({
        status: 'applied',
        plannedWithoutReading: true,
        scope: ['opportunity', 'person'],
      });
      // The second workspace costs one query: the first looked the recorded declared state up.
      const before = counting.queries();
      const second_ = await service.sync(await reload(second.id));
      expect(counting.queries() - before).toBe(1);
      expect({
        status: second_.status,
        plannedWithoutReading: second_.plannedWithoutReading,
        statements: second_.statementsExecuted,
      }).toEqual({
        status: 'applied',
        plannedWithoutReading: true,
        statements: 5,
      });
      // The plan is, statement for statement, the one the comparison of the workspace made.
      expect(second_.plan).toEqual(whole.plan);
    } finally {
      await counting.dataSource.destroy();
    }

    for (const workspace of [first, second]) {
      expect((await reload(workspace.id)).fingerprint).toBe(buildDesiredState(standard).fingerprint);
      await expectConverged(standard, workspace.id);
    }
    await expectSameAsFresh(first.id, standard);
  });

  it('plans from a read when a custom field took the name, and refuses as a comparison does, writing nothing', async () => {
    const workspace = await create(withoutPersonCity, 'Taken');
    await addRawCustomTextField(db.client, workspace, 'person', 'city', 'City (custom)');
    const columns = await columnsOf(workspace.schemaName, 'person');

    const outcome = await sync(standard, await reload(workspace.id));
    expect({ status: outcome.status, plannedWithoutReading: outcome.plannedWithoutReading, scope: outcome.scope }).toEqual({
      status: 'failed',
      plannedWithoutReading: false,
      scope: ['person'],
    });
    expect(outcome.plan!.refusals).toEqual([expect.objectContaining({ hazard: Hazard.NAME_CONFLICT, object: 'person', field: 'city' })]);
    expect(outcome.message).toContain('rename the custom field');
    expect(await columnsOf(workspace.schemaName, 'person')).toEqual(columns);
    expect((await reload(workspace.id)).fingerprint).toBe(buildDesiredState(withoutPersonCity).fingerprint);
  });

  it('plans from a read when the table holds the column without metadata, and reports the drift, writing nothing', async () => {
    const workspace = await create(withoutPersonCity, 'Stray column');
    await db.client.query(`ALTER TABLE "${workspace.schemaName}".person ADD COLUMN "city" integer`);

    const outcome = await sync(standard, await reload(workspace.id));
    expect({ status: outcome.status, plannedWithoutReading: outcome.plannedWithoutReading }).toEqual({
      status: 'failed',
      plannedWithoutReading: false,
    });
    expect(outcome.message).toContain('city');
    expect(await fieldNames(workspace.id, 'person')).not.toContain('city');
    expect((await reload(workspace.id)).fingerprint).toBe(buildDesiredState(withoutPersonCity).fingerprint);
  });

  it('plans from a read when a field could hold a new column (its name begins it), and applies what the read shows', async () => {
    const workspace = await create(withoutPersonCity, 'Prefix');
    await addRawCustomTextField(db.client, workspace, 'person', 'cit', 'Cit (custom)');

    const outcome = await sync(standard, await reload(workspace.id));
    expect({ status: outcome.status, plannedWithoutReading: outcome.plannedWithoutReading }).toEqual({
      status: 'applied',
      plannedWithoutReading: false,
    });
    expect(outcome.plan!.actions.map((action) => action.summary)).toEqual(['create field person.city (TEXT)']);
    expect(await fieldNames(workspace.id, 'person')).toEqual(expect.arrayContaining(['cit', 'city']));
    await expectConverged(standard, workspace.id);
  });

  it('plans from a read when the object holds another id than its creation gives it, and refers to the one it holds', async () => {
    const workspace = await create(withoutPersonCity, 'Rekeyed');
    const oldId = (
      await db.client.query(`SELECT "id" FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "nameSingular" = 'person'`, [
        workspace.id,
      ])
    ).rows[0].id;
    const newId = (await db.client.query(`SELECT gen_random_uuid() AS id`)).rows[0].id;
    // As a workspace made by an earlier release holds it: the person object under an id of its own
    // (foreign keys held back while every reference moves with it).
    const admin = await connectClient(db.database.url);
    try {
      await admin.query('BEGIN');
      await admin.query(`SET LOCAL session_replication_role = replica`);
      await admin.query(`UPDATE metadata."objectMetadata" SET "id" = $2 WHERE "id" = $1`, [oldId, newId]);
      for (const [table, column] of [
        ['fieldMetadata', 'objectMetadataId'],
        ['fieldMetadata', 'relationTargetObjectMetadataId'],
        ['indexMetadata', 'objectMetadataId'],
      ]) {
        await admin.query(`UPDATE metadata."${table}" SET "${column}" = $2 WHERE "${column}" = $1`, [oldId, newId]);
      }
      await admin.query(`UPDATE "${workspace.schemaName}"."view" SET "objectMetadataId" = $2 WHERE "objectMetadataId" = $1`, [
        oldId,
        newId,
      ]);
      await admin.query('COMMIT');
    } finally {
      await admin.end();
    }

    const outcome = await sync(standard, await reload(workspace.id));
    expect({ status: outcome.status, plannedWithoutReading: outcome.plannedWithoutReading }).toEqual({
      status: 'applied',
      plannedWithoutReading: false,
    });
    const city = await db.client.query(
      `SELECT "objectMetadataId" FROM metadata."fieldMetadata" WHERE "workspaceId" = $1 AND "name" = 'city'`,
      [workspace.id],
    );
    expect(city.rows).toEqual([{ objectMetadataId: newId }]);
    await expectConverged(standard, workspace.id);
  });

  it('plans from a read when the fingerprint changed after the workspace was listed', async () => {
    const workspace = await create(withoutPersonCity, 'Listed');
    const listed = await reload(workspace.id);
    // Meanwhile, its fingerprint was taken away (as workspace:sync-metadata -f does past drift).
    await db.client.query(`UPDATE core.workspace SET "fingerprint" = NULL WHERE "id" = $1`, [workspace.id]);

    const outcome = await sync(standard, listed);
    expect({ status: outcome.status, plannedWithoutReading: outcome.plannedWithoutReading, scope: outcome.scope }).toEqual({
      status: 'applied',
      plannedWithoutReading: false,
      scope: null,
    });
    await expectConverged(standard, workspace.id);
  });

  it('skips a workspace another runner holds, writing nothing', async () => {
    const workspace = await create(withoutPersonCity, 'Held');
    const holder = await connectClient(db.database.url);
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('workspace'), hashtext($1))`, [workspace.id]);
      const outcome = await sync(standard, await reload(workspace.id));
      expect({ status: outcome.status, message: outcome.message }).toEqual({
        status: 'skipped',
        message: 'skipped: locked by another runner',
      });
      expect(await columnsOf(workspace.schemaName, 'person')).not.toContain('city');
    } finally {
      await holder.end();
    }
    expect((await sync(standard, await reload(workspace.id))).plannedWithoutReading).toBe(true);
  });

  it('fails at once, without planning from a read, when a statement times out waiting for the table', async () => {
    const workspace = await create(withoutPersonCity, 'Busy');
    const reader = await connectClient(db.database.url);
    const counting = await countingDataSource(db.database.url);
    try {
      await reader.query('BEGIN');
      await reader.query(`SELECT count(*) FROM "${workspace.schemaName}".person`);
      const service = new WorkspaceSyncService(counting.dataSource, standard);
      const before = counting.queries();
      const outcome = await service.sync(await reload(workspace.id), { lockTimeoutMs: 100 });
      expect({ status: outcome.status, plannedWithoutReading: outcome.plannedWithoutReading }).toEqual({
        status: 'failed',
        plannedWithoutReading: false,
      });
      expect(outcome.message).toContain('lock timeout');
      // The registry look-up, the script and its ROLLBACK: no read, no second wait.
      expect(counting.queries() - before).toBe(3);
    } finally {
      await reader.query('ROLLBACK');
      await reader.end();
      await counting.dataSource.destroy();
    }
    expect(await columnsOf(workspace.schemaName, 'person')).not.toContain('city');
    expect((await reload(workspace.id)).fingerprint).toBe(buildDesiredState(withoutPersonCity).fingerprint);
  });

  it('keeps nothing of the script when a statement after the check fails', async () => {
    const workspace = await create(withoutPersonCity, 'Half');
    // The id the new field is to get is taken, by a field of another object: the check (about
    // person) passes, the column is added, the metadata row fails.
    const plan = await sync(standard, await reload(workspace.id), { dryRun: true });
    const insert = plan.plan!.actions[0].statements.find((statement) => statement.sql.startsWith('INSERT INTO metadata."fieldMetadata"'))!;
    const fieldId = insert.params![0] as string;
    await db.client.query(
      `INSERT INTO metadata."fieldMetadata" ("id", "workspaceId", "objectMetadataId", "name", "label", "type", "isCustom", "isNullable")
       SELECT $1, $2, o."id", 'squatter', 'Squatter', 'TEXT', true, true FROM metadata."objectMetadata" o WHERE o."workspaceId" = $2 AND o."nameSingular" = 'company'`,
      [fieldId, workspace.id],
    );

    const outcome = await sync(standard, await reload(workspace.id));
    expect({ status: outcome.status, plannedWithoutReading: outcome.plannedWithoutReading }).toEqual({
      status: 'failed',
      plannedWithoutReading: false,
    });
    expect(outcome.message).toContain('create field person.city (TEXT) failed');
    expect(await columnsOf(workspace.schemaName, 'person')).not.toContain('city');
    expect(await fieldNames(workspace.id, 'person')).not.toContain('city');
    expect((await reload(workspace.id)).fingerprint).toBe(buildDesiredState(withoutPersonCity).fingerprint);
  });
});
