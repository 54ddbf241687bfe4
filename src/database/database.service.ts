import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { DatabaseError } from './database.error';
import type { EmbeddedDatabase } from './embedded-database';
import { CORE_MIGRATIONS } from './migrations';

export const MIGRATIONS_TABLE = 'metadata_sync_migrations';

export interface ConnectOptions {
  /** Number of pooled connections; forced to 1 on the embedded database (one session). */
  poolSize?: number;
  /** Skip the pending-migrations check (for the commands that migrate or reset). */
  allowPendingMigrations?: boolean;
  /** Where the line saying which database is used goes: stderr (a command's output) unless a service logs it. */
  announce?: (line: string) => void;
}

const describeServer = (url: string): string => {
  const parsed = new URL(url);
  return `PostgreSQL server at ${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
};

/**
 * The service's data source, not connected: without DATABASE_URL it has no URL until the embedded
 * database is started, and its pool has no size until a command says how many connections it needs.
 * `client`: the pg client class of the pool (fault injection); pg's own when undefined.
 */
export const createDataSource = (config: AppConfig, client?: typeof Client): DataSource =>
  new DataSource({
    type: 'postgres',
    url: config.DATABASE_URL,
    migrations: CORE_MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: { application_name: 'workspace-metadata-sync', ...(client ? { Client: client } : {}) },
  });

/**
 * The one way into the database. Connects the data source lazily (so `--help` needs no database),
 * says once which database it uses, and refuses to hand out a connection while core migrations
 * are pending.
 */
@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  private embedded: EmbeddedDatabase | undefined;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  get isEmbedded(): boolean {
    return !this.config.DATABASE_URL;
  }

  async connect(options: ConnectOptions = {}): Promise<DataSource> {
    if (!this.dataSource.isInitialized) {
      await this.open(options.poolSize ?? 1, options.announce ?? ((line) => process.stderr.write(`${line}\n`)));
    }
    if (!options.allowPendingMigrations) {
      await this.ensureMigrated(this.dataSource);
    }
    return this.dataSource;
  }

  /** Applies pending core migrations; returns the names of those it ran. */
  async migrate(): Promise<string[]> {
    const dataSource = await this.connect({ allowPendingMigrations: true });
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return applied.map((migration) => migration.name);
  }

  /** Drops every workspace schema and the core schema, then migrates again. */
  async reset(): Promise<{ droppedSchemas: string[]; migrations: string[] }> {
    const dataSource = await this.connect({ allowPendingMigrations: true });
    const rows: Array<{ name: string }> = await dataSource.query(
      `SELECT nspname AS name FROM pg_namespace
        WHERE nspname IN ('core', 'metadata') OR nspname ~ '^workspace_[a-z0-9]+$'
        ORDER BY nspname`,
    );
    await dataSource.transaction(async (manager) => {
      for (const { name } of rows) {
        await manager.query(`DROP SCHEMA "${name.replace(/"/g, '""')}" CASCADE`);
      }
      await manager.query(`DROP TABLE IF EXISTS public."${MIGRATIONS_TABLE}"`);
    });
    const migrations = await this.migrate();
    return { droppedSchemas: rows.map((row) => row.name), migrations };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    const { embedded } = this;
    this.embedded = undefined;
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
    await embedded?.stop();
  }

  /**
   * The core migrations not applied yet, asked of the database (so it also says whether the
   * database answers: it throws when it does not). For readiness checks of a connected service.
   */
  async pendingMigrationsNow(): Promise<string[]> {
    if (!this.dataSource.isInitialized) throw new DatabaseError('CONNECTION_FAILED', 'not connected to the database yet');
    return this.pendingMigrations(this.dataSource);
  }

  private async open(poolSize: number, announce: (line: string) => void): Promise<void> {
    let url = this.config.DATABASE_URL;
    if (!url) {
      // Loaded only when used: a run on a PostgreSQL server starts without PGlite.
      const { EmbeddedDatabase } = await import('./embedded-database');
      this.embedded = await EmbeddedDatabase.start(this.config.DATA_DIR);
      url = this.embedded.url;
      announce(`Database: embedded PostgreSQL (PGlite) in ${this.embedded.dataDir}`);
    } else {
      announce(`Database: ${describeServer(url)}`);
    }
    // PostgresDriver reads url and extra from the data source's options when it connects. pg's
    // pool closes a connection once it has been checked out maxUses times (a workspace's work
    // checks one out once), which keeps each server process's catalog cache bounded.
    const recycleAfter = this.embedded || this.config.DATABASE_RECYCLE_AFTER === 0 ? undefined : this.config.DATABASE_RECYCLE_AFTER;
    this.dataSource.setOptions({
      url,
      extra: { ...this.dataSource.options.extra, max: this.embedded ? 1 : Math.max(1, poolSize), maxUses: recycleAfter },
    });
    try {
      await this.dataSource.initialize();
    } catch (error) {
      await this.embedded?.stop();
      this.embedded = undefined;
      throw new DatabaseError(
        'CONNECTION_FAILED',
        `Could not connect to the database: ${(error as Error).message}. Check DATABASE_URL and that the server is running.`,
      );
    }
  }

  private async ensureMigrated(dataSource: DataSource): Promise<void> {
    const pending = await this.pendingMigrations(dataSource);
    if (pending.length === 0) {
      return;
    }
    if (this.embedded) {
      await dataSource.runMigrations({ transaction: 'all' });
      return;
    }
    throw new DatabaseError(
      'MIGRATIONS_PENDING',
      `${pending.length} database migration(s) pending (${pending.join(', ')}). ` + 'Run `npm run command:prod -- database:migrate` first.',
    );
  }

  private async pendingMigrations(dataSource: DataSource): Promise<string[]> {
    const [{ exists }] = await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`public.${MIGRATIONS_TABLE}`]);
    const applied = new Set<string>(
      exists ? (await dataSource.query(`SELECT name FROM public."${MIGRATIONS_TABLE}"`)).map((row: { name: string }) => row.name) : [],
    );
    return dataSource.migrations.map((migration) => migration.name!).filter((name) => !applied.has(name));
  }
}
