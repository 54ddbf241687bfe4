import { Inject, Injectable } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import { CheckResults } from '../observability/operations-server';
import { ensureRedisReachable } from './workspace-queue';

/** A check that has not answered by then counts as down: a probe must answer before its own timeout. */
const CHECK_TIMEOUT_MS = 3_000;

const withinTimeout = async <T>(work: Promise<T>, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Whether this process can do its work now: the database answers, its core migrations are all
 * applied, and Redis answers when REDIS_URL is set. What /readyz of the HTTP service and of a
 * worker reports.
 */
@Injectable()
export class ReadinessService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DatabaseService) private readonly database: DatabaseService,
  ) {}

  async check(): Promise<CheckResults> {
    return { ...(await this.checkDatabase()), ...(await this.checkRedis()) };
  }

  /** Redis answers, when REDIS_URL is set (no check otherwise). */
  async checkRedis(): Promise<CheckResults> {
    if (!this.config.REDIS_URL) return {};
    try {
      await withinTimeout(ensureRedisReachable(this.config.REDIS_URL), 'Redis');
      return { redis: { status: 'up' } };
    } catch (error) {
      return { redis: { status: 'down', message: (error as Error).message } };
    }
  }

  /** The database answers and its core migrations are all applied (of each server, when there are several). */
  async checkDatabase(): Promise<CheckResults> {
    try {
      const pending = await withinTimeout(this.database.pendingMigrationsNow(), 'the database');
      return {
        database: { status: 'up' },
        migrations:
          pending.length === 0
            ? { status: 'up' }
            : { status: 'down', message: `${pending.length} pending (${pending.join(', ')}): run database:migrate` },
      };
    } catch (error) {
      return {
        database: { status: 'down', message: (error as Error).message },
        migrations: { status: 'down', message: 'unknown while the database does not answer' },
      };
    }
  }
}
