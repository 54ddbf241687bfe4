import type { Redis } from 'ioredis';

/** "Redis at host:port", as every line about it names it. */
export const describeRedis = (url: string): string => {
  const parsed = new URL(url);
  return `Redis at ${parsed.hostname}:${parsed.port || '6379'}`;
};

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNABORTED']);

/** An error of a lost or refused Redis connection, as opposed to one of a command. */
export const isRedisConnectionError = (error: Error): boolean =>
  CONNECTION_ERROR_CODES.has((error as { code?: string }).code ?? '') || /Connection is closed|Stream isn't writeable/.test(error.message);

export interface RedisWatchEvents {
  /** Once per outage, with the reason of the first failed reconnection. */
  onLost: (reason: string) => void;
  /** Once when Redis answers again after onLost. */
  onBack: () => void;
}

/**
 * A connection of its own that only watches whether Redis answers: the queue's clients reconnect
 * on their own and would otherwise report every failed attempt. It says once that Redis is lost,
 * once that it is back, and for how long it has been down.
 */
export class RedisWatch {
  private downSince: number | null = null;
  private reported = false;
  private lastReason = 'connection closed';

  private constructor(
    private readonly redis: Redis,
    events: RedisWatchEvents,
  ) {
    redis.on('close', () => (this.downSince ??= Date.now()));
    redis.on('error', (error: Error) => {
      this.lastReason = error.message;
      this.downSince ??= Date.now();
      if (this.reported) return;
      this.reported = true;
      events.onLost(error.message);
    });
    redis.on('ready', () => {
      this.downSince = null;
      if (!this.reported) return;
      this.reported = false;
      events.onBack();
    });
  }

  static async open(url: string, events: RedisWatchEvents): Promise<RedisWatch> {
    const { default: IORedis } = await import('ioredis');
    // Reconnects for ever, at most a second apart: it is the watch, not the one that gives up.
    const redis = new IORedis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: null,
      retryStrategy: (times) => Math.min(times * 100, 1_000),
    });
    const watch = new RedisWatch(redis, events);
    await redis.connect();
    return watch;
  }

  /** How long Redis has not answered, in ms; 0 while it does. */
  get downForMs(): number {
    return this.downSince === null ? 0 : Date.now() - this.downSince;
  }

  /** The reason of the last failed connection. */
  get reason(): string {
    return this.lastReason;
  }

  close(): void {
    this.redis.disconnect();
  }
}
