import { ADMIN_DATABASE_URL, databaseUrl, migrateDatabase, TEMPLATE_DATABASE, TEST_DATABASE_PREFIX, withAdminClient } from './test-database';

/** Builds the migrated template that every integration test file copies its database from. */
export default async (): Promise<void> => {
  await withAdminClient(async (client) => {
    const stale = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${TEST_DATABASE_PREFIX}%`],
    );
    for (const { datname } of stale.rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  }).catch((error: Error) => {
    throw new Error(`Integration tests need PostgreSQL at ${ADMIN_DATABASE_URL}: ${error.message}`);
  });
  await migrateDatabase(databaseUrl(TEMPLATE_DATABASE));
};
