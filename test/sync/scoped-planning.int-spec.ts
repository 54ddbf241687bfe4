import { DeclaredSchema } from '../../src/declarations/declared-schema';
import { STANDARD_OBJECT_IDS } from '../../src/standard-objects/standard-ids.constant';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { ActualStateRepository } from '../../src/metadata/actual-state.repository';
import { buildDesiredState } from '../../src/sync/desired-state';
import { Hazard } from '../../src/sync/plan';
import { SyncOptions } from '../../src/sync/workspace-sync.service';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { v1 } from '../fixtures/declarations/v1';
import { v2 } from '../fixtures/declarations/v2';
import { v3 } from '../fixtures/declarations/v3';
import { insertRowsWithEveryColumn } from '../utils/every-column-rows';
import { addRawCustomTextField } from '../utils/raw-custom-field';
import { tableData } from '../utils/schema-snapshot';
import { syncHelpers } from '../utils/sync-helpers';
import { openDataSource, useTestDatabase } from '../utils/test-services';
import { fingerprintOf } from '../../src/metadata/declared-state.repository';
import { WorkspaceOutcome } from '../../src/sync/sync-result';

/**
 * Planning from what changed: a workspace whose fingerprint is recorded is compared only where the
 * declarations changed since. The plan must be the one a comparison of the whole workspace
 * (`check`) makes, every time; and where the scope cannot be trusted, the whole workspace is
 * compared.
 */

const standard = buildStandardDeclarations();
const withoutPersonCity: DeclaredSchema = {
  ...standard,
  objects: standard.objects.map((object) =>
    object.standardId === STANDARD_OBJECT_IDS.person
      ? { ...object, fields: object.fields.filter((field) => field.name !== 'city') }
      : object,
  ),
};
/**
 * withoutPersonCity with the person's label changed: a declared state of its own, whose record no
 * earlier test has looked up (records are cached per process, as they never change).
 */
const variant = (label: string): DeclaredSchema => ({
  ...withoutPersonCity,
  objects: withoutPersonCity.objects.map((object) =>
    object.standardId === STANDARD_OBJECT_IDS.person ? { ...object, labelSingular: label } : object,
  ),
});
/** The fixtures under one version: a sync between them stays within a version. */
const sameVersion = (declared: DeclaredSchema): DeclaredSchema => ({ ...declared, version: 'fixtures' });

