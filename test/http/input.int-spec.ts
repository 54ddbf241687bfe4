import { CREATABLE_FIELD_TYPES } from '../../src/custom-metadata/custom-metadata.input';
import { ADMIN_KEY, bearer, footprint, useHttpWorkspace } from './http-test-app';

/**
 * What every request body goes through before a service reads it: the size limit (413), the
 * depth limit and the shape of its class (400 naming the property); and how paths name objects:
 * by singular or plural name on every endpoint, an unknown one a 404.
 */
describe('HTTP input', () => {
  const http = useHttpWorkspace();
  const { api } = http;

  /** `{"a": [[[ ... ]]]}` nesting `depth` levels in all. */
  const nested = (depth: number): string => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

  const expectNothingWritten = async (call: () => Promise<{ status: number; body: Record<string, unknown> }>) => {
    const before = await footprint(http.test.client);
    const response = await call();
    expect(await footprint(http.test.client)).toEqual(before);
    return response;
  };

  describe('body size and depth', () => {
    it('answers 413 to a body over 1 MiB, naming the limit, and writes nothing', async () => {
      const big = JSON.stringify({ displayName: 'x'.repeat(1024 * 1024) });
      const workspace = await expectNothingWritten(() =>
        http.test.http().post('/workspaces').set(bearer(ADMIN_KEY)).set('Content-Type', 'application/json').send(big),
      );
      expect(workspace.status).toBe(413);
      expect(workspace.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        field: 'body',
        message: 'the request body is larger than the limit of 1048576 bytes; send less per request (CSV import takes files of any size)',
      });
      const record = await expectNothingWritten(() =>
        api('post', '/objects/person/records')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ jobTitle: 'y'.repeat(2 * 1024 * 1024) })),
      );
      expect(record.status).toBe(413);
    });

    it('takes a body just under the limit', async () => {
      const response = await api('post', '/objects/person/records').send({ jobTitle: 'z'.repeat(1000 * 1000) });
      expect(response.status).toBe(201);
      expect(response.body.jobTitle).toHaveLength(1000 * 1000);
    });

    it.each([
      ['a record', '/objects/person/records', 65],
      ['a record nested 100000 deep', '/objects/person/records', 100_000],
      ['a custom object', '/objects', 65],
      ['a custom field', '/objects/person/fields', 65],
    ])('answers 400 naming the body to %s nested too deep, and writes nothing', async (_case, path, depth) => {
      const response = await expectNothingWritten(() => api('post', path).set('Content-Type', 'application/json').send(nested(depth)));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        field: 'body',
        message: 'the request body nests deeper than 64 levels of objects and lists; send flatter JSON',
      });
    });

    it('answers 400 to malformed JSON', async () => {
      const response = await api('post', '/objects').set('Content-Type', 'application/json').send('{"nameSingular": ');
      expect(response.status).toBe(400);
    });
  });

  describe('bodies checked against their class', () => {
    const field = (body: Record<string, unknown>) => expectNothingWritten(() => api('post', '/objects/person/fields').send(body));

    it('refuses a property the body does not take, naming it and the ones it takes', async () => {
      const response = await field({ name: 'tier', label: 'Tier', type: 'TEXT', isNulable: false });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        field: 'isNulable',
        message:
          '"isNulable" is not a property of this request; it takes name, label, type, options, defaultValue, isNullable, description, icon',
      });
    });

    it('names a nested property at fault by its path', async () => {
      const response = await field({ name: 'tier', label: 'Tier', type: 'SELECT', options: [{ value: 'GOLD' }, { value: 7 }] });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ field: 'options[1].value', message: expect.stringContaining('option value must be text') });
    });

    it('lists the valid types with an unknown one', async () => {
      const response = await field({ name: 'tier', label: 'Tier', type: 'STRING' });
      expect(response.status).toBe(400);
      expect(response.body.field).toBe('type');
      expect(response.body.message).toBe(`type "STRING" is not a field type; use one of ${CREATABLE_FIELD_TYPES.join(', ')}`);
      expect(CREATABLE_FIELD_TYPES).toEqual(expect.arrayContaining(['TEXT', 'NUMBER', 'SELECT', 'EMAILS', 'EMAIL']));
      expect(CREATABLE_FIELD_TYPES).not.toContain('RELATION');
    });

    it.each([
      [{ name: 'tier', label: 'Tier', type: 'TEXT', isNullable: 'no' }, 'isNullable', 'isNullable must be true or false'],
      [
        { name: 'tier', label: 'Tier', type: 'TEXT', description: 5 },
        'description',
        'description must be text of at most 1000 characters, or null',
      ],
      [{ name: 'tier', label: '   ', type: 'TEXT' }, 'label', 'label is required: 1 to 200 characters'],
      [{ name: 'tier', label: 'Tier', type: 'SELECT', options: 'GOLD' }, 'options', 'options must be a list of { value, label }'],
    ])('refuses %j naming %s', async (body, property, message) => {
      const response = await field(body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', field: property, message });
    });

    it('takes a description of null', async () => {
      const response = await api('post', '/objects/person/fields').send({
        name: 'nickname',
        label: 'Nickname',
        type: 'TEXT',
        description: null,
      });
      expect(response.status).toBe(201);
    });
  });

  describe('objects in the path', () => {
    const label = { label: 'X' };
    it.each([
      ['get', '/objects/ghost/records', undefined, 'object'],
      ['post', '/objects/ghosts/records', {}, 'object'],
      ['get', '/objects/ghost/records/export', undefined, 'object'],
      ['patch', '/objects/ghost', { labelSingular: 'X' }, 'object'],
      ['delete', '/objects/ghost', undefined, 'object'],
      ['post', '/objects/ghost/fields', { name: 'x', label: 'X', type: 'TEXT' }, 'object'],
      ['patch', '/objects/ghost/fields/name', label, 'object'],
      ['delete', '/objects/person/fields/ghost', undefined, 'field'],
      ['patch', '/objects/people/fields/ghost', label, 'field'],
    ] as const)('%s %s is a 404 naming the %s, and writes nothing', async (method, path, body, property) => {
      const response = await expectNothingWritten(() => (body === undefined ? api(method, path) : api(method, path).send(body)));
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found', field: property });
      expect(response.body.message).toMatch(/"ghosts?" does not exist/);
    });

    it('takes plural names on the metadata endpoints, as on the records endpoints', async () => {
      const created = await api('post', '/objects').send({
        nameSingular: 'invoice',
        namePlural: 'invoices',
        labelSingular: 'Invoice',
        labelPlural: 'Invoices',
      });
      expect(created.status).toBe(201);
      expect((await api('post', '/objects/invoices/fields').send({ name: 'amountDue', label: 'Amount due', type: 'NUMBER' })).status).toBe(
        201,
      );
      expect((await api('patch', '/objects/invoices/fields/amountDue').send({ label: 'Due' })).status).toBe(200);
      expect((await api('patch', '/objects/invoices').send({ labelSingular: 'Bill' })).status).toBe(200);
      expect((await api('post', '/objects/invoices/records').send({ amountDue: 12 })).status).toBe(201);
      expect((await api('delete', '/objects/invoices/fields/amountDue?force=true')).status).toBe(200);
      expect((await api('delete', '/objects/invoices')).status).toBe(409);
      expect((await api('delete', '/objects/invoices?force=true')).status).toBe(200);
      const left = await http.test.client.query(
        `SELECT count(*)::int AS n FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "nameSingular" = 'invoice'`,
        [http.ws.workspaceId],
      );
      expect(left.rows[0].n).toBe(0);
      expect((await api('patch', '/objects/people/fields/jobTitle').send({ isActive: false })).status).toBe(200);
      expect((await api('patch', '/objects/people/fields/jobTitle').send({ isActive: true })).status).toBe(200);
    });
  });
});
