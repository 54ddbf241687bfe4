import {
  databaseUrl,
  migrateDatabase,
  ADMIN_DATABASE_URL,
  TEMPLATE_DATABASE,
  TEST_DATABASE_PREFIX,
  withAdminClient,
} from './test-database';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Builds the migrated template that every integration test file copies its database from, and
 * drops the databases that runs no longer alive left behind.
 */
export default async (): Promise<void> => {
  process.env.WMS_TEST_RUN_ID = String(process.pid);
  await withAdminClient(async (client) => {
    const existing = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `${TEST_DATABASE_PREFIX}%`,
    ]);
    for (const { datname } of existing.rows) {
      const pid = Number(/^wms_test_(\d+)_/.exec(datname)?.[1]);
      if (!pid || !isAlive(pid) || pid === process.pid) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
    await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  }).catch((error: Error) => {
    throw new Error(`Integration tests need PostgreSQL at ${ADMIN_DATABASE_URL}: ${error.message}`);
  });
  await migrateDatabase(databaseUrl(TEMPLATE_DATABASE));
};
