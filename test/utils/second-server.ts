import { randomBytes } from 'node:crypto';
import { createServer, connect, Server, Socket } from 'node:net';

import { Client } from 'pg';

import { TEST_DATABASE_PREFIX, TEST_RUN_ID, TestDatabase, urlOn, withClient } from './test-database';

/** The second PostgreSQL cluster (`.ci/run` starts it): the tests' other database server. */
export const SECOND_ADMIN_URL = process.env.TEST_DATABASE_SERVER2_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres';

export const withSecondAdmin = <T>(work: (client: Client) => Promise<T>): Promise<T> => withClient(SECOND_ADMIN_URL, work);

/** An empty database of this test run on the second cluster; drop it in afterAll. */
export const createSecondTestDatabase = async (): Promise<TestDatabase> => {
  const name = `${TEST_DATABASE_PREFIX}${TEST_RUN_ID}_${randomBytes(4).toString('hex')}`;
  await withSecondAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: urlOn(SECOND_ADMIN_URL, name),
    drop: () => withSecondAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
};

/**
 * A TCP relay to the second server that the test can take down (connection refused) and bring
 * back on the same port: a server that stops answering, without stopping the cluster other test
 * files use.
 */
export class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Connections accepted and never answered, as by a network that drops the packets. */
  private silent = false;
  port = 0;

  /** Ends the connections open and answers none from now on, accepting them still. */
  silence(): void {
    this.silent = true;
    this.sockets.forEach((socket) => socket.destroy());
  }

  /** Answers again (the connections left unanswered are ended). */
  speak(): void {
    this.silent = false;
    this.sockets.forEach((socket) => socket.destroy());
  }

  async up(): Promise<void> {
    const target = new URL(SECOND_ADMIN_URL);
    this.server = createServer((socket) => {
      if (this.silent) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => this.sockets.delete(socket));
        return;
      }
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
