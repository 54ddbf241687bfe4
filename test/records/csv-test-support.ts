import { bearer, HttpTest } from '../http/http-test-app';

export type Workspace = { workspaceId: string; schemaName: string; key: string };

export interface CustomFieldInput {
  name: string;
  label: string;
  type: string;
  options?: Array<{ value: string; label: string }>;
}

/**
 * The HTTP calls of the CSV specs, on the app `app()` gives (set in the spec's beforeAll): export
 * and import of an object's records, and the custom fields a spec adds to person.
 */
export const csvHelpers = (app: () => HttpTest, customFields: readonly CustomFieldInput[]) => {
  const api = (ws: Workspace, method: 'get' | 'post', path: string) =>
    app().http()[method](`/workspaces/${ws.workspaceId}${path}`).set(bearer(ws.key));
  const exportCsv = async (ws: Workspace, object: string, query = ''): Promise<string> => {
    const response = await api(ws, 'get', `/objects/${object}/records/export${query}`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    return response.body as string;
  };
  const importCsv = (ws: Workspace, object: string, csv: string | Buffer, query = '', type = 'text/csv') =>
    api(ws, 'post', `/objects/${object}/records/import${query}`).set('Content-Type', type).send(csv);
  const withCustomFields = async (ws: Workspace) => {
    for (const field of customFields) {
      const response = await api(ws, 'post', '/objects/person/fields').send(field);
      expect(response.status).toBe(201);
    }
  };
  return { api, exportCsv, importCsv, withCustomFields };
};
