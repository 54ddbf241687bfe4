import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { DeclaredSchema } from '../src/declarations/declared-schema';
import { buildStandardDeclarations } from '../src/standard-objects/standard-objects';
import { buildDesiredState } from '../src/sync/desired-state';
import { WorkspaceCreationService } from '../src/workspace/workspace-creation.service';
import { median, openBenchDatabase, round } from './bench-database';
import { creationScript } from './bench-fleet';
import { buildSyntheticDeclarations, syntheticSetSize } from './synthetic-declarations';

/** Median creation time of `declared` against the same plan as one raw script, after two warm-up rounds. */
export const measureCreation = async (
  declared: DeclaredSchema,
  iterations: number,
  target = 'ratio <= 1.5',
): Promise<Record<string, unknown>> => {
  const database = await openBenchDatabase();
  try {
    const desired = buildDesiredState(declared);
    const service = new WorkspaceCreationService(database.dataSource, declared);
    const measured: number[] = [];
    const baseline: number[] = [];
    let statements = 0;
    for (let i = 0; i < iterations + 2; i += 1) {
      const start = performance.now();
      await service.create({ displayName: `bench ${i}`, prefill: false });
      const createMs = performance.now() - start;

      const raw = creationScript(declared, desired, randomUUID(), `raw ${i}`);
      statements = raw.statements;
      const rawStart = performance.now();
      await database.dataSource.query(raw.script);
      const rawMs = performance.now() - rawStart;
      // The first two rounds warm caches and connections on both sides.
      if (i >= 2) {
        measured.push(createMs);
        baseline.push(rawMs);
      }
    }
    const createMs = median(measured);
    const rawMs = median(baseline);
    return {
      iterations,
      planStatements: statements,
      createMedianMs: round(createMs),
      baselineRawScriptMedianMs: round(rawMs),
      ratio: round(createMs / rawMs),
      target,
    };
  } finally {
    await database.drop();
  }
};

/**
 * Creating one workspace with the standard set (no prefill records) against the floor: the same
 * plan's DDL and metadata inserts, rendered to one raw SQL script and sent in one round trip.
 */
export const createBenchmark = async (args: string[]): Promise<Record<string, unknown>> =>
  measureCreation(buildStandardDeclarations(), Number(args[0] ?? 20));

/**
 * The same with the synthetic set of a real CRM's size (bench/synthetic-declarations.ts: 37
 * objects, about 900 fields, 167 relations).
 */
export const createSyntheticBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const declared = buildSyntheticDeclarations('v1');
  return { ...syntheticSetSize(declared), ...(await measureCreation(declared, Number(args[0] ?? 10))) };
};
