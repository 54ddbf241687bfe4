import { Plan, PlanAction } from '../sync/plan';
import { renderStatement } from '../database/sql-statement';

/** One line per action, hazards marked; with `verbose`, the SQL under each. */
export const formatPlan = (plan: Plan, verbose = false): string[] => {
  const lines: string[] = [];
  for (const action of plan.actions) {
    lines.push(`  ${action.hazard ? `[${action.hazard}] ` : ''}${action.summary}`);
    if (verbose) {
      for (const statement of action.statements) lines.push(`      ${renderStatement(statement).replace(/\s+/g, ' ')};`);
    }
  }
  for (const refusal of plan.refusals) {
    lines.push(`  [REFUSED ${refusal.hazard}] ${refusal.message}`);
  }
  return lines;
};

/** The `actions` of the JSON contract: kind, object, field, hazard, sql. */
export const actionJson = (action: PlanAction): Record<string, unknown> => ({
  kind: action.kind,
  object: action.object,
  field: action.field,
  hazard: action.hazard,
  summary: action.summary,
  sql: action.statements.map((statement) => `${renderStatement(statement)};`).join('\n'),
});
