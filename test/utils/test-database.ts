import { randomBytes } from 'node:crypto';

import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { MIGRATIONS_TABLE } from '../../src/database/database.service';
import { CORE_MIGRATIONS } from '../../src/database/migrations';

/** The server the integration tests use; every test file gets a database of its own on it. */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/**
 * Databases carry the pid of the Jest run that made them (set by the global setup, inherited by
 * the workers), so that two runs on one server never drop each other's databases.
 */
export const TEST_RUN_ID = process.env.WMS_TEST_RUN_ID ?? String(process.pid);
export const TEST_DATABASE_PREFIX = 'wms_test_';
export const TEMPLATE_DATABASE = `${TEST_DATABASE_PREFIX}${TEST_RUN_ID}_template`;

/** The URL of database `name` on the server of `adminUrl`, on another port if given (a relay's). */
export const urlOn = (adminUrl: string, name: string, port?: number): string => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (port !== undefined) url.port = String(port);
  return url.toString();
};

export const databaseUrl = (name: string): string => urlOn(ADMIN_DATABASE_URL, name);

/** Runs `work` on a client of `url` opened for it, closed after. */
export const withClient = async <T>(url: string, work: (client: Client) => Promise<T>): Promise<T> => {
  const client = await connectClient(url);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

export const withAdminClient = <T>(work: (client: Client) => Promise<T>): Promise<T> => withClient(ADMIN_DATABASE_URL, work);

export const migrateDatabase = async (url: string): Promise<void> => {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: CORE_MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    logging: false,
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await dataSource.destroy();
  }
};

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A database for one test file: a copy of the migrated template (fast), or an empty one with
 * `{ migrated: false }`. Drop it in afterAll.
 */
export const createTestDatabase = async (options: { migrated?: boolean } = {}): Promise<TestDatabase> => {
  const name = `${TEST_DATABASE_PREFIX}${TEST_RUN_ID}_${randomBytes(4).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : TEMPLATE_DATABASE;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
};

/** A plain client on a test database, for assertions. */
export const connectClient = async (url: string): Promise<Client> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
};
