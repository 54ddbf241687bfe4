import { ActualState } from '../../metadata/actual-state';
import { DesiredObject, DesiredState } from '../desired-state';
import { Hazard, PlannedAction, Refusal } from '../plan';
import { HazardPolicy } from './hazard.policy';
import { MetadataIds } from './metadata-ids';

export interface CompareOptions {
  /** Hazards the operator allowed (--allow-hazards). */
  allowHazards?: ReadonlySet<Hazard>;
  /** The command that migrates type changes for this workspace, named in the refusal. */
  upgradeCommand?: string | null;
  /** Above this many (estimated) rows, a locking scan or index build counts as BLOCKS_WRITES. */
  largeTableRows?: number;
  /**
   * Compare only the standard objects with these standardIds; the other objects of the desired
   * and actual states give their ids (relation targets) and are otherwise left alone.
   */
  compareOnly?: ReadonlySet<string>;
}

/** Statement order inside one transaction: drops of names first, creates before references, data drops last. */
export enum Phase {
  SCHEMA,
  RENAME,
  CREATE_OBJECT,
  FIELD,
  FOREIGN_KEY,
  INDEX,
  DROP,
  FINAL,
}

/**
 * One comparison of a desired state with a workspace's actual state: what the comparators of each
 * concept share (ids, hazard policy, refusals, renamed foreign keys) and the actions they plan.
 */
export class Comparison {
  readonly ids: MetadataIds;
  readonly hazards: HazardPolicy;
  readonly refusals: Refusal[] = [];
  /** Foreign keys renamed by this plan: old name -> new name. */
  readonly renamedForeignKeys = new Map<string, string>();
  private readonly phases = new Map<Phase, PlannedAction[]>();

  constructor(
    readonly desired: DesiredState,
    readonly actual: ActualState,
    readonly options: CompareOptions,
  ) {
    this.ids = new MetadataIds(actual.workspaceId, actual.objects);
    this.hazards = new HazardPolicy(actual.live, options);
  }

  /** The desired objects to compare: all, or those `compareOnly` names. */
  comparedObjects(): DesiredObject[] {
    const only = this.options.compareOnly;
    return only ? this.desired.objects.filter((object) => only.has(object.declared.standardId)) : this.desired.objects;
  }

  add(phase: Phase, action: Omit<PlannedAction, 'hazard' | 'preflight'> & Partial<Pick<PlannedAction, 'hazard' | 'preflight'>>): void {
    const list = this.phases.get(phase) ?? [];
    list.push({ hazard: null, preflight: [], ...action });
    this.phases.set(phase, list);
  }

  refuse(hazard: Hazard, object: string, field: string | null, message: string): void {
    this.refusals.push({ hazard, object, field, message });
  }

  /** The object itself was refused (its creation or rename): nothing that refers to its table is planned. */
  isRefused(objectName: string): boolean {
    return this.refusals.some((refusal) => refusal.object === objectName && refusal.field === null);
  }

  /** The actions planned so far, in statement order. */
  actions(): PlannedAction[] {
    return [...this.phases.keys()].sort((a, b) => a - b).flatMap((phase) => this.phases.get(phase)!);
  }
}
