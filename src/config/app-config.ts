import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { config as loadDotenv } from 'dotenv';

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The service's environment, validated once at start-up. `.env.example` documents each variable. */
export class AppConfig {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /**
   * The database servers besides the main one (DATABASE_URL), as `name=url,name=url`; parsed and
   * checked by `databaseServersOf`. Empty: the main server only.
   */
  @IsOptional()
  @IsString()
  DATABASE_SERVERS?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Transform(({ value }) => (value === undefined || value === '' ? 3000 : Number(value)))
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(1)
  @Max(65535)
  PORT: number;

  @Transform(({ value }) => (value === undefined || value === '' ? 'info' : String(value).toLowerCase()))
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel;

  @Transform(({ value }) => (value === undefined || value === '' ? '.data' : value))
  @IsString()
  DATA_DIR: string;

  /**
   * How long one workspace's work is retried, with backoff, after its database connection was lost
   * (a server restart or failover) before it is reported failed. 0: not retried.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 15_000 : Number(value)))
  @IsInt({ message: 'DATABASE_RETRY_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'DATABASE_RETRY_MS must be 0 (no retry) or more' })
  DATABASE_RETRY_MS: number;

  /**
   * Uses (one workspace's work, or one read of the walk) after which a pooled connection is closed
   * and a new one opened: PostgreSQL caches the catalog of every schema a connection touches, so a
   * connection that walks a fleet grows with it. 0: never recycled.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 100 : Number(value)))
  @IsInt({ message: 'DATABASE_RECYCLE_AFTER must be a whole number of uses' })
  @Min(0, { message: 'DATABASE_RECYCLE_AFTER must be 0 (never recycle) or more' })
  DATABASE_RECYCLE_AFTER: number;

  /** How long a queued run waits for Redis when it stops answering before it gives up (exit 1). */
  @Transform(({ value }) => (value === undefined || value === '' ? 30_000 : Number(value)))
  @IsInt({ message: 'REDIS_RETRY_MS must be a whole number of milliseconds' })
  @Min(1, { message: 'REDIS_RETRY_MS must be at least 1' })
  REDIS_RETRY_MS: number;

  /**
   * How often (ms) a walk that is not on a terminal logs its progress, and a long step (a data
   * move, a backfill, an index build) its rows done; a terminal shows both as bars. 0: every batch.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 10_000 : Number(value)))
  @IsInt({ message: 'PROGRESS_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'PROGRESS_INTERVAL_MS must be 0 (every batch) or more' })
  PROGRESS_INTERVAL_MS: number;

  /** Port of a worker's /healthz, /readyz and /metrics. */
  @Transform(({ value }) => (value === undefined || value === '' ? 9464 : Number(value)))
  @IsInt({ message: 'WORKER_PORT must be a whole number' })
  @Min(0, { message: 'WORKER_PORT must be from 0 (any free port) to 65535' })
  @Max(65535, { message: 'WORKER_PORT must be from 0 (any free port) to 65535' })
  WORKER_PORT: number;

  /** The HTTP service's admin token: creates workspaces and their API keys. Unset: no admin access. */
  @IsOptional()
  @Matches(/^\S{32,}$/, { message: 'ADMIN_API_KEY must be at least 32 characters without spaces (e.g. openssl rand -hex 32)' })
  ADMIN_API_KEY?: string;
}

/** The provider of AppConfig.ADMIN_API_KEY, for the service that checks tokens against it. */
export const ADMIN_API_KEY = Symbol('ADMIN_API_KEY');

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const loadAppConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  if (env === process.env) {
    loadDotenv({ quiet: true });
  }
  const read = (key: keyof AppConfig): string | undefined => (env[key] === '' ? undefined : env[key]);
  const raw: Record<keyof AppConfig, string | undefined> = {
    DATABASE_URL: read('DATABASE_URL'),
    DATABASE_SERVERS: read('DATABASE_SERVERS'),
    REDIS_URL: read('REDIS_URL'),
    PORT: read('PORT'),
    LOG_LEVEL: read('LOG_LEVEL'),
    DATA_DIR: read('DATA_DIR'),
    ADMIN_API_KEY: read('ADMIN_API_KEY'),
    DATABASE_RETRY_MS: read('DATABASE_RETRY_MS'),
    REDIS_RETRY_MS: read('REDIS_RETRY_MS'),
    PROGRESS_INTERVAL_MS: read('PROGRESS_INTERVAL_MS'),
    WORKER_PORT: read('WORKER_PORT'),
    DATABASE_RECYCLE_AFTER: read('DATABASE_RECYCLE_AFTER'),
  };
  const config = plainToInstance(AppConfig, raw);
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}. Fix the environment or .env (see .env.example).`);
  }
  databaseServersOf(config);
  return config;
};

/** The name of the server at DATABASE_URL in the directory of servers. */
export const MAIN_SERVER = 'main';

/** A database server of the directory: its name (as `--server` takes it) and its URL. */
export interface DatabaseServerEntry {
  name: string;
  url: string;
}

/** Host, port and database of a URL: two entries with the same would hold the same workspaces. */
const databaseOf = (url: string): string => {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return url;
  }
};

const SERVER_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

/**
 * The directory of database servers: the main one (DATABASE_URL, named `main`) first, then those
 * of DATABASE_SERVERS in their order. Throws a ConfigError naming what is wrong in DATABASE_SERVERS.
 */
export const databaseServersOf = (config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_SERVERS'>): DatabaseServerEntry[] => {
  const main = config.DATABASE_URL ? [{ name: MAIN_SERVER, url: config.DATABASE_URL }] : [];
  const value = config.DATABASE_SERVERS?.trim();
  if (!value) return main;
  const fix = 'Set DATABASE_SERVERS to name=postgres://...,name=postgres://... (see .env.example).';
  if (!config.DATABASE_URL) {
    throw new ConfigError(
      `Invalid configuration: DATABASE_SERVERS needs DATABASE_URL (the main server); the embedded database is one server only. Set DATABASE_URL, or leave DATABASE_SERVERS empty.`,
    );
  }
  const servers = [...main];
  for (const item of value.split(',')) {
    const at = item.indexOf('=');
    const name = at < 0 ? '' : item.slice(0, at).trim();
    const url = at < 0 ? '' : item.slice(at + 1).trim();
    if (!SERVER_NAME.test(name)) {
      throw new ConfigError(
        `Invalid configuration: DATABASE_SERVERS entry "${item.trim().slice(0, 80)}" needs a name of lower-case letters, digits, - or _ (starting with a letter, at most 40), then =, then its URL. ${fix}`,
      );
    }
    if (!/^postgres(ql)?:\/\/\S+$/.test(url)) {
      throw new ConfigError(`Invalid configuration: DATABASE_SERVERS entry ${name} must have a postgres:// or postgresql:// URL. ${fix}`);
    }
    if (servers.some((server) => server.name === name)) {
      throw new ConfigError(
        `Invalid configuration: DATABASE_SERVERS names ${name} twice${name === MAIN_SERVER ? ` (${MAIN_SERVER} is DATABASE_URL's server)` : ''}. ${fix}`,
      );
    }
    const same = servers.find((server) => databaseOf(server.url) === databaseOf(url));
    if (same) {
      throw new ConfigError(`Invalid configuration: DATABASE_SERVERS entry ${name} is the database of ${same.name} again. ${fix}`);
    }
    servers.push({ name, url });
  }
  return servers;
};
