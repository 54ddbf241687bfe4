import { footprint, useHttpWorkspace } from './http-test-app';

/**
 * Records of any object through the API: composite fields as nested JSON, pages, lists through a
 * view's filters (composite subfields included) and sorts; bad input is a 400 naming the field.
 */
describe('HTTP records', () => {
  const http = useHttpWorkspace();
  const { api } = http;
  const table = (name: string) => `"${http.ws.schemaName}"."${name}"`;

  /** A view of `object` with filters and sorts, written as the app's front end would. */
  const createView = async (
    object: string,
    filters: Array<{ field: string; operand: string; value: string }>,
    sorts: Array<{ field: string; direction: string }>,
  ) => {
    const fieldId = async (name: string) =>
      (
        await http.test.client.query(
          `SELECT f."id" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId" WHERE o."workspaceId" = $1 AND o."nameSingular" = $2 AND f."name" = $3`,
          [http.ws.workspaceId, object, name],
        )
      ).rows[0].id;
    const [{ id: objectId }] = (
      await http.test.client.query(`SELECT "id" FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "nameSingular" = $2`, [
        http.ws.workspaceId,
        object,
      ])
    ).rows;
    const [{ id: viewId }] = (
      await http.test.client.query(
        `INSERT INTO ${table('view')} ("name", "objectMetadataId", "type", "key", "icon", "position") VALUES ('Filtered', $1, 'table', 'INDEX', '', 9) RETURNING "id"`,
        [objectId],
      )
    ).rows;
    for (const filter of filters) {
      await http.test.client.query(
        `INSERT INTO ${table('viewFilter')} ("fieldMetadataId", "operand", "value", "displayValue", "viewId") VALUES ($1, $2, $3, $3, $4)`,
        [await fieldId(filter.field), filter.operand, filter.value, viewId],
      );
    }
    for (const sort of sorts) {
      await http.test.client.query(`INSERT INTO ${table('viewSort')} ("fieldMetadataId", "direction", "viewId") VALUES ($1, $2, $3)`, [
        await fieldId(sort.field),
        sort.direction,
        viewId,
      ]);
    }
    return viewId as string;
  };

  it('lists records a page at a time, composite fields nested', async () => {
    const first = await api('get', '/objects/person/records?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.pageInfo).toEqual({ limit: 2, offset: 0, totalCount: 5, nextOffset: 2 });
    expect(first.body.records).toHaveLength(2);
    expect(first.body.records[0]).toMatchObject({
      name: { firstName: expect.any(String), lastName: expect.any(String) },
      emails: { primaryEmail: expect.stringContaining('@'), additionalEmails: [] },
    });
    const last = await api('get', '/objects/people/records?limit=2&offset=4');
    expect(last.body.pageInfo).toEqual({ limit: 2, offset: 4, totalCount: 5, nextOffset: null });
    expect(last.body.records).toHaveLength(1);
    const ids = new Set(
      [...first.body.records, ...(await api('get', '/objects/person/records?limit=2&offset=2')).body.records, ...last.body.records].map(
        (record: { id: string }) => record.id,
      ),
    );
    expect(ids.size).toBe(5);
  });

  it('creates, reads, updates and deletes a record', async () => {
    const [company] = (await http.test.client.query(`SELECT "id" FROM ${table('company')} WHERE "name" = 'Stripe'`)).rows;
    const created = await api('post', '/objects/person/records').send({
      name: { firstName: 'Ada', lastName: 'Lovelace' },
      emails: { primaryEmail: 'ada@example.com', additionalEmails: ['ada@work.example'] },
      jobTitle: 'Analyst',
      companyId: company.id,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: { firstName: 'Ada', lastName: 'Lovelace' },
      emails: { primaryEmail: 'ada@example.com', additionalEmails: ['ada@work.example'] },
      jobTitle: 'Analyst',
      companyId: company.id,
      createdBy: { source: 'API' },
    });
    const [row] = (
      await http.test.client.query(
        `SELECT "emailsPrimaryEmail", "emailsAdditionalEmails", "nameLastName" FROM ${table('person')} WHERE "id" = $1`,
        [created.body.id],
      )
    ).rows;
    expect(row).toEqual({ emailsPrimaryEmail: 'ada@example.com', emailsAdditionalEmails: ['ada@work.example'], nameLastName: 'Lovelace' });

    const updated = await api('patch', `/objects/person/records/${created.body.id}`).send({ emails: { primaryEmail: 'ada@new.example' } });
    expect(updated.status).toBe(200);
    expect(updated.body.emails).toEqual({ primaryEmail: 'ada@new.example', additionalEmails: ['ada@work.example'] });
    expect((await api('get', `/objects/person/records/${created.body.id}`)).body.emails.primaryEmail).toBe('ada@new.example');

    expect((await api('delete', `/objects/person/records/${created.body.id}`)).status).toBe(200);
    expect((await api('get', `/objects/person/records/${created.body.id}`)).status).toBe(404);
    expect(
      (await http.test.client.query(`SELECT count(*)::int AS n FROM ${table('person')} WHERE "id" = $1`, [created.body.id])).rows[0].n,
    ).toBe(0);
  });

  it('stores SQL text in values as text', async () => {
    const text = `'; DROP TABLE person; --`;
    const name = `"); DROP SCHEMA "${http.ws.schemaName}" CASCADE; --`;
    const created = await api('post', '/objects/person/records').send({ jobTitle: text, name: { firstName: name, lastName: '%_\\' } });
    expect(created.status).toBe(201);
    const [row] = (
      await http.test.client.query(`SELECT "jobTitle", "nameFirstName", "nameLastName" FROM ${table('person')} WHERE "id" = $1`, [
        created.body.id,
      ])
    ).rows;
    expect(row).toEqual({ jobTitle: text, nameFirstName: name, nameLastName: '%_\\' });
    // A filter value with LIKE wildcards matches them literally.
    const viewId = await createView('person', [{ field: 'name', operand: 'contains', value: '%_\\' }], []);
    const listed = await api('get', `/objects/person/records?viewId=${viewId}`);
    expect(listed.body.records.map((record: { id: string }) => record.id)).toEqual([created.body.id]);
    await api('delete', `/objects/person/records/${created.body.id}`);
  });

  it("lists through a view's filters and sorts, including filters on composite subfields", async () => {
    const paris = await api('post', '/objects/company/records').send({
      name: 'Paris Co',
      employees: 50,
      address: { addressCity: 'Paris', addressCountry: 'France' },
      domainName: { primaryLinkUrl: 'https://paris.example' },
    });
    expect(paris.status).toBe(201);

    const byAddress = await createView(
      'company',
      [{ field: 'address', operand: 'contains', value: 'paris' }],
      [{ field: 'name', direction: 'asc' }],
    );
    const inParis = await api('get', `/objects/company/records?viewId=${byAddress}`);
    expect(inParis.status).toBe(200);
    expect(inParis.body.records.map((record: { name: string }) => record.name)).toEqual(['Paris Co', 'Qonto']);

    const big = await createView(
      'company',
      [{ field: 'employees', operand: 'greaterThan', value: '1500' }],
      [{ field: 'employees', direction: 'desc' }],
    );
    expect(
      (await api('get', `/objects/company/records?viewId=${big}`)).body.records.map((record: { name: string }) => record.name),
    ).toEqual(['Stripe', 'Airbnb', 'Figma']);

    const byDomain = await createView(
      'company',
      [
        { field: 'domainName', operand: 'contains', value: '.so' },
        { field: 'name', operand: 'isNot', value: 'Figma' },
      ],
      [],
    );
    expect(
      (await api('get', `/objects/company/records?viewId=${byDomain}`)).body.records.map((record: { name: string }) => record.name),
    ).toEqual(['Notion']);

    const byEmail = await createView(
      'person',
      [
        { field: 'emails', operand: 'doesNotContain', value: 'airbnb' },
        { field: 'city', operand: 'is', value: 'Seattle' },
      ],
      [{ field: 'name', direction: 'desc' }],
    );
    const people = await api('get', `/objects/person/records?viewId=${byEmail}&limit=1`);
    expect(people.body.records.map((record: { name: { firstName: string } }) => record.name.firstName)).toEqual(['Nicholas']);
    expect(people.body.pageInfo).toEqual({ limit: 1, offset: 0, totalCount: 2, nextOffset: 1 });
    const next = await api('get', `/objects/person/records?viewId=${byEmail}&limit=1&offset=1`);
    expect(next.body.records.map((record: { name: { firstName: string } }) => record.name.firstName)).toEqual(['Christopher']);

    const empty = await createView(
      'company',
      [
        { field: 'address', operand: 'isNotEmpty', value: '' },
        { field: 'employees', operand: 'lessThan', value: '100' },
      ],
      [],
    );
    expect(
      (await api('get', `/objects/company/records?viewId=${empty}`)).body.records.map((record: { name: string }) => record.name),
    ).toEqual(['Paris Co']);
  });

  it('refuses a view of another object, and a view with an operand it does not know', async () => {
    const companyView = await createView('company', [], []);
    const wrongObject = await api('get', `/objects/person/records?viewId=${companyView}`);
    expect(wrongObject.status).toBe(400);
    expect(wrongObject.body).toMatchObject({ field: 'viewId', message: expect.stringContaining('is not a view of person') });
    const badOperand = await createView('person', [{ field: 'city', operand: 'sounds like', value: 'x' }], []);
    const refused = await api('get', `/objects/person/records?viewId=${badOperand}`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/operand "sounds like".*Fix the view's filter/);
    const badNumber = await createView('company', [{ field: 'employees', operand: 'greaterThan', value: 'many' }], []);
    expect((await api('get', `/objects/company/records?viewId=${badNumber}`)).body.message).toMatch(/needs a number/);
  });

  it('answers ?search= on an object without a search field, or given twice, with a 400 naming search', async () => {
    const noSearchField = await api('get', '/objects/workspaceMember/records?search=ada');
    expect(noSearchField.status).toBe(400);
    expect(noSearchField.body).toMatchObject({ field: 'search', message: expect.stringContaining('workspaceMember has no search field') });
    const twice = await api('get', '/objects/person/records?search=a&search=b');
    expect(twice.status).toBe(400);
    expect(twice.body).toMatchObject({ field: 'search', message: expect.stringContaining('search must be one text') });
  });

  const invalid: Array<[string, 'get' | 'post' | 'patch', string, unknown, number, string, RegExp]> = [
    ['an unknown field', 'post', '/objects/person/records', { salary: 5 }, 400, 'salary', /not a field of this object/],
    ['SQL text as a field name', 'post', '/objects/person/records', { 'city" = 1; --': 'x' }, 400, 'city" = 1; --', /not a field/],
    [
      'a composite given as text',
      'post',
      '/objects/person/records',
      { emails: 'ada@example.com' },
      400,
      'emails',
      /must be an object with the subfields primaryEmail, additionalEmails/,
    ],
    [
      'a subfield of the wrong type',
      'post',
      '/objects/person/records',
      { emails: { primaryEmail: 5 } },
      400,
      'emails.primaryEmail',
      /must be a string/,
    ],
    [
      'an unknown subfield',
      'post',
      '/objects/person/records',
      { emails: { primaryMail: 'x' } },
      400,
      'emails.primaryMail',
      /not a subfield/,
    ],
    ['text where a number goes', 'post', '/objects/company/records', { employees: 'many' }, 400, 'employees', /must be a number/],
    ['a number where text goes', 'post', '/objects/person/records', { city: 5 }, 400, 'city', /must be a string/],
    ['NULL in a required field', 'post', '/objects/person/records', { city: null }, 400, 'city', /cannot be empty/],
    [
      'text where a boolean goes',
      'post',
      '/objects/company/records',
      { idealCustomerProfile: 'yes' },
      400,
      'idealCustomerProfile',
      /true or false/,
    ],
    ['a relation id that is not a UUID', 'post', '/objects/person/records', { companyId: "1' OR '1'='1" }, 400, 'companyId', /UUID/],
    [
      'a relation to nothing',
      'post',
      '/objects/person/records',
      { companyId: '00000000-0000-4000-8000-000000000000' },
      400,
      'companyId',
      /does not name an existing company/,
    ],
    [
      'a field the service sets',
      'post',
      '/objects/person/records',
      { createdAt: '2020-01-01T00:00:00Z' },
      400,
      'createdAt',
      /set by the service/,
    ],
    ['a body that is a list', 'post', '/objects/person/records', [1], 400, 'body', /JSON object/],
    ['an unknown object', 'post', '/objects/ghost/records', { name: 'x' }, 404, 'object', /"ghost" does not exist/],
    [
      'SQL text as an object',
      'get',
      '/objects/person%22%3B%20DROP%20TABLE%20person%3B--/records',
      undefined,
      404,
      'object',
      /does not exist/,
    ],
    [
      'an unknown view',
      'get',
      '/objects/person/records?viewId=00000000-0000-4000-8000-000000000000',
      undefined,
      400,
      'viewId',
      /is not a view of person/,
    ],
    [
      'SQL text as a view',
      'get',
      `/objects/person/records?viewId=${encodeURIComponent("x'; DROP TABLE view; --")}`,
      undefined,
      400,
      'viewId',
      /is not a view/,
    ],
    ['a limit that is not a number', 'get', '/objects/person/records?limit=ten', undefined, 400, 'limit', /whole number/],
    ['a limit too large', 'get', '/objects/person/records?limit=5000', undefined, 400, 'limit', /1 to 200/],
    [
      'an update of a record that does not exist',
      'patch',
      '/objects/person/records/00000000-0000-4000-8000-000000000000',
      { city: 'x' },
      404,
      'id',
      /does not exist/,
    ],
    [
      'an update with a bad value',
      'patch',
      '/objects/person/records/00000000-0000-4000-8000-000000000000',
      { city: 7 },
      400,
      'city',
      /must be a string/,
    ],
  ];

  it.each(invalid)('refuses %s, naming the field, and writes nothing', async (_case, method, path, body, status, field, message) => {
    const before = await footprint(http.test.client);
    let call = api(method, path);
    if (body !== undefined) call = call.send(body as object);
    const response = await call;
    expect({ status: response.status, field: response.body.field }).toEqual({ status, field });
    expect(response.body.message).toMatch(message);
    expect(await footprint(http.test.client)).toEqual(before);
  });
});
