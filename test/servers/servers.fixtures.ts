import { Client } from 'pg';

import { createSecondTestDatabase, Relay, SECOND_ADMIN_URL } from '../utils/second-server';
import { createTestDatabase, TestDatabase, urlOn } from '../utils/test-database';

export const versionsOf = async (url: string): Promise<Record<string, string>> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ displayName: string; version: string }>(`SELECT "displayName", version FROM core.workspace`);
    return Object.fromEntries(rows.map((row) => [row.displayName, row.version]));
  } finally {
    await client.end();
  }
};

export interface TwoServers {
  main: TestDatabase;
  /** The second server's database, reached directly (for assertions). */
  secondUrl: string;
  secondName: string;
  /** The relay in front of the second server: down() makes it stop answering. */
  relay: Relay;
  /** DATABASE_URL (main), DATABASE_SERVERS (eu2, through the relay), DATABASE_RETRY_MS 0. */
  env: Record<string, string>;
}

/**
 * Two database servers for the describe that calls it: a database of its own on the main cluster
 * (`migrated: false`: empty) and one on the second cluster, reached through a relay.
 */
export const useTwoServers = (options: { migrated?: boolean } = {}): TwoServers => {
  const servers = { relay: new Relay() } as TwoServers;
  let second: TestDatabase | undefined;
  beforeAll(async () => {
    servers.main = await createTestDatabase({ migrated: options.migrated });
    second = await createSecondTestDatabase();
    servers.secondName = second.name;
    servers.secondUrl = second.url;
    await servers.relay.up();
    servers.env = {
      DATABASE_URL: servers.main.url,
      DATABASE_SERVERS: `eu2=${urlOn(SECOND_ADMIN_URL, servers.secondName, servers.relay.port)}`,
      DATABASE_RETRY_MS: '0',
    };
  });
  afterAll(async () => {
    await servers.relay.down();
    await servers.main?.drop();
    await second?.drop();
  });
  return servers;
};
