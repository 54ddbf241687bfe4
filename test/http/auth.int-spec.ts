import { ADMIN_KEY, bearer, createWorkspaceWithKey, footprint, HttpTest, startHttpTest } from './http-test-app';

/**
 * Every endpoint needs a bearer token: none, a wrong one or a revoked one is a 401, and a key of
 * another workspace a 404; in each case nothing is written. The admin token creates workspaces and
 * keys; a workspace key reaches its own workspace only.
 */
describe('HTTP authentication', () => {
  let test: HttpTest;
  let a: { workspaceId: string; schemaName: string; key: string; keyId: string };
  let b: { workspaceId: string; schemaName: string; key: string; keyId: string };
  let personOfB: string;

  beforeAll(async () => {
    test = await startHttpTest();
    a = await createWorkspaceWithKey(test, { displayName: 'A' });
    b = await createWorkspaceWithKey(test, { displayName: 'B' });
    const [row] = (await test.client.query(`SELECT "id" FROM "${b.schemaName}"."person" ORDER BY "id" LIMIT 1`)).rows;
    personOfB = row.id;
  });

  afterAll(async () => {
    await test.close();
  });

  /** One request of every kind, reading and writing, against workspace B. */
  const requests = () => {
    const base = `/workspaces/${b.workspaceId}`;
    return [
      { method: 'post', path: '/workspaces', body: { displayName: 'Intruder' } },
      { method: 'get', path: base },
      { method: 'post', path: `${base}/api-keys`, body: { name: 'stolen' } },
      { method: 'get', path: `${base}/api-keys` },
      { method: 'delete', path: `${base}/api-keys/${b.keyId}` },
      {
        method: 'post',
        path: `${base}/objects`,
        body: { nameSingular: 'invoice', namePlural: 'invoices', labelSingular: 'Invoice', labelPlural: 'Invoices' },
      },
      { method: 'patch', path: `${base}/objects/person/fields/jobTitle`, body: { isActive: false } },
      { method: 'post', path: `${base}/objects/person/fields`, body: { name: 'tier', label: 'Tier', type: 'TEXT' } },
      { method: 'delete', path: `${base}/objects/person?force=true` },
      { method: 'get', path: `${base}/objects/person/records` },
      { method: 'get', path: `${base}/objects/person/records/${personOfB}` },
      { method: 'get', path: `${base}/objects/person/records/export` },
      { method: 'post', path: `${base}/objects/person/records`, body: { jobTitle: 'Intruder' } },
      { method: 'patch', path: `${base}/objects/person/records/${personOfB}`, body: { jobTitle: 'Intruder' } },
      { method: 'delete', path: `${base}/objects/person/records/${personOfB}` },
      { method: 'post', path: `${base}/objects/person/records/import`, csv: 'Job Title\nIntruder\n' },
    ] as Array<{ method: 'get' | 'post' | 'patch' | 'delete'; path: string; body?: object; csv?: string }>;
  };

  const send = (item: ReturnType<typeof requests>[number], headers: Record<string, string>) => {
    let call = test.http()[item.method](item.path).set(headers);
    if (item.csv !== undefined) call = call.set('Content-Type', 'text/csv').send(item.csv);
    else if (item.body) call = call.send(item.body);
    return call;
  };

  it.each([
    ['no token', {}],
    ['an empty bearer', { Authorization: 'Bearer ' }],
    ['a wrong token', bearer('wms_not-a-key-of-anyone')],
    ['a token that is almost the admin token', bearer(`${ADMIN_KEY}x`)],
    ['another scheme', { Authorization: `Basic ${ADMIN_KEY}` }],
  ])('answers 401 to %s on every endpoint and writes nothing', async (_case, headers) => {
    const before = await footprint(test.client);
    for (const item of requests()) {
      const response = await send(item, headers as Record<string, string>);
      expect({ request: `${item.method} ${item.path}`, status: response.status }).toEqual({
        request: `${item.method} ${item.path}`,
        status: 401,
      });
      expect(response.body.message).toMatch(/bearer token is required/);
      expect(JSON.stringify(response.body)).not.toContain(personOfB);
    }
    expect(await footprint(test.client)).toEqual(before);
  });

  it('answers 404 to a key of workspace A on anything of workspace B, and writes nothing', async () => {
    const before = await footprint(test.client);
    for (const item of requests().filter((candidate) => candidate.path !== '/workspaces' && !candidate.path.includes('/api-keys'))) {
      const response = await send(item, bearer(a.key));
      expect({ request: `${item.method} ${item.path}`, status: response.status }).toEqual({
        request: `${item.method} ${item.path}`,
        status: 404,
      });
      expect(response.body.message).toBe(`workspace ${b.workspaceId} does not exist`);
    }
    expect(await footprint(test.client)).toEqual(before);
  });

  it('answers 403 to a workspace key on the admin endpoints, and to the admin token on records', async () => {
    const before = await footprint(test.client);
    const create = await test.http().post('/workspaces').set(bearer(a.key)).send({ displayName: 'Nope' });
    expect(create.status).toBe(403);
    const key = await test.http().post(`/workspaces/${a.workspaceId}/api-keys`).set(bearer(a.key)).send({ name: 'more' });
    expect(key.status).toBe(403);
    const records = await test.http().get(`/workspaces/${a.workspaceId}/objects/person/records`).set(bearer(ADMIN_KEY));
    expect(records.status).toBe(403);
    expect(records.body.message).toMatch(/API key of the workspace/);
    expect(await footprint(test.client)).toEqual(before);
  });

  it('lets a workspace key read its own workspace', async () => {
    const own = await test.http().get(`/workspaces/${a.workspaceId}/objects/person/records`).set(bearer(a.key));
    expect(own.status).toBe(200);
    expect(own.body.records).toHaveLength(5);
    const workspace = await test.http().get(`/workspaces/${a.workspaceId}`).set(bearer(a.key));
    expect(workspace.status).toBe(200);
    expect(workspace.body.workspace.displayName).toBe('A');
  });

  it('stores only a hash of a key, shows it once, and refuses it once revoked', async () => {
    const created = await test.http().post(`/workspaces/${a.workspaceId}/api-keys`).set(bearer(ADMIN_KEY)).send({ name: 'to revoke' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^wms_[A-Za-z0-9_-]{43}$/);
    const stored = (await test.client.query(`SELECT * FROM core."apiKey" WHERE "id" = $1`, [created.body.id])).rows[0];
    expect(JSON.stringify(stored)).not.toContain(created.body.key);
    const listed = await test.http().get(`/workspaces/${a.workspaceId}/api-keys`).set(bearer(ADMIN_KEY));
    expect(listed.body.apiKeys.map((key: { name: string }) => key.name)).toEqual(['tests', 'to revoke']);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    expect((await test.http().get(`/workspaces/${a.workspaceId}/objects/person/records`).set(bearer(created.body.key))).status).toBe(200);
    const revoked = await test.http().delete(`/workspaces/${a.workspaceId}/api-keys/${created.body.id}`).set(bearer(ADMIN_KEY));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();

    const before = await footprint(test.client);
    for (const item of requests().map((candidate) => ({ ...candidate, path: candidate.path.replace(b.workspaceId, a.workspaceId) }))) {
      const response = await send(item, bearer(created.body.key));
      expect({ request: `${item.method} ${item.path}`, status: response.status }).toEqual({
        request: `${item.method} ${item.path}`,
        status: 401,
      });
    }
    expect(await footprint(test.client)).toEqual(before);
    // The other key of the workspace still works.
    expect((await test.http().get(`/workspaces/${a.workspaceId}/objects/person/records`).set(bearer(a.key))).status).toBe(200);
  });

  it('answers 404 to the admin on a workspace or key that does not exist, 400 on a bad key name', async () => {
    const missing = await test
      .http()
      .post('/workspaces/00000000-0000-4000-8000-000000000000/api-keys')
      .set(bearer(ADMIN_KEY))
      .send({ name: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.field).toBe('workspaceId');
    const noKey = await test
      .http()
      .delete(`/workspaces/${a.workspaceId}/api-keys/00000000-0000-4000-8000-000000000000`)
      .set(bearer(ADMIN_KEY));
    expect(noKey.status).toBe(404);
    const badName = await test.http().post(`/workspaces/${a.workspaceId}/api-keys`).set(bearer(ADMIN_KEY)).send({ name: 42 });
    expect(badName.status).toBe(400);
    expect(badName.body.field).toBe('name');
  });
});
