/** A number of workspaces, or a share (percent) of them. */
export type RolloutAmount = { count: number } | { percent: number };

/** How a walk rolls out over the fleet: a canary first, then stages, each with the failures it tolerates. */
export interface Rollout {
  /** The first n workspaces (in id order) run first; the rest only if every one of them succeeded. */
  canary?: number;
  /** These workspaces run first, as the canary, then the rest of the selection. */
  canaryWorkspaceIds?: string[];
  /** Where each stage ends, counted over the workspaces after the canary (cumulative: 1,10%,100%). */
  stages?: RolloutAmount[];
  /** Failures a stage tolerates; one more halts the run. Default: 0, or no bound with --continue-on-error. */
  maxFailures?: RolloutAmount;
}

export interface FleetStage {
  /** As the run reports it: `canary`, `stage 2 of 3 (10%)`. */
  name: string;
  /** Workspaces the stage takes (the last one takes whatever is left, even if more were added). */
  size: number;
  /** Failures the stage tolerates; one more halts the run (Infinity: no bound). */
  maxFailures: number;
  /** The canary: anything but success (a failure, a workspace skipped) halts the run. */
  requiresSuccess: boolean;
}

export const formatAmount = (amount: RolloutAmount): string => ('percent' in amount ? `${amount.percent}%` : String(amount.count));

/** Whether the walk is staged at all (a run without any of these is one stage that halts as before). */
export const isStaged = (rollout: Rollout | undefined): boolean =>
  Boolean(rollout && (rollout.canary || rollout.canaryWorkspaceIds?.length || rollout.stages?.length || rollout.maxFailures));

const share = (amount: RolloutAmount, of: number): number =>
  'percent' in amount ? Math.ceil((of * amount.percent) / 100 - 1e-9) : Math.min(amount.count, of);

/**
 * The stages of a walk over `total` workspaces. The canary comes first; the stages split what is
 * left at their (cumulative) ends, an end at or before the previous one being no stage at all; when
 * the last end falls short of everything, a last stage takes the rest. A stage's percentage of
 * failures is of its own size, rounded down.
 */
export const planStages = (total: number, rollout: Rollout | undefined, continueOnError: boolean): FleetStage[] => {
  const stages: FleetStage[] = [];
  const canary = Math.min(total, rollout?.canaryWorkspaceIds?.length ?? rollout?.canary ?? 0);
  if (canary > 0) stages.push({ name: 'canary', size: canary, maxFailures: 0, requiresSuccess: true });
  const rest = total - canary;
  const ends: Array<{ end: number; label: string }> = [];
  for (const amount of rollout?.stages ?? []) {
    const end = share(amount, rest);
    if (end > (ends.at(-1)?.end ?? 0)) ends.push({ end, label: formatAmount(amount) });
  }
  if ((ends.at(-1)?.end ?? 0) < rest || ends.length === 0) ends.push({ end: rest, label: 'the rest' });
  const tolerated = (size: number): number =>
    rollout?.maxFailures
      ? 'percent' in rollout.maxFailures
        ? Math.floor((size * rollout.maxFailures.percent) / 100)
        : rollout.maxFailures.count
      : continueOnError
        ? Infinity
        : 0;
  let start = 0;
  for (const [index, { end, label }] of ends.entries()) {
    const size = end - start;
    stages.push({
      name: ends.length > 1 ? `stage ${index + 1} of ${ends.length} (${label})` : canary > 0 ? 'the rest' : 'all',
      size,
      maxFailures: tolerated(size),
      requiresSuccess: false,
    });
    start = end;
  }
  return stages;
};
