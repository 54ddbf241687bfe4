import { isStaged, planStages } from './rollout';

const shape = (stages: ReturnType<typeof planStages>) => stages.map(({ name, size, maxFailures }) => [name, size, maxFailures]);

describe('planStages', () => {
  it('without a rollout: one stage of everything, halting at the first failure unless the run continues on error', () => {
    expect(shape(planStages(50, undefined, false))).toEqual([['all', 50, 0]]);
    expect(shape(planStages(50, undefined, true))).toEqual([['all', 50, Infinity]]);
    expect(isStaged(undefined)).toBe(false);
    expect(isStaged({ stages: [{ percent: 10 }] })).toBe(true);
  });

  it('1,10%,100% of 200: stage ends at 1, 20 and 200 workspaces', () => {
    const stages = planStages(200, { stages: [{ count: 1 }, { percent: 10 }, { percent: 100 }] }, false);
    expect(shape(stages)).toEqual([
      ['stage 1 of 3 (1)', 1, 0],
      ['stage 2 of 3 (10%)', 19, 0],
      ['stage 3 of 3 (100%)', 180, 0],
    ]);
  });

  it('a canary comes first; the stages split the rest, a last stage takes what they leave, an empty stage is dropped', () => {
    const stages = planStages(23, { canary: 3, stages: [{ percent: 1 }, { count: 1 }, { percent: 50 }], maxFailures: { count: 2 } }, false);
    expect(stages.map(({ name, size, maxFailures, requiresSuccess }) => [name, size, maxFailures, requiresSuccess])).toEqual([
      ['canary', 3, 0, true],
      ['stage 1 of 3 (1%)', 1, 2, false],
      ['stage 2 of 3 (50%)', 9, 2, false],
      ['stage 3 of 3 (the rest)', 10, 2, false],
    ]);
  });

  it('--max-failures as a percentage is of each stage, rounded down; the canary ids set its size', () => {
    const stages = planStages(
      100,
      { canaryWorkspaceIds: ['a', 'b'], stages: [{ count: 8 }, { percent: 100 }], maxFailures: { percent: 25 } },
      true,
    );
    expect(shape(stages)).toEqual([
      ['canary', 2, 0],
      ['stage 1 of 2 (8)', 8, 2],
      ['stage 2 of 2 (100%)', 90, 22],
    ]);
  });

  it('a canary larger than the fleet takes all of it; --max-failures alone bounds one stage', () => {
    expect(shape(planStages(2, { canary: 5 }, false))).toEqual([
      ['canary', 2, 0],
      ['the rest', 0, 0],
    ]);
    expect(shape(planStages(40, { maxFailures: { percent: 10 } }, false))).toEqual([['all', 40, 4]]);
  });
});
