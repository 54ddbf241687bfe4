import { buildSyntheticDeclarations, SYNTHETIC_V2_CHANGES } from '../../bench/synthetic-declarations';
import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { ActualStateRepository } from '../../src/metadata/actual-state.repository';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { checkWorkspaceHealth } from '../../src/sync/workspace-health';
import { syncHelpers } from '../utils/sync-helpers';
import { useTestDatabase } from '../utils/test-services';

/**
 * Polymorphic target objects: a custom object gets a relation, a nullable foreign key and an
 * index on every declared target object (and the inverse on itself) when it is created, loses them
 * when it is deleted, and gets those of a target object declared after its creation.
 */
describe('target objects and custom objects', () => {
  const db = useTestDatabase();
  const { create, reload, sync } = syncHelpers(db);
  const v1 = buildSyntheticDeclarations('v1');
  const v2 = buildSyntheticDeclarations('v2');
  const TARGETS_V1 = ['commentTarget', 'fileTarget', 'starTarget'];
  const NEW_TARGET = SYNTHETIC_V2_CHANGES.newTarget;
  let workspace: WorkspaceRow;

  const health = async () =>
    checkWorkspaceHealth(await new ActualStateRepository(db.dataSource.manager).read(workspace.id, workspace.schemaName));

  /** Per target table: the relation field named `object` there and its foreign key, as metadata and catalog say. */
  const targetSide = async (object: string) => {
    const fields = await db.client.query(
      `SELECT o."nameSingular" AS owner, f."relationType", f."onDelete", f."isNullable", target."nameSingular" AS target, inverse."name" AS inverse
         FROM metadata."fieldMetadata" f
         JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
         LEFT JOIN metadata."objectMetadata" target ON target."id" = f."relationTargetObjectMetadataId"
         LEFT JOIN metadata."fieldMetadata" inverse ON inverse."id" = f."relationTargetFieldMetadataId"
        WHERE f."workspaceId" = $1 AND f."name" = $2 ORDER BY o."nameSingular"`,
      [workspace.id, object],
    );
    const keys = await db.client.query(
      `SELECT c.relname AS "table", pg_get_constraintdef(con.oid) AS definition
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND con.contype = 'f' AND pg_get_constraintdef(con.oid) LIKE $2 ORDER BY c.relname`,
      [workspace.schemaName, `FOREIGN KEY ("${object}Id")%`],
    );
    const indexes = await db.client.query(
      `SELECT tablename FROM pg_indexes WHERE schemaname = $1 AND indexdef LIKE $2 ORDER BY tablename`,
      [workspace.schemaName, `%("${object}Id")%`],
    );
    return { fields: fields.rows, keys: keys.rows, indexes: indexes.rows.map((row) => row.tablename) };
  };

  const inverses = async (object: string): Promise<string[]> =>
    (
      await db.client.query(
        `SELECT f."name" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
          WHERE f."workspaceId" = $1 AND o."nameSingular" = $2 AND f."relationType" = 'ONE_TO_MANY' ORDER BY f."name"`,
        [workspace.id, object],
      )
    ).rows.map((row) => row.name);

  const expected = (object: string, targets: string[]) => ({
    fields: targets.map((owner) => ({
      owner,
      relationType: 'MANY_TO_ONE',
      onDelete: 'CASCADE',
      isNullable: true,
      target: object,
      inverse: `${owner}s`,
    })),
    keys: targets.map((table) => ({
      table,
      definition: `FOREIGN KEY ("${object}Id") REFERENCES ${workspace.schemaName}._${object}(id) ON DELETE CASCADE`,
    })),
    indexes: targets,
  });

  beforeAll(async () => {
    workspace = await create(v1, 'Targets');
  });

  it('a custom object created gets its relation, nullable foreign key and index on every target object, and the inverses', async () => {
    const { plan } = await new CustomMetadataService(db.dataSource, v1).createObject(workspace.id, {
      nameSingular: 'gadget',
      namePlural: 'gadgets',
      labelSingular: 'Gadget',
      labelPlural: 'Gadgets',
    });
    expect(plan.actions.map((action) => action.kind)).toEqual(['CREATE_OBJECT']);
    expect(await targetSide('gadget')).toEqual(expected('gadget', TARGETS_V1));
    expect(await inverses('gadget')).toEqual(TARGETS_V1.map((target) => `${target}s`));
    expect(await health()).toEqual([]);
  });

  it('a target object declared later: sync adds it, and the custom object gets its relation from the planner, dry run first', async () => {
    const synced = await sync(v2, await reload(workspace.id));
    expect({ status: synced.status, message: synced.message }).toEqual({ status: 'applied', message: null });
    expect((await targetSide('gadget')).fields.map((row) => row.owner)).toEqual(TARGETS_V1);

    const service = new CustomMetadataService(db.dataSource, v2);
    const dryRun = await service.addMissingTargetRelations(workspace.id, { dryRun: true });
    expect(dryRun.plan.actions.map((action) => [action.object, action.summary])).toEqual([
      ['gadget', `add the missing target relations of custom object gadget (${NEW_TARGET})`],
    ]);
    expect(dryRun.plan.actions[0].statements.map((statement) => statement.sql).join('\n')).toContain(`"gadgetId"`);
    expect((await targetSide('gadget')).fields.map((row) => row.owner)).toEqual(TARGETS_V1);

    const applied = await service.addMissingTargetRelations(workspace.id);
    expect(applied.plan.actions).toHaveLength(1);
    expect(await targetSide('gadget')).toEqual(expected('gadget', [...TARGETS_V1, NEW_TARGET].sort()));
    expect(await inverses('gadget')).toEqual([...TARGETS_V1, NEW_TARGET].map((target) => `${target}s`).sort());
    expect(await health()).toEqual([]);
    expect((await service.addMissingTargetRelations(workspace.id)).plan.actions).toEqual([]);

    // Equal to what a custom object created now gets.
    await service.createObject(workspace.id, {
      nameSingular: 'widget',
      namePlural: 'widgets',
      labelSingular: 'Widget',
      labelPlural: 'Widgets',
    });
    expect(await targetSide('widget')).toEqual(expected('widget', [...TARGETS_V1, NEW_TARGET].sort()));
    const again = await sync(v2, await reload(workspace.id), { dryRun: true, check: true });
    expect({ status: again.status, actions: again.plan?.actions.map((action) => action.summary) }).toEqual({
      status: 'up-to-date',
      actions: [],
    });
  });

  it('deleting the custom object removes its relations, columns, foreign keys and indexes from every target object', async () => {
    await new CustomMetadataService(db.dataSource, v2).deleteObject(workspace.id, 'gadget');
    expect(await targetSide('gadget')).toEqual({ fields: [], keys: [], indexes: [] });
    const { rows } = await db.client.query(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'gadgetId'`,
      [workspace.schemaName],
    );
    expect(rows).toEqual([]);
    expect(await health()).toEqual([]);
  });
});
