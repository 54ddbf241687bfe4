import { randomBytes } from 'node:crypto';
import { createServer, connect, Server, Socket } from 'node:net';

import { Client } from 'pg';

import { createTestDatabase, TEST_DATABASE_PREFIX, TEST_RUN_ID, TestDatabase } from '../utils/test-database';

/** The second PostgreSQL cluster (`.ci/run` starts it): the tests' other database server. */
export const SECOND_ADMIN_URL = process.env.TEST_DATABASE_SERVER2_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres';

export const withSecondAdmin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
  const client = new Client({ connectionString: SECOND_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

export const urlOn = (adminUrl: string, name: string, port?: number): string => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (port !== undefined) url.port = String(port);
  return url.toString();
};

/**
 * A TCP relay to the second server that the test can take down (connection refused) and bring
 * back on the same port: a server that stops answering, without stopping the cluster other test
 * files use.
 */
export class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async up(): Promise<void> {
    const target = new URL(SECOND_ADMIN_URL);
    this.server = createServer((socket) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const end of [socket, upstream]) {
        this.sockets.add(end);
        end.on('error', () => undefined);
        end.on('close', () => this.sockets.delete(end));
      }
      socket.pipe(upstream).pipe(socket);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async down(): Promise<void> {
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}

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
  beforeAll(async () => {
    servers.main = await createTestDatabase({ migrated: options.migrated });
    servers.secondName = `${TEST_DATABASE_PREFIX}${TEST_RUN_ID}_${randomBytes(4).toString('hex')}`;
    await withSecondAdmin((client) => client.query(`CREATE DATABASE "${servers.secondName}"`));
    servers.secondUrl = urlOn(SECOND_ADMIN_URL, servers.secondName);
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
    if (servers.secondName) await withSecondAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${servers.secondName}" WITH (FORCE)`));
  });
  return servers;
};
