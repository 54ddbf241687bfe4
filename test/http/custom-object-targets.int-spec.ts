import { runCli } from '../utils/cli';
import { footprint, useHttpWorkspace } from './http-test-app';

/**
 * A custom object and the declared target objects (noteTarget, attachment) through the API and the
 * CLI: its creation adds a relation, a nullable foreign key and an index on each, its deletion
 * removes them, and the dry run of either shows that and writes nothing.
 */
describe('custom objects and their target relations, with dry run', () => {
  const http = useHttpWorkspace();
  const { api } = http;
  const TARGETS = ['attachment', 'favorite', 'noteTarget', 'taskTarget', 'timelineActivity'];

  /** The columns `<object>Id` on target tables, with their nullability and foreign key. */
  const targetColumns = async (object: string) =>
    (
      await http.test.client.query(
        `SELECT c.table_name AS "table", c.is_nullable AS nullable,
                (SELECT pg_get_constraintdef(con.oid) FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid
                   JOIN pg_namespace n ON n.oid = t.relnamespace
                  WHERE n.nspname = c.table_schema AND t.relname = c.table_name AND con.contype = 'f'
                    AND pg_get_constraintdef(con.oid) LIKE 'FOREIGN KEY ("' || c.column_name || '")%') AS "foreignKey"
           FROM information_schema.columns c WHERE c.table_schema = $1 AND c.column_name = $2 ORDER BY c.table_name`,
        [http.ws.schemaName, `${object}Id`],
      )
    ).rows;

  const expectedColumns = (object: string) =>
    TARGETS.map((table) => ({
      table,
      nullable: 'YES',
      foreignKey: `FOREIGN KEY ("${object}Id") REFERENCES ${http.ws.schemaName}._${object}(id) ON DELETE CASCADE`,
    }));

  it('POST ?dryRun=true answers the plan with its SQL, relations on the target objects included, and writes nothing', async () => {
    const before = await footprint(http.test.client);
    const response = await api('post', '/objects?dryRun=true').send({
      nameSingular: 'invoice',
      namePlural: 'invoices',
      labelSingular: 'Invoice',
      labelPlural: 'Invoices',
    });
    expect(response.status).toBe(201);
    expect(response.body.dryRun).toBe(true);
    expect(response.body.actions.map((action: { kind: string; object: string }) => [action.kind, action.object])).toEqual([
      ['CREATE_OBJECT', 'invoice'],
    ]);
    const sql: string = response.body.actions[0].sql;
    for (const table of TARGETS) {
      expect(sql).toContain(`ALTER TABLE "${http.ws.schemaName}"."${table}" ADD COLUMN "invoiceId" uuid`);
    }
    expect(await footprint(http.test.client)).toEqual(before);
    expect((await api('post', '/objects?dryRun=maybe').send({ nameSingular: 'invoice', namePlural: 'invoices' })).status).toBe(400);
  });

  it('POST creates it with a nullable, cascading foreign key on each target object; DELETE ?dryRun=true keeps everything', async () => {
    const created = await api('post', '/objects').send({
      nameSingular: 'invoice',
      namePlural: 'invoices',
      labelSingular: 'Invoice',
      labelPlural: 'Invoices',
    });
    expect(created.status).toBe(201);
    expect(created.body.dryRun).toBeUndefined();
    expect(await targetColumns('invoice')).toEqual(expectedColumns('invoice'));

    const before = await footprint(http.test.client);
    const dryRun = await api('delete', '/objects/invoice?dryRun=true');
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.actions[0]).toMatchObject({ kind: 'DROP_OBJECT', object: 'invoice' });
    for (const table of TARGETS) {
      expect(dryRun.body.actions[0].sql).toContain(`ALTER TABLE "${http.ws.schemaName}"."${table}" DROP COLUMN "invoiceId"`);
    }
    expect(await footprint(http.test.client)).toEqual(before);
  });

  it('object:delete --dry-run prints the plan and writes nothing; object:delete removes the target relations', async () => {
    const env = { DATABASE_URL: http.test.database.url };
    const before = await footprint(http.test.client);
    const dryRun = await runCli(['object:delete', '-w', http.ws.workspaceId, '--object', 'invoice', '--dry-run', '-v'], env);
    expect({ code: dryRun.code, errors: dryRun.stderr.split('\n').filter((line) => line.startsWith('Error')) }).toEqual({
      code: 0,
      errors: [],
    });
    expect(dryRun.stdout).toContain('Dry run: nothing was written.');
    expect(dryRun.stdout).toContain(`ALTER TABLE "${http.ws.schemaName}"."noteTarget" DROP COLUMN "invoiceId"`);
    expect(await footprint(http.test.client)).toEqual(before);

    const deleted = await runCli(['object:delete', '-w', http.ws.workspaceId, '--object', 'invoice'], env);
    expect({ code: deleted.code, errors: deleted.stderr.split('\n').filter((line) => line.startsWith('Error')) }).toEqual({
      code: 0,
      errors: [],
    });
    expect(await targetColumns('invoice')).toEqual([]);
    const { rows } = await http.test.client.query(
      `SELECT f."name" FROM metadata."fieldMetadata" f WHERE f."workspaceId" = $1 AND f."name" = 'invoice'`,
      [http.ws.workspaceId],
    );
    expect(rows).toEqual([]);
  });

  it('object:create --dry-run prints the plan and writes nothing; object:create adds the target relations', async () => {
    const env = { DATABASE_URL: http.test.database.url };
    const args = ['object:create', '-w', http.ws.workspaceId, '--name-singular', 'ticket', '--name-plural', 'tickets'];
    const before = await footprint(http.test.client);
    const dryRun = await runCli([...args, '--dry-run', '-v'], env);
    expect({ code: dryRun.code, errors: dryRun.stderr.split('\n').filter((line) => line.startsWith('Error')) }).toEqual({
      code: 0,
      errors: [],
    });
    expect(dryRun.stdout).toContain('Dry run: nothing was written.');
    expect(dryRun.stdout).toContain(`ALTER TABLE "${http.ws.schemaName}"."attachment" ADD COLUMN "ticketId" uuid`);
    expect(await footprint(http.test.client)).toEqual(before);

    const created = await runCli(args, env);
    expect({ code: created.code, errors: created.stderr.split('\n').filter((line) => line.startsWith('Error')) }).toEqual({
      code: 0,
      errors: [],
    });
    expect(await targetColumns('ticket')).toEqual(expectedColumns('ticket'));
  });
});