describe('planning from what changed in the declarations', () => {
  const db = useTestDatabase();
  const { create, reload, sync, expectConverged, expectSameAsFresh } = syncHelpers(db);

  /** The plan made from the scope equals the plan made from the whole workspace; returns the scoped dry run. */
  const expectSamePlanAsWholeComparison = async (
    declared: DeclaredSchema,
    id: string,
    options: SyncOptions = {},
  ): Promise<WorkspaceOutcome> => {
    const scoped = await sync(declared, await reload(id), { ...options, dryRun: true });
    const whole = await sync(declared, await reload(id), { ...options, dryRun: true, check: true });
    expect(whole.scope).toBeNull();
    expect({ status: scoped.status, message: scoped.message, plan: scoped.plan }).toEqual({
      status: whole.status,
      message: whole.message,
      plan: whole.plan,
    });
    return scoped;
  };

  it('records the declared state of every fingerprint it sets, as text that hashes to it', async () => {
    const workspace = await create(withoutPersonCity, 'Recorded');
    await sync(standard, workspace);
    const { rows } = await db.client.query(`SELECT "fingerprint", "declared" FROM core."declaredState" ORDER BY "createdAt"`);
    const fingerprints = [buildDesiredState(withoutPersonCity).fingerprint, buildDesiredState(standard).fingerprint];
    expect(rows.map((row) => row.fingerprint)).toEqual(fingerprints);
    expect(rows.map((row) => fingerprintOf(row.declared))).toEqual(fingerprints);
    expect((await reload(workspace.id)).fingerprint).toBe(fingerprints[1]);
  });

  it('adds a new field comparing only its object, with the plan of a whole comparison, and ends as a fresh workspace', async () => {
    const workspace = await create(withoutPersonCity, 'New field', true);
    const people = async () =>
      (
        await db.client.query(
          `SELECT to_jsonb(p) - 'city' AS "row", to_jsonb(p) -> 'city' AS "city" FROM "${workspace.schemaName}".person p ORDER BY p."id"`,
        )
      ).rows;
    const before = await people();
    expect(before.length).toBeGreaterThan(0);

    const planned = await expectSamePlanAsWholeComparison(standard, workspace.id);
    expect(planned.scope).toEqual(['person']);
    expect(planned.plan!.actions.map((action) => action.summary)).toEqual(['create field person.city (TEXT)']);

    const applied = await sync(standard, await reload(workspace.id));
    expect({ status: applied.status, scope: applied.scope, plan: applied.plan }).toEqual({
      status: 'applied',
      scope: ['person'],
      plan: planned.plan,
    });
    const after = await people();
    expect(after.map((person) => person.row)).toEqual(before.map((person) => person.row));
    expect(after.map((person) => person.city)).toEqual(before.map(() => ''));
    await expectConverged(standard, workspace.id);
    await expectSameAsFresh(workspace.id, standard);
  });

  it('refers to the ids the workspace holds, not those a new workspace would get: an inverse field with an id of its own', async () => {
    const workspace = await create(withoutPersonCity, 'Ids of its own');
    const personCompany = standard.objects
      .find((object) => object.standardId === STANDARD_OBJECT_IDS.person)!
      .fields.find((field) => field.name === 'company')!;
    const inverseName = personCompany.relation!.inverseFieldName!;
    const fieldId = async (object: string, name: string): Promise<string> =>
      (
        await db.client.query(
          `SELECT f."id" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
            WHERE f."workspaceId" = $1 AND o."nameSingular" = $2 AND f."name" = $3`,
          [workspace.id, object, name],
        )
      ).rows[0].id;
    const [inverseId, relationId] = [await fieldId('company', inverseName), await fieldId('person', 'company')];
    // As a workspace whose field was created by an earlier release holds it: under another id.
    await db.client.query('BEGIN');
    await db.client.query(
      `UPDATE metadata."fieldMetadata" SET "relationTargetFieldMetadataId" = NULL WHERE "relationTargetFieldMetadataId" = $1`,
      [inverseId],
    );
    await db.client.query(`UPDATE metadata."fieldMetadata" SET "id" = gen_random_uuid() WHERE "id" = $1`, [inverseId]);
    const movedId = await fieldId('company', inverseName);
    await db.client.query(`UPDATE metadata."fieldMetadata" SET "relationTargetFieldMetadataId" = $1 WHERE "id" = $2`, [
      movedId,
      relationId,
    ]);
    await db.client.query('COMMIT');

    const planned = await expectSamePlanAsWholeComparison(standard, workspace.id);
    expect(planned.scope).toEqual(['person']);
    expect(planned.plan!.actions.map((action) => action.summary)).toEqual(['create field person.city (TEXT)']);
  });

  it('removes a field the same way, turned custom by default and dropped with its view rows under DROPS_DATA', async () => {
    const kept = await create(standard, 'Field kept');
    const planned = await expectSamePlanAsWholeComparison(withoutPersonCity, kept.id);
    expect(planned.scope).toEqual(['person', 'viewField', 'viewFilter', 'viewSort']);
    expect(planned.plan!.actions.map((action) => action.kind)).toEqual(['TURN_FIELD_CUSTOM']);

    const dropped = await create(standard, 'Field dropped');
    const cityFieldId = (
      await db.client.query(`SELECT "id" FROM metadata."fieldMetadata" WHERE "workspaceId" = $1 AND "name" = 'city'`, [dropped.id])
    ).rows[0].id;
    const view = (await db.client.query(`SELECT "id" FROM "${dropped.schemaName}"."view" LIMIT 1`)).rows[0].id;
    await db.client.query(`INSERT INTO "${dropped.schemaName}"."viewField" ("viewId", "fieldMetadataId", "position") VALUES ($1, $2, 99)`, [
      view,
      cityFieldId,
    ]);
    const options = { allowHazards: new Set([Hazard.DROPS_DATA]) };
    const drop = await expectSamePlanAsWholeComparison(withoutPersonCity, dropped.id, options);
    expect(drop.plan!.actions.map((action) => action.kind)).toEqual(['DROP_FIELD']);
    expect(drop.plan!.actions[0].statements.map((statement) => statement.sql)).toContain(
      `DELETE FROM "${dropped.schemaName}"."viewField" WHERE "fieldMetadataId" = $1`,
    );
    expect((await sync(withoutPersonCity, await reload(dropped.id), options)).status).toBe('applied');
    expect(
      (
        await db.client.query(`SELECT count(*)::int AS n FROM "${dropped.schemaName}"."viewField" WHERE "fieldMetadataId" = $1`, [
          cityFieldId,
        ])
      ).rows[0].n,
    ).toBe(0);
    await expectConverged(withoutPersonCity, dropped.id);
  });

  it('renames, re-types options, changes a foreign key and adds a unique index (v2 -> v3) with the plan of a whole comparison', async () => {
    const [from, to] = [sameVersion(v2), sameVersion(v3)];
    const workspace = await create(from, 'v2 to v3');
    await insertRowsWithEveryColumn(db.client, workspace.schemaName, 'company', 2, 7);
    await insertRowsWithEveryColumn(db.client, workspace.schemaName, 'person', 3, 7);
    await insertRowsWithEveryColumn(db.client, workspace.schemaName, 'project', 3, 7);
    const before = await tableData(db.client, workspace.schemaName);

    const planned = await expectSamePlanAsWholeComparison(to, workspace.id);
    expect(planned.scope).toEqual(['person']);
    expect(planned.plan!.actions.length).toBeGreaterThan(4);
    const applied = await sync(to, await reload(workspace.id));
    expect({ status: applied.status, plan: applied.plan }).toEqual({ status: 'applied', plan: planned.plan });
    await expectConverged(to, workspace.id);
    const after = await tableData(db.client, workspace.schemaName);
    expect(Object.keys(after.company)).toEqual(Object.keys(before.company));
    expect(after.company).toEqual(before.company);
    expect(Object.keys(after.person).sort()).toEqual(Object.keys(before.person).sort());
  });

  it('refuses a new field whose name a custom field took, as a whole comparison does, writing nothing', async () => {
    const workspace = await create(withoutPersonCity, 'Conflict');
    await addRawCustomTextField(db.client, workspace, 'person', 'city', 'City (custom)');

    const planned = await expectSamePlanAsWholeComparison(standard, workspace.id);
    expect(planned.plan!.refusals).toEqual([expect.objectContaining({ hazard: Hazard.NAME_CONFLICT, object: 'person', field: 'city' })]);
    const outcome = await sync(standard, await reload(workspace.id));
    expect({ status: outcome.status, scope: outcome.scope, statements: outcome.statementsExecuted }).toEqual({
      status: 'failed',
      scope: ['person'],
      statements: 0,
    });
    expect((await reload(workspace.id)).fingerprint).toBe(buildDesiredState(withoutPersonCity).fingerprint);
  });

  it('compares the whole workspace where the scope cannot be trusted', async () => {
    const unrecorded = await create(variant('Unrecorded'), 'Unrecorded');
    await db.client.query(`DELETE FROM core."declaredState" WHERE "fingerprint" = $1`, [
      buildDesiredState(variant('Unrecorded')).fingerprint,
    ]);
    const cases: Array<[WorkspaceRow, DeclaredSchema, SyncOptions]> = [
      [unrecorded, standard, {}],
      [await create(sameVersion(v1), 'Object added'), sameVersion(v2), {}],
      [await create({ ...withoutPersonCity, version: '0.1' }, 'Other version'), standard, {}],
      [await create(withoutPersonCity, 'Checked'), standard, { check: true }],
    ];
    for (const [workspace, declared, options] of cases) {
      const outcome = await sync(declared, await reload(workspace.id), options);
      expect({ name: workspace.displayName, status: outcome.status, scope: outcome.scope }).toEqual({
        name: workspace.displayName,
        status: 'applied',
        scope: null,
      });
      await expectConverged(declared, workspace.id);
    }
  });

  it('compares the whole workspace when its fingerprint changed after it was read', async () => {
    const workspace = await create(withoutPersonCity, 'Moved on');
    const stale = await reload(workspace.id);
    // Meanwhile another runner synced it to other declarations: person.city there, companies relabelled.
    const other: DeclaredSchema = {
      ...standard,
      objects: standard.objects.map((object) =>
        object.standardId === STANDARD_OBJECT_IDS.company ? { ...object, labelPlural: 'Accounts' } : object,
      ),
    };
    expect((await sync(other, stale)).status).toBe('applied');

    // A scope from the stale fingerprint would compare person alone, and leave the label as it is.
    const outcome = await sync(standard, stale);
    expect({ status: outcome.status, scope: outcome.scope }).toEqual({ status: 'applied', scope: null });
    expect(outcome.plan!.actions.map((action) => [action.kind, action.object])).toEqual([['UPDATE_OBJECT', 'company']]);
    await expectConverged(standard, workspace.id);
  });

  it('reads on a connection that made every kind of read before, in either order', async () => {
    const first = await create(withoutPersonCity, 'Same connection');
    const second = await create(withoutPersonCity, 'Same connection too');
    for (const order of [
      ['whole', 'read', 'scoped'],
      ['read', 'scoped', 'whole'],
    ]) {
      // A data source of its own: a connection that has prepared nothing yet.
      const dataSource = await openDataSource(db.database.url, 1);
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      try {
        for (const [index, kind] of order.entries()) {
          const workspace = index % 2 === 0 ? first : second;
          if (kind === 'read') {
            expect(
              (await new ActualStateRepository(runner.manager).read(workspace.id, workspace.schemaName)).objects.length,
            ).toBeGreaterThan(0);
          } else {
            const outcome = await sync(standard, await reload(workspace.id), { connection: runner, dryRun: true, check: kind === 'whole' });
            expect({ order, kind, status: outcome.status, scope: outcome.scope }).toEqual({
              order,
              kind,
              status: 'planned',
              scope: kind === 'whole' ? null : ['person'],
            });
          }
        }
      } finally {
        await runner.release();
        await dataSource.destroy();
      }
    }
  });

  it('ignores a record that does not hash to its fingerprint, and compares the whole workspace', async () => {
    const workspace = await create(variant('Tampered'), 'Tampered');
    await db.client.query(`UPDATE core."declaredState" SET "declared" = '{"objects": []}' WHERE "fingerprint" = $1`, [
      buildDesiredState(variant('Tampered')).fingerprint,
    ]);
    const outcome = await sync(standard, await reload(workspace.id));
    expect({ status: outcome.status, scope: outcome.scope }).toEqual({ status: 'applied', scope: null });
    await expectConverged(standard, workspace.id);
  });
});
