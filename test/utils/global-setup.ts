import { Client } from 'pg';

import { withSecondAdmin } from './second-server';
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

/** Drops the test databases on a server that runs no longer alive (or this one's pid before) left behind. */
const dropLeftovers = async (client: Client): Promise<void> => {
  const existing = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
    `${TEST_DATABASE_PREFIX}%`,
  ]);
  for (const { datname } of existing.rows) {
    const pid = Number(/^wms_test_(\d+)_/.exec(datname)?.[1]);
    if (!pid || !isAlive(pid) || pid === process.pid) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  }
};

/**
 * Builds the migrated template that every integration test file copies its database from, and
 * drops the databases that runs no longer alive left behind, on the main cluster and on the second
 * one (the specs of several servers), should that one answer.
 */
export default async (): Promise<void> => {
  process.env.WMS_TEST_RUN_ID = String(process.pid);
  await withAdminClient(async (client) => {
    await dropLeftovers(client);
    await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  }).catch((error: Error) => {
    throw new Error(`Integration tests need PostgreSQL at ${ADMIN_DATABASE_URL}: ${error.message}`);
  });
  // Without a second cluster the specs that need it fail on their own; nothing to tidy here.
  await withSecondAdmin(dropLeftovers).catch(() => undefined);
  await migrateDatabase(databaseUrl(TEMPLATE_DATABASE));
};
