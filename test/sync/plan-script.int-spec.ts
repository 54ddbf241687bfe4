import { DeclaredSchema } from '../../src/declarations/declared-schema';
import { STANDARD_OBJECT_IDS } from '../../src/standard-objects/standard-ids.constant';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { buildDesiredState } from '../../src/sync/desired-state';
import { WorkspaceSyncService } from '../../src/sync/workspace-sync.service';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { useTestDatabase } from '../utils/test-services';

/**
 * A plan goes to the server as one script. A statement of it that fails is still named, with its
 * action, and nothing of the plan is kept; values are inlined exactly, whatever they hold.
 */

const standard = buildStandardDeclarations();
const withPerson = (
  change: (fields: DeclaredSchema['objects'][number]['fields']) => DeclaredSchema['objects'][number]['fields'],
): DeclaredSchema => ({
  ...standard,
  objects: standard.objects.map((object) =>
    object.standardId === STANDARD_OBJECT_IDS.person ? { ...object, fields: change(object.fields) } : object,
  ),
});
const withoutCity = withPerson((fields) => fields.filter((field) => field.name !== 'city'));

describe('a plan sent as one script', () => {
  const db = useTestDatabase();

  const create = async (declared: DeclaredSchema, displayName: string): Promise<WorkspaceRow> =>
    (await new WorkspaceCreationService(db.dataSource, declared).createFrom(declared, { displayName, prefill: false })).workspace;
  const reload = async (id: string): Promise<WorkspaceRow> => (await new WorkspaceRepository(db.dataSource.manager).findById(id))!;
  const columnsOf = async (schema: string, table: string): Promise<string[]> =>
    (
      await db.client.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`, [
        schema,
        table,
      ])
    ).rows
      .map((row) => row.column_name as string)
      .sort();

  it('names the statement that failed and its action, and keeps nothing of the plan', async () => {
    const workspace = await create(withoutCity, 'Failing');
    // Nothing the planner can foresee: a trigger refuses the metadata row, after the column was added.
    await db.client.query(
      `CREATE FUNCTION public.no_city() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no city here'; END $$`,
    );
    await db.client.query(
      `CREATE TRIGGER no_city BEFORE INSERT ON metadata."fieldMetadata" FOR EACH ROW WHEN (NEW."name" = 'city') EXECUTE FUNCTION public.no_city()`,
    );
    const columnsBefore = await columnsOf(workspace.schemaName, 'person');
    try {
      const outcome = await new WorkspaceSyncService(db.dataSource, standard).sync(await reload(workspace.id));
      expect(outcome.status).toBe('failed');
      expect(outcome.message).toMatch(
        /^create field person\.city \(TEXT\) failed: no city here \(statement: INSERT INTO metadata\."fieldMetadata" /,
      );
      expect(outcome.statementsExecuted).toBe(0);
    } finally {
      await db.client.query(`DROP TRIGGER no_city ON metadata."fieldMetadata"`);
      await db.client.query(`DROP FUNCTION public.no_city()`);
    }
    expect(await columnsOf(workspace.schemaName, 'person')).toEqual(columnsBefore);
    expect((await reload(workspace.id)).fingerprint).toBe(buildDesiredState(withoutCity).fingerprint);

    const outcome = await new WorkspaceSyncService(db.dataSource, standard).sync(await reload(workspace.id));
    expect({ status: outcome.status, statements: outcome.statementsExecuted }).toEqual({ status: 'applied', statements: 2 });
    expect(await columnsOf(workspace.schemaName, 'person')).toEqual([...columnsBefore, 'city'].sort());
  });

  it('inlines values exactly, a value that looks like a parameter or a quote included', async () => {
    const label = `Price in $1, $2 or 'quotes' -- and $$ too`;
    const declared = withPerson((fields) =>
      fields.map((field) => (field.name === 'city' ? { ...field, label, description: '$1' } : field)),
    );
    const workspace = await create(withoutCity, 'Values');
    const outcome = await new WorkspaceSyncService(db.dataSource, declared).sync(await reload(workspace.id));
    expect(outcome.status).toBe('applied');
    const { rows } = await db.client.query(
      `SELECT "label", "description" FROM metadata."fieldMetadata" WHERE "workspaceId" = $1 AND "name" = 'city'`,
      [workspace.id],
    );
    expect(rows).toEqual([{ label, description: '$1' }]);
  });
});
