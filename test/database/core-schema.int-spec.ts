import { Client } from 'pg';

import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';

describe('core schema (migrated template)', () => {
  let database: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = await connectClient(database.url);
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  const columns = async (schema: string, table: string): Promise<string[]> =>
    (
      await client.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name`,
        [schema, table],
      )
    ).rows.map((row) => row.column_name);

  it('has an index under every foreign key, so that deleting a metadata row never scans a whole table', async () => {
    const unindexed = await client.query<{ foreignKey: string }>(
      `SELECT c.conrelid::regclass || '.' || a.attname AS "foreignKey"
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f'
          AND c.connamespace IN ('core'::regnamespace, 'metadata'::regnamespace)
          AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
        ORDER BY 1`,
    );
    expect(unindexed.rows).toEqual([]);
  });

  it('creates the workspace table with its version and fingerprint', async () => {
    expect(await columns('core', 'workspace')).toEqual(
      [
        'activationStatus',
        'createdAt',
        'defaultCountry',
        'displayName',
        'featureFlags',
        'fingerprint',
        'id',
        'schemaName',
        'updatedAt',
        'version',
      ].sort(),
    );
  });

  it('creates the metadata tables with standardId, flags and relation columns', async () => {
    const fieldColumns = await columns('metadata', 'fieldMetadata');
    for (const column of [
      'standardId',
      'type',
      'isCustom',
      'isSystem',
      'isActive',
      'isNullable',
      'isUnique',
      'defaultValue',
      'options',
      'settings',
      'relationType',
      'relationTargetObjectMetadataId',
      'relationTargetFieldMetadataId',
      'onDelete',
    ]) {
      expect(fieldColumns).toContain(column);
    }
    expect(await columns('metadata', 'objectMetadata')).toEqual(
      expect.arrayContaining(['nameSingular', 'namePlural', 'tableName', 'standardId']),
    );
    expect(await columns('metadata', 'indexMetadata')).toEqual(expect.arrayContaining(['name', 'columns', 'isUnique', 'whereClause']));
    expect(await columns('core', 'upgradeLedger')).toEqual(
      expect.arrayContaining([
        'workspaceId',
        'version',
        'step',
        'checksum',
        'status',
        'checkpoint',
        'startedAt',
        'finishedAt',
        'durationMs',
        'error',
      ]),
    );
  });

  describe('unique constraints', () => {
    let workspaceId: string;
    let objectId: string;

    beforeAll(async () => {
      workspaceId = (
        await client.query(`INSERT INTO core.workspace ("displayName", "schemaName") VALUES ('Acme', 'workspace_acme1') RETURNING id`)
      ).rows[0].id;
      objectId = (
        await client.query(
          `INSERT INTO metadata."objectMetadata" ("workspaceId", "nameSingular", "namePlural", "labelSingular", "labelPlural", "tableName")
           VALUES ($1, 'person', 'people', 'Person', 'People', 'person') RETURNING id`,
          [workspaceId],
        )
      ).rows[0].id;
    });

    it('refuses a second workspace with the same schema name', async () => {
      await expect(
        client.query(`INSERT INTO core.workspace ("displayName", "schemaName") VALUES ('Other', 'workspace_acme1')`),
      ).rejects.toThrow(/UQ_workspace_schemaName/);
    });

    it('refuses a schema name that is not workspace_<id>', async () => {
      await expect(client.query(`INSERT INTO core.workspace ("displayName", "schemaName") VALUES ('Bad', 'public')`)).rejects.toThrow(
        /CHK_workspace_schemaName/,
      );
    });

    it('refuses two objects with the same name in one workspace', async () => {
      await expect(
        client.query(
          `INSERT INTO metadata."objectMetadata" ("workspaceId", "nameSingular", "namePlural", "labelSingular", "labelPlural", "tableName")
           VALUES ($1, 'person', 'persons', 'Person', 'Persons', '_person')`,
          [workspaceId],
        ),
      ).rejects.toThrow(/UQ_objectMetadata_nameSingular/);
    });

    it('refuses two fields with the same name on one object', async () => {
      const insertField = () =>
        client.query(
          `INSERT INTO metadata."fieldMetadata" ("workspaceId", "objectMetadataId", "name", "label", "type")
           VALUES ($1, $2, 'city', 'City', 'TEXT')`,
          [workspaceId, objectId],
        );
      await insertField();
      await expect(insertField()).rejects.toThrow(/UQ_fieldMetadata_name/);
    });

    it('refuses two ledger rows for the same step of a workspace', async () => {
      const insertStep = () =>
        client.query(
          `INSERT INTO core."upgradeLedger" ("workspaceId", "version", "step", "checksum", "status")
           VALUES ($1, '0.23', 'migrate-email-fields-to-emails', 'abc', 'DONE')`,
          [workspaceId],
        );
      await insertStep();
      await expect(insertStep()).rejects.toThrow(/UQ_upgradeLedger_step/);
    });
  });
});
