import { DatabaseOutage, retryOnConnectionLoss, retryWorkOnConnectionLoss } from './connection-retry';

const lost = () => new Error('Connection terminated unexpectedly');

describe('retryOnConnectionLoss', () => {
  it('runs the work again after a lost connection until it succeeds', async () => {
    let attempts = 0;
    const result = await retryOnConnectionLoss(
      async () => {
        attempts += 1;
        if (attempts < 3) throw lost();
        return 'done';
      },
      () => false,
      60_000,
    );
    expect({ result, attempts }).toEqual({ result: 'done', attempts: 3 });
  });

  it('does not retry another error', async () => {
    let attempts = 0;
    const failing = retryOnConnectionLoss(
      async () => {
        attempts += 1;
        throw new Error('relation "x" does not exist');
      },
      () => false,
      60_000,
    );
    await expect(failing).rejects.toThrow('relation "x" does not exist');
    expect(attempts).toBe(1);
  });

  it('with a bound of 0, gives the first answer', async () => {
    let attempts = 0;
    const failing = retryOnConnectionLoss(
      async () => {
        attempts += 1;
        throw lost();
      },
      () => false,
      0,
    );
    await expect(failing).rejects.toThrow('Connection terminated unexpectedly');
    expect(attempts).toBe(1);
  });

  it('retries a workspace whose outcome reports a lost connection, not one that failed for another reason', async () => {
    const outcomes = [
      { status: 'failed' as const, detail: null, message: 'database connection lost (Connection terminated); run the command again' },
      { status: 'succeeded' as const, detail: null, message: null },
    ];
    expect(await retryWorkOnConnectionLoss(async () => outcomes.shift()!, 60_000)).toEqual({
      status: 'succeeded',
      detail: null,
      message: null,
    });
    let attempts = 0;
    const refused = await retryWorkOnConnectionLoss(async () => {
      attempts += 1;
      return { status: 'failed' as const, detail: null, message: 'metadata and tables have drifted apart' };
    }, 60_000);
    expect({ status: refused.status, attempts }).toEqual({ status: 'failed', attempts: 1 });
  });

  it('says once that the database is unreachable and once that it is back, whatever the workspaces and attempts waiting', async () => {
    const lines: string[] = [];
    const outage = new DatabaseOutage((line) => lines.push(line));
    let down = 5;
    const work = () =>
      retryWorkOnConnectionLoss(
        async () => {
          if (down > 0) {
            down -= 1;
            return {
              status: 'failed' as const,
              detail: null,
              message: 'database connection lost (Connection terminated); run the command again',
            };
          }
          return { status: 'succeeded' as const, detail: null, message: null };
        },
        15_000,
        outage,
      );
    const read = retryOnConnectionLoss(
      async () => {
        if (down > 0) throw lost();
        return 'page';
      },
      () => false,
      15_000,
      outage,
    );
    expect(await Promise.all([work(), work(), read])).toEqual([
      { status: 'succeeded', detail: null, message: null },
      { status: 'succeeded', detail: null, message: null },
      'page',
    ]);
    expect(lines).toEqual([
      expect.stringMatching(
        /^database unreachable \(Connection terminated( unexpectedly)?\), retrying for up to 15 s \(DATABASE_RETRY_MS\)$/,
      ),
      'database reachable again',
    ]);

    // A later outage is said again; work that never lost its connection says nothing.
    expect(
      await retryOnConnectionLoss(
        async () => 'fine',
        () => false,
        15_000,
        outage,
      ),
    ).toBe('fine');
    down = 1;
    await work();
    expect(lines).toHaveLength(4);
  });
});
