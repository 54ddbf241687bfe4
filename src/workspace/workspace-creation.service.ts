import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { DeclaredSchema } from '../declarations/declared-schema';
import { displayTextProblem, FEATURE_FLAG_PATTERN } from '../declarations/identifier.rules';
import { RecordRepository } from '../records/record.repository';
import { STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { getVersionSnapshot } from '../standard-objects/version-snapshots';
import { ActualStateRepository } from '../sync/actual-state.repository';
import { emptyActualState } from '../sync/actual-state';
import { buildDesiredState } from '../sync/desired-state';
import { Plan } from '../sync/plan';
import { PlanApplier } from '../sync/plan.applier';
import { WorkspaceComparator } from '../sync/workspace.comparator';
import { defaultViews } from './default-views';
import { prefillCompanyRows, prefillPersonRows } from './prefill';
import { WorkspaceRepository, WorkspaceRow } from './workspace.repository';

export interface CreateWorkspaceInput {
  displayName: string;
  /** A released version to create the workspace at (its frozen snapshot); default: the current one. */
  version?: string;
  featureFlags?: string[];
  /** Whether to write the prefill records (companies, people). Default true. */
  prefill?: boolean;
}

export interface CreatedWorkspace {
  workspace: WorkspaceRow;
  plan: Plan;
  views: number;
  records: { companies: number; people: number };
}

export class WorkspaceCreationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceCreationError';
  }
}

export const MAX_DISPLAY_NAME_LENGTH = 200;

/** workspace_ + the id in base 36: short, lowercase, unique. */
export const schemaNameFor = (id: string): string => `workspace_${BigInt(`0x${id.replace(/-/g, '')}`).toString(36)}`;

/**
 * The creation hook: workspace row, schema, tables and metadata from the declarations (or a
 * version snapshot), default views and prefill records, fingerprint, all in one transaction.
 */
export class WorkspaceCreationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly current: DeclaredSchema,
  ) {}

  async create(input: CreateWorkspaceInput): Promise<CreatedWorkspace> {
    if (typeof input.displayName !== 'string') {
      throw new WorkspaceCreationError('the workspace name must be text');
    }
    const displayName = input.displayName.trim();
    if (displayName.length === 0 || displayName.length > MAX_DISPLAY_NAME_LENGTH) {
      throw new WorkspaceCreationError(`the workspace name must be 1 to ${MAX_DISPLAY_NAME_LENGTH} characters`);
    }
    const problem = displayTextProblem(displayName);
    if (problem) {
      throw new WorkspaceCreationError(`the workspace name is not valid: ${problem}`);
    }
    if (input.version !== undefined && typeof input.version !== 'string') {
      throw new WorkspaceCreationError('the version must be text, such as 0.22');
    }
    for (const flag of input.featureFlags ?? []) {
      if (typeof flag !== 'string' || !FEATURE_FLAG_PATTERN.test(flag)) {
        throw new WorkspaceCreationError(
          `feature flag "${String(flag).slice(0, 40)}" is not valid: a letter, then letters, digits and underscores, at most 63 characters`,
        );
      }
    }
    let declared = this.current;
    if (input.version !== undefined && input.version !== this.current.version) {
      try {
        declared = getVersionSnapshot(input.version);
      } catch (error) {
        throw new WorkspaceCreationError((error as Error).message);
      }
    }
    return this.createFrom(declared, { ...input, displayName });
  }

  /** Creates a workspace from any declared state (tests use their own declaration sets). */
  async createFrom(declared: DeclaredSchema, input: CreateWorkspaceInput): Promise<CreatedWorkspace> {
    const featureFlags = [...new Set(input.featureFlags ?? [])].sort();
    const desired = buildDesiredState(declared, new Set(featureFlags));
    const id = randomUUID();
    const schemaName = schemaNameFor(id);

    return this.dataSource.transaction(async (manager) => {
      const workspaces = new WorkspaceRepository(manager);
      await workspaces.insert({ id, displayName: input.displayName, schemaName, version: declared.version, featureFlags });
      const plan = WorkspaceComparator.compare(desired, emptyActualState(id, schemaName));
      if (plan.refusals.length > 0) {
        throw new WorkspaceCreationError(plan.refusals.map((refusal) => refusal.message).join('; '));
      }
      await new PlanApplier(manager, schemaName).apply(plan);

      const actual = await new ActualStateRepository(manager).read(id, schemaName);
      const records = new RecordRepository(manager, schemaName);
      const views = defaultViews(desired.objects, actual.objects);
      const viewObject = desired.objects.find((object) => object.declared.standardId === STANDARD_OBJECT_IDS.view);
      const viewFieldObject = desired.objects.find((object) => object.declared.standardId === STANDARD_OBJECT_IDS.viewField);
      if (viewObject && viewFieldObject) {
        const viewIds = await records.insert(viewObject.tableName, views.map((view) => view.view));
        await records.insert(
          viewFieldObject.tableName,
          views.flatMap((view, index) => view.fields.map((field) => ({ ...field, viewId: viewIds[index] }))),
        );
      }

      const counts = { companies: 0, people: 0 };
      const company = desired.objects.find((object) => object.declared.standardId === STANDARD_OBJECT_IDS.company);
      const person = desired.objects.find((object) => object.declared.standardId === STANDARD_OBJECT_IDS.person);
      if (input.prefill !== false && company && person) {
        const companyIds = await records.insert(company.tableName, prefillCompanyRows(company));
        const personIds = await records.insert(person.tableName, prefillPersonRows(person, companyIds));
        counts.companies = companyIds.length;
        counts.people = personIds.length;
      }
      await workspaces.setFingerprint(id, desired.fingerprint);
      const workspace = (await workspaces.findById(id))!;
      return { workspace, plan, views: viewObject ? views.length : 0, records: counts };
    });
  }
}
