import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { createHttpApp } from '../../src/http/http-app';
import { quoteIdentifier } from '../../src/database/sql';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { openDataSource } from '../utils/test-services';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef0123456789';

export interface HttpTest {
  app: INestApplication;
  database: TestDatabase;
  /** For arranging data and asserting on it (not the app's own pool). */
  dataSource: DataSource;
  client: Client;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The HTTP app on a database of this test file, served in-process for supertest. */
export const startHttpTest = async (): Promise<HttpTest> => {
  const database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.ADMIN_API_KEY = ADMIN_KEY;
  const app = await createHttpApp({ logger: false });
  await app.init();
  const dataSource = await openDataSource(database.url);
  const client = await connectClient(database.url);
  return {
    app,
    database,
    dataSource,
    client,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      await client.end();
      await dataSource.destroy();
      await database.drop();
    },
  };
};

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Creates a workspace and a key of it through the API. */
export const createWorkspaceWithKey = async (
  test: HttpTest,
  body: Record<string, unknown> = { displayName: 'Acme' },
): Promise<{ workspaceId: string; schemaName: string; key: string; keyId: string }> => {
  const created = await test.http().post('/workspaces').set(bearer(ADMIN_KEY)).send(body);
  if (created.status !== 201) throw new Error(`POST /workspaces answered ${created.status}: ${JSON.stringify(created.body)}`);
  const key = await test.http().post(`/workspaces/${created.body.workspace.id}/api-keys`).set(bearer(ADMIN_KEY)).send({ name: 'tests' });
  if (key.status !== 201) throw new Error(`POST api-keys answered ${key.status}: ${JSON.stringify(key.body)}`);
  return { workspaceId: created.body.workspace.id, schemaName: created.body.workspace.schemaName, key: key.body.key, keyId: key.body.id };
};

export interface HttpWorkspaceTest {
  /** Set once the describe's beforeAll has run. */
  test: HttpTest;
  /** A workspace created through the API, and a key of it. */
  ws: { workspaceId: string; schemaName: string; key: string };
  /** A request to one of the workspace's routes (`path` after /workspaces/:id), with its key. */
  api: (method: 'get' | 'post' | 'patch' | 'delete', path: string) => ReturnType<ReturnType<typeof request>['get']>;
}

/**
 * The HTTP app with one workspace and its key, for the describe that calls it: started before its
 * tests, closed after them.
 */
export const useHttpWorkspace = (): HttpWorkspaceTest => {
  const context = {
    api: (method, path) => context.test.http()[method](`/workspaces/${context.ws.workspaceId}${path}`).set(bearer(context.ws.key)),
  } as HttpWorkspaceTest;
  beforeAll(async () => {
    context.test = await startHttpTest();
    context.ws = await createWorkspaceWithKey(context.test);
  });
  afterAll(async () => {
    await context.test?.close();
  });
  return context;
};

/**
 * Everything the database holds, as one comparable value: every table of the core, metadata and
 * workspace schemas with its columns and a digest of its rows, and the workspace schemas' types.
 * Equal footprints before and after a request: the request wrote nothing.
 */
export const footprint = async (client: Client): Promise<Record<string, unknown>> => {
  const tables = await client.query<{ schema: string; table: string; columns: string }>(
    `SELECT table_schema AS schema, table_name AS table, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) AS columns
       FROM information_schema.columns
      WHERE table_schema IN ('core', 'metadata') OR table_schema LIKE 'workspace\\_%'
      GROUP BY table_schema, table_name ORDER BY table_schema, table_name`,
  );
  const result: Record<string, unknown> = {};
  for (const { schema, table, columns } of tables.rows) {
    const name = `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
    const [{ digest, count }] = (
      await client.query(
        `SELECT count(*)::int AS count, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${name} t`,
      )
    ).rows;
    result[`${schema}.${table}`] = { columns, count, digest };
  }
  const types = await client.query(
    `SELECT n.nspname || '.' || t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname LIKE 'workspace\\_%' AND t.typtype = 'e' ORDER BY 1`,
  );
  result.types = types.rows.map((row) => row.name);
  return result;
};
