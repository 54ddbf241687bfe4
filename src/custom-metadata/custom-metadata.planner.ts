import { DeclaredField } from '../declarations/declared-schema';
import { ActualState } from '../metadata/actual-state';
import { Plan, PlanAction, PlannedAction } from '../sync/plan';
import { StatementRenderer } from '../sync/statement.renderer';
import { CustomFieldPlanner } from './custom-field.planner';
import { CustomFieldInput, CustomObjectInput, FieldUpdateInput, ObjectUpdateInput } from './custom-metadata.input';
import { CustomMetadataWorkspace } from './custom-metadata.workspace';
import { CustomObjectPlanner } from './custom-object.planner';
import { planMissingTargetRelations } from './target-relations.planner';

// Where the HTTP and CLI layers have always taken the error and the field input from.

/**
 * Plans custom objects and custom fields as the typed changes of sync, rendered by its renderer
 * into the same shape of plan, so that they are applied the same way: one transaction, under the
 * workspace's lock. Every user-supplied name is validated first; none reaches SQL other than quoted.
 */
export class CustomMetadataPlanner {
  private readonly objects: CustomObjectPlanner;
  private readonly fields: CustomFieldPlanner;
  private readonly renderer: StatementRenderer;
  private readonly workspace: CustomMetadataWorkspace;
  private readonly newId: () => string;

  constructor(actual: ActualState, workspaceVersion: string | null, newId: () => string) {
    const workspace = new CustomMetadataWorkspace(actual);
    this.workspace = workspace;
    this.newId = newId;
    this.objects = new CustomObjectPlanner(workspace, newId);
    this.fields = new CustomFieldPlanner(workspace, workspaceVersion, newId);
    this.renderer = new StatementRenderer(actual.workspaceId, actual.schemaName);
  }

  planField(objectName: string, input: CustomFieldInput): Plan {
    return this.plan(this.fields.create(objectName, input));
  }

  planObject(input: CustomObjectInput, sharedFields: DeclaredField[]): Plan {
    return this.plan(this.objects.create(input, sharedFields));
  }

  planObjectUpdate(objectName: string, input: ObjectUpdateInput): Plan {
    return this.plan(this.objects.update(objectName, input));
  }

  planFieldUpdate(objectName: string, fieldName: string, input: FieldUpdateInput): Plan {
    return this.plan(this.fields.update(objectName, fieldName, input));
  }

  /** `rowsWithData` (read by the caller) must be 0 unless `force`. */
  planFieldDelete(objectName: string, fieldName: string, rowsWithData: number, force: boolean): Plan {
    return this.plan(this.fields.delete(objectName, fieldName, rowsWithData, force));
  }

  /** `rows` (read by the caller) must be 0 unless `force`. */
  planObjectDelete(objectName: string, rows: number, force: boolean): Plan {
    return this.plan(this.objects.delete(objectName, rows, force));
  }

  /**
   * The target relations the workspace's custom objects lack (see planMissingTargetRelations): an
   * action per custom object that lacks any, none when nothing is missing.
   */
  planMissingTargetRelations(sharedFields: DeclaredField[]): Plan {
    const actions = planMissingTargetRelations(this.workspace, sharedFields, this.newId).map(({ object, changes }): PlanAction => ({
      kind: 'CREATE_FIELD',
      object,
      field: null,
      hazard: null,
      summary: `add the missing target relations of custom object ${object} (${changes
        .filter((change) => change.kind === 'createGeneratedRelation')
        .map((change) => change.relation.tableName)
        .join(', ')})`,
      statements: this.renderer.renderAll(changes),
      changes,
      preflight: [],
    }));
    return { actions, refusals: [] };
  }

  /** A plan of one action, with the statements its changes render to. */
  private plan({ changes, ...action }: PlannedAction): Plan {
    return { actions: [{ ...action, statements: this.renderer.renderAll(changes), changes }], refusals: [] };
  }
}
