import { LiveSchema } from '../../metadata/actual-state';
import { Hazard, PlanAction, Refusal } from '../plan';

const DEFAULT_LARGE_TABLE_ROWS = 100_000;

/** What the operator allowed (--allow-hazards), and which tables are large enough for a locking scan to block writers. */
export class HazardPolicy {
  private readonly allowed: ReadonlySet<Hazard>;
  private readonly largeTableRows: number;

  constructor(
    private readonly live: LiveSchema,
    options: { allowHazards?: ReadonlySet<Hazard>; largeTableRows?: number },
  ) {
    this.allowed = options.allowHazards ?? new Set();
    this.largeTableRows = options.largeTableRows ?? DEFAULT_LARGE_TABLE_ROWS;
  }

  allows(hazard: Hazard): boolean {
    return this.allowed.has(hazard);
  }

  /** More (estimated) rows than `largeTableRows`: a locking scan or index build counts as BLOCKS_WRITES. */
  isLarge(tableName: string): boolean {
    return (this.live.tables.get(tableName)?.estimatedRows ?? 0) > this.largeTableRows;
  }

  /** A refusal for each action whose hazard is not allowed, in the actions' order. */
  refusals(actions: ReadonlyArray<Pick<PlanAction, 'hazard' | 'object' | 'field' | 'summary'>>): Refusal[] {
    return actions
      .filter((action) => action.hazard && !this.allows(action.hazard))
      .map((action) => ({
        hazard: action.hazard!,
        object: action.object,
        field: action.field,
        message: `${action.summary}: this is ${action.hazard}; pass --allow-hazards ${action.hazard} to apply it`,
      }));
  }
}
