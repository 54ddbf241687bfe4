import { ActualState, emptyLiveSchema } from '../metadata/actual-state';
import { Comparison, CompareOptions, Phase } from './comparators/comparison';
import { FieldComparator } from './comparators/field.comparator';
import { ForeignKeyComparator } from './comparators/foreign-key.comparator';
import { IndexComparator } from './comparators/index.comparator';
import { ObjectComparator } from './comparators/object.comparator';
import { declaredObjectRow, DesiredState } from './desired-state';
import { Plan, PlanAction, Refusal } from './plan';
import { StatementRenderer } from './statement.renderer';
import { Addition } from './sync-scope';

export type { CompareOptions } from './comparators/comparison';

/**
 * Compares the desired state with a workspace's actual state and returns the plan that turns one
 * into the other: the comparators of each concept plan typed changes, the renderer gives each
 * action its statements. Pure: no I/O; ids of new metadata rows derive from the workspace and
 * standardIds.
 */
export class WorkspaceComparator {
  static compare(desired: DesiredState, actual: ActualState, options: CompareOptions = {}): Plan {
    return WorkspaceComparator.render(WorkspaceComparator.compared(desired, actual, options));
  }

  /**
   * What compare() refuses as it plans, without rendering the plan's statements: the refusals of
   * names and shapes the comparators find (those of hazards, which depend on the statements, are
   * not among them). For a check that runs before anything is planned (an upgrade's pre-flight).
   */
  static refusals(desired: DesiredState, actual: ActualState, options: CompareOptions = {}): Refusal[] {
    return WorkspaceComparator.compared(desired, actual, options).refusals;
  }

  /** The comparison of every concept, its actions planned and not rendered. */
  private static compared(desired: DesiredState, actual: ActualState, options: CompareOptions): Comparison {
    const comparison = new Comparison(desired, actual, options);
    if (!actual.live.exists) {
      comparison.add(Phase.SCHEMA, {
        kind: 'CREATE_SCHEMA',
        object: '',
        field: null,
        summary: `create schema ${actual.schemaName}`,
        changes: [{ kind: 'createSchema' }],
      });
    }
    const matches = comparison.ids.assign(desired, actual, options.compareOnly);
    const objects = new ObjectComparator(comparison);
    for (const object of comparison.comparedObjects()) {
      const match = matches.get(object);
      if (match) {
        objects.compare(object, match);
      } else {
        objects.create(object);
      }
    }
    objects.compareRemoved(new Set(matches.values()));
    objects.compareCustomObjects();
    new ForeignKeyComparator(comparison).compare();
    new IndexComparator(comparison).compare(matches);
    objects.compareLabelIdentifiers(matches);
    return comparison;
  }

  /**
   * The plan that gives a workspace its `additions`, when it is known (by its fingerprint) to hold
   * their objects as declared before, under `objectIds` (in the order of `additions`): what
   * compare() plans for such a workspace, made without reading it. Nothing here checks that the
   * workspace is so: the caller does, under the workspace's lock, before the plan runs
   * (additionsExpectation).
   */
  static planAdditions(
    desired: DesiredState,
    workspaceId: string,
    schemaName: string,
    additions: readonly Addition[],
    objectIds: readonly string[],
  ): Plan {
    const objects = additions.map(({ object }, index) => declaredObjectRow(object, objectIds[index], []));
    const actual: ActualState = { workspaceId, schemaName, objects, indexes: [], live: { ...emptyLiveSchema(), exists: true } };
    const comparison = new Comparison(desired, actual, {});
    const fields = new FieldComparator(comparison);
    additions.forEach(({ object, fields: added }, index) => {
      const name = object.declared.nameSingular;
      comparison.ids.setObject(name, objects[index].id);
      for (const field of added) {
        comparison.ids.setField(name, field.declared.name, comparison.ids.newFieldId(object.declared.standardId, field));
        fields.create(name, object.tableName, objects[index], field);
      }
    });
    return WorkspaceComparator.render(comparison);
  }

  /** The planned actions in statement order, each with its statements, and the refusals, with those of hazards not allowed. */
  private static render(comparison: Comparison): Plan {
    const renderer = new StatementRenderer(comparison.actual.workspaceId, comparison.actual.schemaName);
    const actions: PlanAction[] = comparison
      .actions()
      .map(({ changes, ...action }) => ({ ...action, statements: renderer.renderAll(changes), changes }));
    return { actions, refusals: [...comparison.refusals, ...comparison.hazards.refusals(actions)] };
  }
}
