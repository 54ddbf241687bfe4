import { DataSource } from 'typeorm';

import { qualified } from '../../src/database/sql';
import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { RecordError } from '../../src/records/record.error';
import { RecordService } from '../../src/records/record.service';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { UpgradeRunner } from '../../src/upgrade/upgrade.runner';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { createTestDatabase, TestDatabase } from '../utils/test-database';
import { openDataSource } from '../utils/test-services';

/**
 * Writers keep writing the old columns while the batches run (the 0.22 shape is what they see
 * until the switch-over). Rows already moved, rows not yet moved and new rows must all end with
 * their latest value.
 */
describe('writers during the 0.23 data moves', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let writer: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource(database.url);
    writer = await openDataSource(database.url, 1);
  });

  afterAll(async () => {
    await writer.destroy();
    await dataSource.destroy();
    await database.drop();
  });

  it('keeps every write made between batches, to moved rows, unmoved rows and new rows', async () => {
    const { workspace } = await new WorkspaceCreationService(dataSource, buildStandardDeclarations()).create({
      displayName: 'Writers',
      version: '0.22',
      prefill: false,
    });
    const person = qualified(workspace.schemaName, 'person');
    const company = qualified(workspace.schemaName, 'company');
    await dataSource.query(`INSERT INTO ${person} ("email") SELECT 'p' || n || '@old.test' FROM generate_series(1, 40) AS n`);
    await dataSource.query(
      `INSERT INTO ${company} ("name", "domainNameUrl", "domainNameLabel") SELECT 'c' || n, 'c' || n || '.test', 'C' || n FROM generate_series(1, 40) AS n`,
    );
    const ids: string[] = (await dataSource.query(`SELECT "id" FROM ${person} ORDER BY "id"`)).map((row: { id: string }) => row.id);
    const companyIds: string[] = (await dataSource.query(`SELECT "id" FROM ${company} ORDER BY "id"`)).map((row: { id: string }) => row.id);

    const writes: string[] = [];
    const outcome = await new UpgradeRunner(dataSource).upgrade(workspace, '0.23', {
      batchSize: 10,
      onBatch: async (step, batch) => {
        // Batch 2 of the first two moves: person.email, then company.domainName.
        if (batch !== 2 || writes.includes(step) || writes.length >= 2) return;
        writes.push(step);
        if (step.startsWith('field:') && writes.length === 1) {
          // During the email move: a moved row (batch 1), a row not yet moved, and a new row.
          await writer.query(`UPDATE ${person} SET "email" = 'moved-then-changed@new.test' WHERE "id" = $1`, [ids[0]]);
          await writer.query(`UPDATE ${person} SET "email" = 'changed-before-move@new.test' WHERE "id" = $1`, [ids[39]]);
          await writer.query(`INSERT INTO ${person} ("email") VALUES ('inserted-during-move@new.test')`);
        } else {
          await writer.query(`UPDATE ${company} SET "domainNameUrl" = 'changed.test', "domainNameLabel" = 'Changed' WHERE "id" = $1`, [
            companyIds[0],
          ]);
          await writer.query(`INSERT INTO ${company} ("name", "domainNameUrl", "domainNameLabel") VALUES ('new', 'inserted.test', 'New')`);
        }
      },
    });
    expect({ status: outcome.status, message: outcome.message }).toEqual({ status: 'upgraded', message: null });
    expect(writes).toHaveLength(2);

    const emails = new Map<string, string>(
      (await dataSource.query(`SELECT "id", "emailsPrimaryEmail" AS email FROM ${person}`)).map((row: { id: string; email: string }) => [
        row.id,
        row.email,
      ]),
    );
    expect(emails.size).toBe(41);
    expect(emails.get(ids[0])).toBe('moved-then-changed@new.test');
    expect(emails.get(ids[39])).toBe('changed-before-move@new.test');
    expect([...emails.values()]).toContain('inserted-during-move@new.test');
    for (const [index, id] of ids.entries()) {
      if (index === 0 || index === 39) continue;
      expect(emails.get(id)).toMatch(/^p\d+@old\.test$/);
    }

    const [changed] = await dataSource.query(
      `SELECT "domainNamePrimaryLinkUrl" AS url, "domainNamePrimaryLinkLabel" AS label FROM ${company} WHERE "id" = $1`,
      [companyIds[0]],
    );
    expect(changed).toEqual({ url: 'https://changed.test', label: 'Changed' });
    const [inserted] = await dataSource.query(`SELECT "domainNamePrimaryLinkUrl" AS url FROM ${company} WHERE "name" = 'new'`);
    expect(inserted.url).toBe('https://inserted.test');
    const triggers = await dataSource.query(
      `SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal`,
      [workspace.schemaName],
    );
    expect(triggers).toEqual([]);
  });

  it('a record write racing the email switch lands in the new shape instead of failing on the dropped column', async () => {
    const { workspace } = await new WorkspaceCreationService(dataSource, buildStandardDeclarations()).create({
      displayName: 'Racing writer',
      version: '0.22',
      prefill: false,
    });
    const [emailField] = await dataSource.query(
      `SELECT f."id" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
        WHERE f."workspaceId" = $1 AND o."nameSingular" = 'person' AND f."name" = 'email'`,
      [workspace.id],
    );
    // The order is forced with locks: the switch takes the person table, then waits on the email
    // field's row (held here); the write reads the 0.22 shape and queues behind the switch.
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM metadata."fieldMetadata" WHERE "id" = $1 FOR UPDATE`, [emailField.id]);
    const waiting = async (pattern: string): Promise<void> => {
      for (;;) {
        // Not on the holder: a transaction sees pg_stat_activity as it was when first read.
        const [{ count }] = await dataSource.query(
          `SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
          [pattern],
        );
        if (count > 0) return;
      }
    };
    const upgrade = new UpgradeRunner(dataSource).upgrade(workspace, '0.23');
    await waiting('UPDATE metadata."fieldMetadata" SET "type"%');
    const write = new RecordService(writer).create(workspace.id, 'person', { email: 'racing@new.test' }).then(
      (record) => ({ record }),
      (error: Error) => ({ error: error.message }),
    );
    await waiting('%person%');
    await holder.commitTransaction();
    await holder.release();

    expect((await upgrade).status).toBe('upgraded');
    const outcome = await write;
    expect(outcome).toEqual({ record: expect.objectContaining({ emails: { primaryEmail: 'racing@new.test', additionalEmails: [] } }) });
    const rows = await dataSource.query(`SELECT "emailsPrimaryEmail" AS email FROM ${qualified(workspace.schemaName, 'person')}`);
    expect(rows).toEqual([{ email: 'racing@new.test' }]);
  });

  it("a record write whose object's table is renamed under it gets a conflict that says to retry", async () => {
    const declarations = buildStandardDeclarations();
    const { workspace } = await new WorkspaceCreationService(dataSource, declarations).create({ displayName: 'Renamed', prefill: false });
    const custom = new CustomMetadataService(dataSource, declarations);
    await custom.createObject(workspace.id, {
      nameSingular: 'gadget',
      namePlural: 'gadgets',
      labelSingular: 'Gadget',
      labelPlural: 'Gadgets',
    });
    const [{ tableName }] = await dataSource.query(
      `SELECT "tableName" FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "nameSingular" = 'gadget'`,
      [workspace.id],
    );
    // The rename waits for the table (held here); the write reads the old name and queues behind the rename.
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`LOCK TABLE ${qualified(workspace.schemaName, tableName)} IN ACCESS SHARE MODE`);
    const waiting = async (pattern: string): Promise<void> => {
      for (;;) {
        const [{ count }] = await dataSource.query(
          `SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
          [pattern],
        );
        if (count > 0) return;
      }
    };
    const rename = custom.updateObject(workspace.id, 'gadget', { nameSingular: 'widget', namePlural: 'widgets' });
    await waiting('%ALTER TABLE%');
    const write = new RecordService(writer).create(workspace.id, 'gadget', { name: 'first' }).then(
      () => null,
      (error: Error) => error,
    );
    await waiting('LOCK TABLE%');
    await holder.commitTransaction();
    await holder.release();
    await rename;

    const error = await write;
    expect(error).toBeInstanceOf(RecordError);
    expect({ code: (error as RecordError).code, message: error?.message }).toEqual({
      code: 'CONFLICT',
      message: 'the fields of gadget changed while this request was written (an upgrade or a sync); nothing was written: retry the request',
    });
    const rows = await dataSource.query(`SELECT count(*)::int AS count FROM ${qualified(workspace.schemaName, '_widget')}`);
    expect(rows).toEqual([{ count: 0 }]);
  });
});
