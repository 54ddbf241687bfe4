import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { workspaceSnapshot } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { fieldRow } from './upgrade-0-23.fixtures';
import { CustomMetadataError } from '../../src/custom-metadata/custom-metadata.error';

/**
 * The field types 0.23 changes for custom fields: the legacy EMAIL, LINK and PHONE can no longer
 * be chosen (they still can on a workspace at 0.22), and the new ARRAY can.
 */
describe('custom field types at 0.23', () => {
  const db = useTestDatabase();
  let current: WorkspaceRow;
  let legacy: WorkspaceRow;
  const declared = buildStandardDeclarations();
  let custom: CustomMetadataService;

  beforeAll(async () => {
    const creation = new WorkspaceCreationService(db.dataSource, declared);
    current = (await creation.create({ displayName: 'At 0.23', version: '0.23' })).workspace;
    legacy = (await creation.create({ displayName: 'At 0.22', version: '0.22' })).workspace;
    custom = new CustomMetadataService(db.dataSource, declared);
  });

  const columnOf = async (schema: string, table: string, column: string): Promise<Record<string, unknown> | undefined> =>
    (
      await db.client.query(
        `SELECT data_type AS "dataType", udt_name AS "udtName", is_nullable AS "isNullable", column_default AS "default"
           FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3`,
        [schema, table, column],
      )
    ).rows[0];

  it.each([
    ['EMAIL', 'EMAILS'],
    ['LINK', 'LINKS'],
    ['PHONE', 'PHONES'],
  ])('refuses a new %s field on a 0.23 workspace, naming %s, and writes nothing', async (type, replacement) => {
    const before = await workspaceSnapshot(db.client, current.id, current.schemaName);
    const attempt = custom.createField(current.id, 'person', { name: 'legacyContact', label: 'Legacy contact', type });
    await expect(attempt).rejects.toBeInstanceOf(CustomMetadataError);
    await expect(attempt).rejects.toMatchObject({ property: 'type', message: expect.stringContaining(`use ${replacement}`) });
    await expect(attempt).rejects.toMatchObject({ message: expect.stringContaining(`${type} is a legacy type`) });
    expect(await workspaceSnapshot(db.client, current.id, current.schemaName)).toEqual(before);
  });

  it.each([
    ['EMAIL', ['legacyEmail']],
    ['LINK', ['legacyLinkLabel', 'legacyLinkUrl']],
    ['PHONE', ['legacyPhone']],
  ])('accepts a new %s field on a 0.22 workspace, with its columns', async (type, columns) => {
    const name = `legacy${type.charAt(0)}${type.slice(1).toLowerCase()}`;
    await custom.createField(legacy.id, 'person', { name, label: `Legacy ${type}`, type });
    expect(await fieldRow(db.client, legacy.id, 'person', name)).toEqual(expect.objectContaining({ type, isCustom: true }));
    for (const column of columns) {
      expect({ column, live: await columnOf(legacy.schemaName, 'person', column) }).toEqual({
        column,
        live: expect.objectContaining({ dataType: 'text' }),
      });
    }
  });

  it('creates a custom ARRAY field: a text[] column defaulting to {}, metadata default [], values read back as arrays', async () => {
    await custom.createField(current.id, 'company', { name: 'tags', label: 'Tags', type: 'ARRAY' });
    expect(await fieldRow(db.client, current.id, 'company', 'tags')).toEqual(
      expect.objectContaining({ type: 'ARRAY', isCustom: true, isNullable: true, defaultValue: [] }),
    );
    expect(await columnOf(current.schemaName, 'company', 'tags')).toEqual({
      dataType: 'ARRAY',
      udtName: '_text',
      isNullable: 'YES',
      default: `'{}'::text[]`,
    });

    const table = `"${current.schemaName}".company`;
    const [tagged] = (
      await db.client.query(`INSERT INTO ${table} ("name", "tags") VALUES ('Tagged', $1) RETURNING "id"`, [
        ['saas', 'b2b', 'with "quotes", and commas'],
      ])
    ).rows;
    const [untagged] = (await db.client.query(`INSERT INTO ${table} ("name") VALUES ('Untagged') RETURNING "id"`)).rows;
    const read = async (id: string) => (await db.client.query(`SELECT "tags" FROM ${table} WHERE "id" = $1`, [id])).rows[0].tags;
    expect(await read(tagged.id)).toEqual(['saas', 'b2b', 'with "quotes", and commas']);
    expect(await read(untagged.id)).toEqual([]);
  });

  it('creates a custom ARRAY field with a default of its own', async () => {
    await custom.createField(current.id, 'person', { name: 'labels', label: 'Labels', type: 'ARRAY', defaultValue: ['new', 'to "call"'] });
    expect(await fieldRow(db.client, current.id, 'person', 'labels')).toEqual(
      expect.objectContaining({ type: 'ARRAY', defaultValue: ['new', 'to "call"'] }),
    );
    const [row] = (
      await db.client.query(`INSERT INTO "${current.schemaName}".person ("nameFirstName") VALUES ('Labelled') RETURNING "labels"`)
    ).rows;
    expect(row.labels).toEqual(['new', 'to "call"']);
  });
});
