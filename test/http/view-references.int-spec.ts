import { createWorkspaceWithKey, footprint, useHttpWorkspace } from './http-test-app';

/**
 * Rows of the view objects name metadata by id: a view its object, a view field, filter or sort
 * its field. Those ids must be of this workspace (and a field of the view's object): otherwise the
 * view fails to list and the workspace's health fails. Such a write is a 400 naming the property,
 * over the records API and CSV import alike, and writes nothing.
 */
describe('HTTP view rows name metadata of their own workspace', () => {
  const http = useHttpWorkspace();
  const { api } = http;
  const table = (name: string) => `"${http.ws.schemaName}"."${name}"`;
  let other: { workspaceId: string };

  const objectId = async (workspaceId: string, object: string): Promise<string> =>
    (
      await http.test.client.query(`SELECT "id" FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "nameSingular" = $2`, [
        workspaceId,
        object,
      ])
    ).rows[0].id;
  const fieldId = async (workspaceId: string, object: string, name: string): Promise<string> =>
    (
      await http.test.client.query(
        `SELECT f."id" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
          WHERE o."workspaceId" = $1 AND o."nameSingular" = $2 AND f."name" = $3`,
        [workspaceId, object, name],
      )
    ).rows[0].id;
  const viewOf = async (object: string): Promise<string> =>
    (
      await http.test.client.query(`SELECT "id" FROM ${table('view')} WHERE "objectMetadataId" = $1 ORDER BY "position" LIMIT 1`, [
        await objectId(http.ws.workspaceId, object),
      ])
    ).rows[0].id;

  beforeAll(async () => {
    other = await createWorkspaceWithKey(http.test, { displayName: 'Other' });
  });

  const refused = async (call: () => Promise<{ status: number; body: { field?: string; message: string } }>, field: string) => {
    const before = await footprint(http.test.client);
    const response = await call();
    expect({ status: response.status, field: response.body.field }).toEqual({ status: 400, field });
    expect(await footprint(http.test.client)).toEqual(before);
    return response.body.message;
  };

  it("refuses a view field, filter or sort naming another workspace's field, on create", async () => {
    const foreign = await fieldId(other.workspaceId, 'person', 'city');
    const viewId = await viewOf('person');
    const bodies: Array<[string, Record<string, unknown>]> = [
      ['viewFields', { fieldMetadataId: foreign, viewId, position: 9, isVisible: true }],
      ['viewFilters', { fieldMetadataId: foreign, viewId, operand: 'is', value: 'x', displayValue: 'x' }],
      ['viewSorts', { fieldMetadataId: foreign, viewId, direction: 'asc' }],
    ];
    for (const [object, body] of bodies) {
      const message = await refused(() => api('post', `/objects/${object}/records`).send(body), 'fieldMetadataId');
      expect(message).toContain(`fieldMetadataId ${foreign} is not a field of this workspace`);
    }
    // Without a view too: the id still has to be a field of this workspace.
    await refused(() => api('post', '/objects/viewFields/records').send({ fieldMetadataId: foreign }), 'fieldMetadataId');
    // The view still lists, and the workspace is healthy.
    expect((await api('get', `/objects/person/records?viewId=${viewId}`)).status).toBe(200);
  });

  it("refuses a field of another object than the view's, and a view of another workspace's object", async () => {
    const companyName = await fieldId(http.ws.workspaceId, 'company', 'name');
    const personView = await viewOf('person');
    const message = await refused(
      () =>
        api('post', '/objects/viewFilters/records').send({ fieldMetadataId: companyName, viewId: personView, operand: 'is', value: 'x' }),
      'fieldMetadataId',
    );
    expect(message).toMatch(/is a field of company, not of person/);
    const foreignObject = await objectId(other.workspaceId, 'person');
    const viewMessage = await refused(
      () =>
        api('post', '/objects/views/records').send({
          name: 'Stolen',
          objectMetadataId: foreignObject,
          type: 'table',
          key: 'INDEX',
          icon: '',
        }),
      'objectMetadataId',
    );
    expect(viewMessage).toContain(`objectMetadataId ${foreignObject} is not an object of this workspace`);
  });

  it('refuses an update that makes a view field point elsewhere, by its field or by its view', async () => {
    const personView = await viewOf('person');
    const companyView = await viewOf('company');
    const created = await api('post', '/objects/viewFields/records').send({
      fieldMetadataId: await fieldId(http.ws.workspaceId, 'person', 'city'),
      viewId: personView,
      position: 20,
    });
    expect(created.status).toBe(201);
    const foreign = await fieldId(other.workspaceId, 'person', 'city');
    await refused(
      () => api('patch', `/objects/viewFields/records/${created.body.id}`).send({ fieldMetadataId: foreign }),
      'fieldMetadataId',
    );
    const moved = await refused(
      () => api('patch', `/objects/viewFields/records/${created.body.id}`).send({ viewId: companyView }),
      'fieldMetadataId',
    );
    expect(moved).toMatch(/is a field of person, not of company/);
    const fine = await api('patch', `/objects/viewFields/records/${created.body.id}`).send({ position: 21 });
    expect(fine.status).toBe(200);
  });

  it("refuses a CSV import of view fields naming another workspace's field, importing nothing", async () => {
    const foreign = await fieldId(other.workspaceId, 'person', 'city');
    const own = await fieldId(http.ws.workspaceId, 'person', 'jobTitle');
    const viewId = await viewOf('person');
    const csv = `Field Metadata Id,View Id,Position\n${own},${viewId},30\n${foreign},${viewId},31\n`;
    const before = await footprint(http.test.client);
    const response = await api('post', '/objects/viewFields/records/import').set('Content-Type', 'text/csv').send(csv);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { line: 3, message: expect.stringContaining(`fieldMetadataId ${foreign} is not a field of this workspace`) },
    ]);
    expect(await footprint(http.test.client)).toEqual(before);
  });

  it('refuses a view filter with an unknown operand, or a sort with an unknown direction, when written: the view keeps listing', async () => {
    const viewId = await viewOf('person');
    const city = await fieldId(http.ws.workspaceId, 'person', 'city');
    const message = await refused(
      () => api('post', '/objects/viewFilters/records').send({ fieldMetadataId: city, viewId, operand: 'like', value: 'Paris' }),
      'operand',
    );
    expect(message).toBe(
      'operand "like" is not a view filter operand; use one of is, isNot, contains, doesNotContain, greaterThan, lessThan, isBefore, isAfter, isEmpty, isNotEmpty',
    );
    await refused(() => api('post', '/objects/viewFilters/records').send({ fieldMetadataId: city, viewId, operand: null }), 'operand');
    expect(
      await refused(() => api('post', '/objects/viewSorts/records').send({ fieldMetadataId: city, viewId, direction: 'up' }), 'direction'),
    ).toContain('use asc or desc');

    const created = await api('post', '/objects/viewFilters/records').send({
      fieldMetadataId: city,
      viewId,
      operand: 'is',
      value: 'Paris',
    });
    expect(created.status).toBe(201);
    await refused(() => api('patch', `/objects/viewFilters/records/${created.body.id}`).send({ operand: 'startsWith' }), 'operand');
    expect((await api('patch', `/objects/viewFilters/records/${created.body.id}`).send({ value: 'Lyon' })).status).toBe(200);

    const csv = `Field Metadata Id,View Id,Operand,Value\n${city},${viewId},contains,a\n${city},${viewId},matches,b\n`;
    const before = await footprint(http.test.client);
    const imported = await api('post', '/objects/viewFilters/records/import').set('Content-Type', 'text/csv').send(csv);
    expect(imported.status).toBe(400);
    expect(imported.body.errors).toEqual([{ line: 3, message: expect.stringContaining('operand "matches" is not a view filter operand') }]);
    expect(await footprint(http.test.client)).toEqual(before);

    expect((await api('get', `/objects/person/records?viewId=${viewId}`)).status).toBe(200);
  });
});
