import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

import { DatabaseError } from './database.error';
import { unpackEmbeddedTemplate } from './embedded-template';

/**
 * PostgreSQL's default of 128 MB of shared buffers is memory a WebAssembly instance keeps for good;
 * one user's embedded database does well with 16 MB.
 */
const SHARED_BUFFERS = '16MB';

/**
 * PGlite stored on disk and served over the Postgres wire protocol on a loopback port, so that
 * `pg` and TypeORM run unchanged. PGlite is one session: callers use a single connection.
 */
export class EmbeddedDatabase {
  private constructor(
    readonly dataDir: string,
    readonly url: string,
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedDatabase> {
    const directory = resolve(dataDir, 'pglite');
    try {
      // A new data directory starts from the template archive instead of running initdb here.
      await unpackEmbeddedTemplate(directory);
      mkdirSync(directory, { recursive: true });
      const db = await PGlite.create(directory, {
        startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
      });
      const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1' });
      await server.start();
      return new EmbeddedDatabase(directory, `postgres://postgres@${server.getServerConn()}/postgres`, db, server);
    } catch (error) {
      throw new DatabaseError(
        'EMBEDDED_START_FAILED',
        `Could not start the embedded database in ${directory}: ${(error as Error).message}. ` +
          'Another process may be using it; stop that process, or set DATABASE_URL to use a PostgreSQL server.',
      );
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
