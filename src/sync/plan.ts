import { Change } from './changes';
import { SqlStatement } from '../database/sql-statement';

/** What an action can cost. The first three may be allowed with --allow-hazards; the last two never. */
export enum Hazard {
  DROPS_DATA = 'DROPS_DATA',
  REWRITES_TABLE = 'REWRITES_TABLE',
  BLOCKS_WRITES = 'BLOCKS_WRITES',
  TYPE_CHANGE = 'TYPE_CHANGE',
  NAME_CONFLICT = 'NAME_CONFLICT',
}

export const ALLOWABLE_HAZARDS: readonly Hazard[] = [Hazard.DROPS_DATA, Hazard.REWRITES_TABLE, Hazard.BLOCKS_WRITES];

export type ActionKind =
  | 'CREATE_SCHEMA'
  | 'CREATE_OBJECT'
  | 'UPDATE_OBJECT'
  | 'RENAME_OBJECT'
  | 'TURN_OBJECT_CUSTOM'
  | 'DROP_OBJECT'
  | 'CREATE_FIELD'
  | 'UPDATE_FIELD'
  | 'RENAME_FIELD'
  | 'TURN_FIELD_CUSTOM'
  | 'DROP_FIELD'
  | 'SET_SEARCH_VECTOR'
  | 'CREATE_FOREIGN_KEY'
  | 'UPDATE_FOREIGN_KEY'
  | 'CREATE_INDEX'
  | 'DROP_INDEX';

/** A read that must find nothing before any write happens. */
export interface PreflightCheck {
  kind: 'NO_NULLS' | 'NO_DUPLICATES' | 'ONLY_VALUES';
  table: string;
  columns: string[];
  /** ONLY_VALUES: the values the column may still hold. */
  values?: string[];
  /** ONLY_VALUES: the column holds arrays of values. */
  isArray?: boolean;
  where?: string | null;
  /** What the operator should do when the check finds rows. */
  remedy: string;
}

export interface PlanAction {
  kind: ActionKind;
  object: string;
  field: string | null;
  hazard: Hazard | null;
  /** One readable line. */
  summary: string;
  statements: SqlStatement[];
  /** What the statements apply, as data: they are its rendering (StatementRenderer). */
  changes?: Change[];
  preflight: PreflightCheck[];
}

/** An action as it is planned: its changes, not yet rendered. */
export type PlannedAction = Omit<PlanAction, 'statements' | 'changes'> & { changes: Change[] };

export interface Refusal {
  hazard: Hazard;
  object: string;
  field: string | null;
  message: string;
}

export interface Plan {
  actions: PlanAction[];
  /** Reasons the plan must not be applied; a refused plan writes nothing. */
  refusals: Refusal[];
}

export const isEmptyPlan = (plan: Plan): boolean => plan.actions.length === 0 && plan.refusals.length === 0;
