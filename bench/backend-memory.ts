import { readFileSync } from 'node:fs';

import { Client } from 'pg';

/**
 * Resident memory of one process, from /proc/<pid>/status: all of it (`VmRSS`); all of it but the
 * pages of PostgreSQL's shared buffer pool it touched (`RssShmem`, one pool counted again in every
 * process), that is `RssAnon` + `RssFile` (private memory, and the mapped program and libraries);
 * and its private part alone.
 */
const residentMb = (pid: number): { rssMb: number; ownMb: number; anonMb: number } | null => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, ownMb: (kb('RssAnon') + kb('RssFile')) / 1024, anonMb: kb('RssAnon') / 1024 };
  } catch {
    // The process ended between the listing and the read.
    return null;
  }
};

export interface BackendMemory {
  /** The largest VmRSS of one server process of the service (shared buffers it touched included). */
  peakRssMb: number;
  /** The same while at most `checkpoint` workspaces were done (when counted). */
  peakRssAtCheckpointMb: number | null;
  /** The largest resident memory of one server process but the shared buffer pool (RssAnon + RssFile). */
  peakOwnMb: number;
  /** The same while at most `checkpoint` workspaces were done (when counted). */
  peakOwnAtCheckpointMb: number | null;
  /** The largest private memory (RssAnon) of one server process: where its catalog cache lives. */
  peakAnonMb: number;
  /** The largest private memory seen while at most `checkpoint` workspaces were done (when counted). */
  peakAnonAtCheckpointMb: number | null;
  /** Server processes of the service seen in all. */
  processes: number;
  samples: number;
}

/** The application_name the service's connections carry. */
export const SERVICE_APPLICATION_NAME = 'workspace-metadata-sync';

/**
 * Samples, every `everyMs` until stopped, the memory of the PostgreSQL server processes that serve
 * the service (or the connections named `applicationName`) on the database at `url`. PostgreSQL must
 * run on this machine (the figures come from /proc). `done`, when given, is a query of that
 * database counting the workspaces done so far, to tell the peak at `checkpoint` workspaces from
 * the peak at the end.
 */
export const sampleBackendMemory = async (
  url: string,
  options: { everyMs?: number; done?: string; checkpoint?: number; applicationName?: string } = {},
): Promise<{ stop: () => Promise<BackendMemory> }> => {
  const database = new URL(url).pathname.slice(1);
  const client = new Client({ connectionString: url });
  await client.connect();
  const result: BackendMemory = {
    peakRssMb: 0,
    peakRssAtCheckpointMb: null,
    peakOwnMb: 0,
    peakOwnAtCheckpointMb: null,
    peakAnonMb: 0,
    peakAnonAtCheckpointMb: null,
    processes: 0,
    samples: 0,
  };
  const seen = new Set<number>();
  let stopped = false;
  const sample = async () => {
    const { rows } = await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`, [
      database,
      options.applicationName ?? SERVICE_APPLICATION_NAME,
    ]);
    const done = options.done ? Number((await client.query<{ n: string }>(options.done)).rows[0].n) : null;
    let rss = 0;
    let anon = 0;
    let own = 0;
    for (const { pid } of rows) {
      seen.add(pid);
      const memory = residentMb(pid);
      if (!memory) continue;
      rss = Math.max(rss, memory.rssMb);
      own = Math.max(own, memory.ownMb);
      anon = Math.max(anon, memory.anonMb);
    }
    result.peakRssMb = Math.max(result.peakRssMb, rss);
    result.peakOwnMb = Math.max(result.peakOwnMb, own);
    result.peakAnonMb = Math.max(result.peakAnonMb, anon);
    if (done !== null && options.checkpoint !== undefined && done <= options.checkpoint) {
      result.peakRssAtCheckpointMb = Math.max(result.peakRssAtCheckpointMb ?? 0, rss);
      result.peakOwnAtCheckpointMb = Math.max(result.peakOwnAtCheckpointMb ?? 0, own);
      result.peakAnonAtCheckpointMb = Math.max(result.peakAnonAtCheckpointMb ?? 0, anon);
    }
    result.samples += 1;
  };
  let failure: unknown = null;
  const loop = (async () => {
    while (!stopped) {
      await sample();
      await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 200));
    }
  })().catch((error: unknown) => {
    failure = error;
  });
  return {
    stop: async () => {
      stopped = true;
      await loop;
      await client.end();
      if (failure) throw failure;
      result.processes = seen.size;
      const rounded = (value: number) => Math.round(value * 10) / 10;
      const atCheckpoint = (value: number | null) => (value === null ? null : rounded(value));
      return {
        ...result,
        peakRssMb: rounded(result.peakRssMb),
        peakRssAtCheckpointMb: atCheckpoint(result.peakRssAtCheckpointMb),
        peakOwnMb: rounded(result.peakOwnMb),
        peakOwnAtCheckpointMb: atCheckpoint(result.peakOwnAtCheckpointMb),
        peakAnonMb: rounded(result.peakAnonMb),
        peakAnonAtCheckpointMb: atCheckpoint(result.peakAnonAtCheckpointMb),
      };
    },
  };
};
