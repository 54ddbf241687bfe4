import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { MIGRATIONS_TABLE } from '../../src/database/database.service';
import { CORE_MIGRATIONS } from '../../src/database/migrations';
import { connectClient, createTestDatabase, TestDatabase } from './test-database';

/** A TypeORM data source on a test database, as the service opens it. Destroy it in afterAll. */
export const openDataSource = async (url: string, poolSize = 4): Promise<DataSource> =>
  new DataSource({
    type: 'postgres',
    url,
    migrations: CORE_MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    logging: false,
    extra: { max: poolSize },
  }).initialize();

export interface TestServices {
  database: TestDatabase;
  /** The service's view of the database. */
  dataSource: DataSource;
  /** A plain client, for seeding and assertions. */
  client: Client;
}

/**
 * A migrated database of its own for the spec file that calls it (at the top of a describe), with
 * a data source (of `poolSize` connections) and a client on it: opened before its tests, closed and dropped after them. The
 * fields are set once the describe's first beforeAll has run.
 */
export const useTestDatabase = (poolSize = 4): TestServices => {
  const services = {} as TestServices;
  beforeAll(async () => {
    services.database = await createTestDatabase();
    services.dataSource = await openDataSource(services.database.url, poolSize);
    services.client = await connectClient(services.database.url);
  });
  afterAll(async () => {
    await services.client?.end();
    await services.dataSource?.destroy();
    await services.database?.drop();
  });
  return services;
};
