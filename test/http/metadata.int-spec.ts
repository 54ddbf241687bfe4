import { ActualStateRepository } from '../../src/metadata/actual-state.repository';
import { checkWorkspaceHealth } from '../../src/sync/workspace-health';
import { ADMIN_KEY, bearer, createWorkspaceWithKey, footprint, useHttpWorkspace } from './http-test-app';

/**
 * POST /workspaces (the creation hook) and custom objects and fields through the API: each change
 * is planned and applied in one transaction and leaves the workspace healthy; bad input is a 400
 * naming the property at fault, and writes nothing.
 */
describe('HTTP workspaces and custom metadata', () => {
  const http = useHttpWorkspace();
  const { api } = http;

  const columnsOf = async (table: string): Promise<string[]> =>
    (
      await http.test.client.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name`,
        [http.ws.schemaName, table],
      )
    ).rows.map((row) => row.column_name);

  const healthIssues = async () => {
    const actual = await new ActualStateRepository(http.test.dataSource.manager).read(http.ws.workspaceId, http.ws.schemaName);
    return checkWorkspaceHealth(actual);
  };

  describe('POST /workspaces', () => {
    it('creates a workspace like workspace:create, at the current version or a released one', async () => {
      const created = await http.test
        .http()
        .post('/workspaces')
        .set(bearer(ADMIN_KEY))
        .send({ displayName: 'Old', version: '0.22', prefill: false });
      expect(created.status).toBe(201);
      expect(created.body.workspace).toMatchObject({ displayName: 'Old', version: '0.22', activationStatus: 'ACTIVE' });
      expect(created.body.records).toEqual({ companies: 0, people: 0, opportunities: 0 });
      const columns = (
        await http.test.client.query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'person'`,
          [created.body.workspace.schemaName],
        )
      ).rows.map((row) => row.column_name);
      expect(columns).toContain('email');
      expect(columns).not.toContain('emailsPrimaryEmail');
    });

    it('stores SQL text in a name as text', async () => {
      const name = `x"; DROP SCHEMA core CASCADE; --`;
      const created = await http.test.http().post('/workspaces').set(bearer(ADMIN_KEY)).send({ displayName: name, prefill: false });
      expect(created.status).toBe(201);
      const [row] = (await http.test.client.query(`SELECT "displayName" FROM core.workspace WHERE "id" = $1`, [created.body.workspace.id]))
        .rows;
      expect(row.displayName).toBe(name);
    });

    it.each([
      [{}, 'displayName'],
      [{ displayName: '' }, 'displayName'],
      [{ displayName: 42 }, 'displayName'],
      [{ displayName: 'X', version: '9.9' }, 'version'],
      [{ displayName: 'X', featureFlags: ['ok', 'no; DROP'] }, 'featureFlags'],
      [{ displayName: 'X', prefill: 'yes' }, 'prefill'],
      [[1, 2], 'body'],
    ])('refuses %j with a 400 naming %s and writes nothing', async (body, field) => {
      const before = await footprint(http.test.client);
      const response = await http.test
        .http()
        .post('/workspaces')
        .set(bearer(ADMIN_KEY))
        .send(body as object);
      expect(response.status).toBe(400);
      expect(response.body.field).toBe(field);
      expect(response.body.message).toContain(field === 'body' ? 'JSON object' : field);
      expect(await footprint(http.test.client)).toEqual(before);
    });

    it('leaves nothing behind when the creation fails half-way', async () => {
      // A failure injected after the workspace row and schema exist, while metadata is written.
      await http.test.client.query(`CREATE FUNCTION public.fail_explode() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF (SELECT "displayName" FROM core.workspace WHERE "id" = NEW."workspaceId") = 'Explode' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
      await http.test.client.query(
        `CREATE TRIGGER fail_explode BEFORE INSERT ON metadata."objectMetadata" FOR EACH ROW EXECUTE FUNCTION public.fail_explode()`,
      );
      try {
        const schemasBefore = (
          await http.test.client.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'workspace\\_%'`)
        ).rows[0].n;
        const before = await footprint(http.test.client);
        const response = await http.test.http().post('/workspaces').set(bearer(ADMIN_KEY)).send({ displayName: 'Explode' });
        expect(response.status).toBe(500);
        expect(response.body.message).toMatch(/injected failure[\s\S]*nothing was written/);
        expect(await footprint(http.test.client)).toEqual(before);
        expect(
          (await http.test.client.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'workspace\\_%'`)).rows[0].n,
        ).toBe(schemasBefore);
        expect(
          (await http.test.client.query(`SELECT count(*)::int AS n FROM core.workspace WHERE "displayName" = 'Explode'`)).rows[0].n,
        ).toBe(0);
      } finally {
        await http.test.client.query(`DROP TRIGGER fail_explode ON metadata."objectMetadata"`);
        await http.test.client.query(`DROP FUNCTION public.fail_explode()`);
      }
    });
  });

  describe('custom objects and fields', () => {
    it('creates, renames, deactivates and deletes, leaving the workspace healthy at every step', async () => {
      const object = await api('post', '/objects').send({
        nameSingular: 'invoice',
        namePlural: 'invoices',
        labelSingular: 'Invoice',
        labelPlural: 'Invoices',
      });
      expect(object.status).toBe(201);
      expect(object.body.actions).toEqual([expect.objectContaining({ kind: 'CREATE_OBJECT', object: 'invoice', hazard: null })]);
      for (const field of [
        { name: 'amount', label: 'Amount', type: 'NUMBER' },
        { name: 'tags', label: 'Tags', type: 'ARRAY' },
        {
          name: 'tier',
          label: 'Tier',
          type: 'SELECT',
          options: [
            { value: 'GOLD', label: 'Gold' },
            { value: 'SILVER', label: 'Silver' },
          ],
        },
        { name: 'billing', label: 'Billing', type: 'EMAILS' },
      ]) {
        const response = await api('post', '/objects/invoice/fields').send(field);
        expect({ field: field.name, status: response.status }).toEqual({ field: field.name, status: 201 });
      }
      expect(await columnsOf('_invoice')).toEqual(
        expect.arrayContaining(['amount', 'tags', 'tier', 'billingPrimaryEmail', 'billingAdditionalEmails']),
      );
      expect(await healthIssues()).toEqual([]);

      const record = await api('post', '/objects/invoice/records').send({
        name: 'INV-1',
        amount: 12.5,
        tier: 'GOLD',
        tags: ['a', 'b'],
        billing: { primaryEmail: 'pay@acme.com' },
      });
      expect(record.status).toBe(201);

      const renamedField = await api('patch', '/objects/invoice/fields/tier').send({ name: 'level', label: 'Level' });
      expect(renamedField.status).toBe(200);
      expect(renamedField.body.actions[0]).toMatchObject({ kind: 'RENAME_FIELD', field: 'level' });
      const renamedComposite = await api('patch', '/objects/invoice/fields/billing').send({ name: 'payer' });
      expect(renamedComposite.status).toBe(200);
      const renamedObject = await api('patch', '/objects/invoice').send({
        nameSingular: 'bill',
        namePlural: 'bills',
        labelSingular: 'Bill',
        labelPlural: 'Bills',
      });
      expect(renamedObject.status).toBe(200);
      expect(renamedObject.body.actions[0]).toMatchObject({ kind: 'RENAME_OBJECT', object: 'bill' });
      expect(await columnsOf('_invoice')).toEqual([]);
      expect(await columnsOf('_bill')).toEqual(expect.arrayContaining(['level', 'payerPrimaryEmail', 'payerAdditionalEmails']));
      expect(await columnsOf('noteTarget')).toContain('billId');
      expect(await columnsOf('noteTarget')).not.toContain('invoiceId');
      expect(await healthIssues()).toEqual([]);

      const read = await api('get', `/objects/bill/records/${record.body.id}`);
      expect(read.body).toMatchObject({
        name: 'INV-1',
        amount: 12.5,
        level: 'GOLD',
        tags: ['a', 'b'],
        payer: { primaryEmail: 'pay@acme.com', additionalEmails: null },
      });

      const deactivated = await api('patch', '/objects/bill/fields/amount').send({ isActive: false });
      expect(deactivated.status).toBe(200);
      expect((await api('get', `/objects/bill/records/${record.body.id}`)).body).not.toHaveProperty('amount');
      await api('patch', '/objects/bill/fields/amount').send({ isActive: true });
      expect((await api('get', `/objects/bill/records/${record.body.id}`)).body.amount).toBe(12.5);

      let before = await footprint(http.test.client);
      const refusedField = await api('delete', '/objects/bill/fields/amount');
      expect(refusedField.status).toBe(409);
      expect(refusedField.body).toMatchObject({ field: 'force' });
      expect(refusedField.body.message).toMatch(/holds values in 1 record/);
      expect(await footprint(http.test.client)).toEqual(before);
      const forcedField = await api('delete', '/objects/bill/fields/amount?force=true');
      expect(forcedField.status).toBe(200);
      expect(forcedField.body.actions[0]).toMatchObject({ kind: 'DROP_FIELD', hazard: 'DROPS_DATA' });
      expect(await columnsOf('_bill')).not.toContain('amount');
      const emptyField = await api('delete', '/objects/bill/fields/tags');
      expect(emptyField.status).toBe(409);
      await api('patch', `/objects/bill/records/${record.body.id}`).send({ tags: null, level: null });
      expect((await api('delete', '/objects/bill/fields/tags')).status).toBe(200);
      expect((await api('delete', '/objects/bill/fields/level')).status).toBe(200);
      expect(
        (
          await http.test.client.query(
            `SELECT count(*)::int AS n FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typname LIKE '\\_bill\\_level%'`,
            [http.ws.schemaName],
          )
        ).rows[0].n,
      ).toBe(0);
      expect(await healthIssues()).toEqual([]);

      before = await footprint(http.test.client);
      const refusedObject = await api('delete', '/objects/bill');
      expect(refusedObject.status).toBe(409);
      expect(refusedObject.body.message).toMatch(/holds 1 record/);
      expect(await footprint(http.test.client)).toEqual(before);
      const forcedObject = await api('delete', '/objects/bill?force=true');
      expect(forcedObject.status).toBe(200);
      expect(await columnsOf('_bill')).toEqual([]);
      expect(await columnsOf('noteTarget')).not.toContain('billId');
      expect(await columnsOf('attachment')).not.toContain('billId');
      const leftovers = await http.test.client.query(
        `SELECT count(*)::int AS n FROM metadata."fieldMetadata" WHERE "workspaceId" = $1 AND "name" = 'bill'`,
        [http.ws.workspaceId],
      );
      expect(leftovers.rows[0].n).toBe(0);
      const views = await http.test.client.query(
        `SELECT count(*)::int AS n FROM "${http.ws.schemaName}"."view" WHERE "name" = 'All Bills' OR "name" = 'All Invoices'`,
      );
      expect(views.rows[0].n).toBe(0);
      expect(await healthIssues()).toEqual([]);
    });

    it("refuses a composite field whose columns clash with another field's name, and writes nothing", async () => {
      expect(
        (await api('post', '/objects/person/fields').send({ name: 'payFirstName', label: 'Pay first name', type: 'TEXT' })).status,
      ).toBe(201);
      const before = await footprint(http.test.client);
      const response = await api('post', '/objects/person/fields').send({ name: 'pay', label: 'Pay', type: 'FULL_NAME' });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        field: 'name',
        message: '"payFirstName" is already used on person by the field "payFirstName"',
      });
      expect(await footprint(http.test.client)).toEqual(before);
    });

    it('lets a standard field be deactivated, but not renamed or deleted', async () => {
      expect((await api('patch', '/objects/person/fields/jobTitle').send({ isActive: false })).status).toBe(200);
      const records = await api('get', '/objects/person/records');
      expect(records.body.records[0]).not.toHaveProperty('jobTitle');
      expect((await api('patch', '/objects/person/fields/jobTitle').send({ isActive: true })).status).toBe(200);
    });

    it('creates legacy-typed fields only on workspaces at 0.22', async () => {
      const old = await createWorkspaceWithKey(http.test, { displayName: 'Old', version: '0.22' });
      const created = await http.test
        .http()
        .post(`/workspaces/${old.workspaceId}/objects/person/fields`)
        .set(bearer(old.key))
        .send({ name: 'workEmail', label: 'Work Email', type: 'EMAIL' });
      expect(created.status).toBe(201);
      const refused = await api('post', '/objects/person/fields').send({ name: 'workEmail', label: 'Work Email', type: 'EMAIL' });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ field: 'type' });
      expect(refused.body.message).toMatch(/legacy type.*use EMAILS/);
    });

    const invalid: Array<[string, 'post' | 'patch' | 'delete', string, unknown, string, RegExp]> = [
      [
        'a name that is not camelCase',
        'post',
        '/objects',
        { nameSingular: 'Invoice', namePlural: 'invoices', labelSingular: 'I', labelPlural: 'I' },
        'nameSingular',
        /camelCase/,
      ],
      [
        'SQL text as a name',
        'post',
        '/objects',
        { nameSingular: 'x"; DROP SCHEMA core CASCADE; --', namePlural: 'xs', labelSingular: 'X', labelPlural: 'X' },
        'nameSingular',
        /camelCase/,
      ],
      [
        'a name too long',
        'post',
        '/objects',
        { nameSingular: `a${'b'.repeat(60)}`, namePlural: 'xs', labelSingular: 'X', labelPlural: 'X' },
        'nameSingular',
        /too long/,
      ],
      [
        'a reserved name',
        'post',
        '/objects',
        { nameSingular: 'workspace', namePlural: 'workspacez', labelSingular: 'X', labelPlural: 'X' },
        'nameSingular',
        /reserved/,
      ],
      [
        'a name in use',
        'post',
        '/objects',
        { nameSingular: 'person', namePlural: 'persons', labelSingular: 'X', labelPlural: 'X' },
        'nameSingular',
        /already used/,
      ],
      [
        'an empty label',
        'post',
        '/objects',
        { nameSingular: 'invoice', namePlural: 'invoices', labelSingular: '', labelPlural: 'X' },
        'labelSingular',
        /required/,
      ],
      [
        'a name as a number',
        'post',
        '/objects',
        { nameSingular: 42, namePlural: 'xs', labelSingular: 'X', labelPlural: 'X' },
        'nameSingular',
        /required/,
      ],
      [
        'a field name that is a column of a composite field',
        'post',
        '/objects/person/fields',
        { name: 'emailsPrimaryEmail', label: 'X', type: 'TEXT' },
        'name',
        /already used on person by the field "emails"/,
      ],
      ['a field name in use', 'post', '/objects/person/fields', { name: 'jobTitle', label: 'X', type: 'TEXT' }, 'name', /already used/],
      ['a reserved field name', 'post', '/objects/person/fields', { name: 'xmin', label: 'X', type: 'TEXT' }, 'name', /reserved/],
      [
        'SQL text as a field name',
        'post',
        '/objects/person/fields',
        { name: "a'); DROP TABLE person; --", label: 'X', type: 'TEXT' },
        'name',
        /camelCase/,
      ],
      ['an unknown type', 'post', '/objects/person/fields', { name: 'tier', label: 'X', type: 'NOPE' }, 'type', /not a field type/],
      ['a type as a number', 'post', '/objects/person/fields', { name: 'tier', label: 'X', type: 7 }, 'type', /not a field type/],
      [
        'a SELECT without options',
        'post',
        '/objects/person/fields',
        { name: 'tier', label: 'X', type: 'SELECT' },
        'options',
        /at least one option/,
      ],
      [
        'SQL text as an option',
        'post',
        '/objects/person/fields',
        { name: 'tier', label: 'X', type: 'SELECT', options: [{ value: "A'); DROP TABLE person; --", label: 'A' }] },
        'options',
        /must be letters, digits/,
      ],
      [
        'a default of the wrong type',
        'post',
        '/objects/person/fields',
        { name: 'score', label: 'X', type: 'NUMBER', defaultValue: 'high' },
        'defaultValue',
        /finite number/,
      ],
      ['isActive that is not a boolean', 'patch', '/objects/person/fields/jobTitle', { isActive: 'no' }, 'isActive', /true or false/],
      ['renaming a standard field', 'patch', '/objects/person/fields/jobTitle', { name: 'title' }, 'name', /standard field/],
      ['renaming a standard object', 'patch', '/objects/person', { nameSingular: 'human' }, 'nameSingular', /standard object/],
      ['an unknown property', 'patch', '/objects/person/fields/jobTitle', { colour: 'red' }, 'colour', /not a property.*takes name, label/],
      ['an empty change', 'patch', '/objects/person/fields/jobTitle', {}, 'body', /nothing to change/],
      ['deactivating a system field', 'patch', '/objects/person/fields/id', { isActive: false }, 'field', /system field/],
      ['deleting a standard field', 'delete', '/objects/person/fields/jobTitle', undefined, 'field', /standard field/],
      ['deleting a standard object', 'delete', '/objects/person?force=true', undefined, 'object', /standard object/],
      ['force that is not a boolean', 'delete', '/objects/person?force=yes', undefined, 'force', /true or false/],
      ['a body that is a list', 'post', '/objects', [{ nameSingular: 'invoice' }], 'body', /JSON object/],
    ];

    it.each(invalid)('refuses %s with a 400 naming the property, and writes nothing', async (_case, method, path, body, field, message) => {
      const before = await footprint(http.test.client);
      let call = api(method, path);
      if (body !== undefined) call = call.send(body as object);
      const response = await call;
      expect({ status: response.status, field: response.body.field }).toEqual({ status: 400, field });
      expect(response.body.message).toMatch(message);
      expect(await footprint(http.test.client)).toEqual(before);
    });
  });
});
