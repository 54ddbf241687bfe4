import { performance } from 'node:perf_hooks';

import { buildStandardDeclarations } from '../src/standard-objects/standard-objects';
import { getVersionSnapshot, serializeSnapshot } from '../src/standard-objects/version-snapshots';

/**
 * Start-up cost of validating the standard declarations, against the floor of reading the same
 * declared state from its frozen JSON snapshot.
 */
export const declarationsBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const iterations = Number(args[0] ?? 200);
  const text = serializeSnapshot(getVersionSnapshot('0.23'));

  const time = (work: () => unknown): number => {
    const start = performance.now();
    for (let i = 0; i < iterations; i += 1) work();
    return (performance.now() - start) / iterations;
  };
  time(buildStandardDeclarations);
  const buildMs = time(buildStandardDeclarations);
  const parseMs = time(() => JSON.parse(text));
  return {
    iterations,
    buildAndValidateMs: Number(buildMs.toFixed(3)),
    baselineJsonParseMs: Number(parseMs.toFixed(3)),
    ratio: Number((buildMs / parseMs).toFixed(2)),
  };
};
