import { indexBuildProgress } from './index-build';

const counters = (phase: string, blocks: [number, number], tuples: [number, number]) => ({
  phase,
  blocksDone: blocks[0],
  blocksTotal: blocks[1],
  tuplesDone: tuples[0],
  tuplesTotal: tuples[1],
});

describe('indexBuildProgress', () => {
  it('counts blocks while a phase scans, tuples while it loads them, and none of the estimate while it waits', () => {
    expect(indexBuildProgress(counters('building index: scanning table', [120, 900], [0, 0]), 50_000)).toEqual({
      done: 120,
      total: 900,
      unit: 'blocks',
      phase: 'building index: scanning table',
    });
    expect(indexBuildProgress(counters('building index: loading tuples in tree', [900, 900], [20_000, 50_000]), 50_000)).toEqual({
      done: 20_000,
      total: 50_000,
      unit: 'rows',
      phase: 'building index: loading tuples in tree',
    });
    expect(indexBuildProgress(counters('waiting for writers before build', [0, 0], [0, 0]), 50_000)).toEqual({
      done: 0,
      total: 50_000,
      unit: 'rows',
      phase: 'waiting for writers before build',
    });
  });
});
