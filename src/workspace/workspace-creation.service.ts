import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { schemaNameFor } from '../metadata/column-layout';
import { DeclaredSchema } from '../declarations/declared-schema';
import { displayTextProblem, FEATURE_FLAG_PATTERN } from '../declarations/identifier.rules';
import { RecordRepository } from '../records/record.repository';
import { STANDARD_DECLARATIONS } from '../standard-objects/standard-declarations.module';
import { STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { getVersionSnapshot } from '../standard-objects/version-snapshots';
import { ActualStateRepository } from '../metadata/actual-state.repository';
import { emptyActualState } from '../metadata/actual-state';
import { buildDesiredState, DesiredObject } from '../sync/desired-state';
import { Plan } from '../sync/plan';
import { WorkspaceStateWriter } from '../sync/workspace-state.writer';
import { WorkspaceComparator } from '../sync/workspace.comparator';
import { DemoSeeder, MAX_DEMO_RECORDS } from './demo-seed';
import { defaultViews } from '../records/default-views';
import { prefillCompanyRows, prefillOpportunityRows, prefillPersonRows } from './prefill';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';
import { normalizeDefaultCountry } from './default-country';

export interface CreateWorkspaceInput {
  displayName: string;
  /** A released version to create the workspace at (its frozen snapshot); default: the current one. */
  version?: string;
  featureFlags?: string[];
  /** Whether to write the prefill records (companies, people, opportunities). Default true. */
  prefill?: boolean;
  /**
   * Instead of the prefill records, this many realistic demo records and a few views with filters
   * and sorts (workspace:seed:demo), in the same transaction.
   */
  demoRecords?: number;
  /** ISO 3166-1 alpha-2 country of phone numbers written without an international prefix (FR); default none. */
  defaultCountry?: string | null;
}

export interface CreatedWorkspace {
  workspace: WorkspaceRow;
  plan: Plan;
  views: number;
  records: { companies: number; people: number; opportunities: number };
}

export class WorkspaceCreationError extends Error {
  constructor(
    message: string,
    /** The input at fault. */
    readonly property = 'displayName',
  ) {
    super(message);
    this.name = 'WorkspaceCreationError';
  }
}

export const MAX_DISPLAY_NAME_LENGTH = 200;

/** The input of a creation, checked before anything is read: its display name, trimmed. */
export const checkCreationInput = (input: CreateWorkspaceInput): string => {
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
  if (
    input.demoRecords !== undefined &&
    !(Number.isSafeInteger(input.demoRecords) && input.demoRecords >= 0 && input.demoRecords <= MAX_DEMO_RECORDS)
  ) {
    throw new WorkspaceCreationError(`the number of demo records must be a whole number from 0 to ${MAX_DEMO_RECORDS}`);
  }
  if (input.defaultCountry !== undefined && input.defaultCountry !== null) {
    const country = normalizeDefaultCountry(input.defaultCountry);
    if ('problem' in country) throw new WorkspaceCreationError(country.problem, 'defaultCountry');
  }
  return displayName;
};

/**
 * The creation hook: workspace row, schema, tables and metadata from the declarations (or a
 * version snapshot), default views and prefill records, fingerprint, all in one transaction.
 */
@Injectable()
export class WorkspaceCreationService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(STANDARD_DECLARATIONS) private readonly current: DeclaredSchema,
  ) {}

  async create(input: CreateWorkspaceInput): Promise<CreatedWorkspace> {
    const displayName = checkCreationInput(input);
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

  /**
   * Creates a workspace from any declared state (tests use their own declaration sets), under `id`
   * (a new random one by default; tests that compare plans byte for byte give a fixed one).
   */
  async createFrom(declared: DeclaredSchema, input: CreateWorkspaceInput, id: string = randomUUID()): Promise<CreatedWorkspace> {
    const featureFlags = [...new Set(input.featureFlags ?? [])].sort();
    const desired = buildDesiredState(declared, new Set(featureFlags));
    const schemaName = schemaNameFor(id);

    const writer = new WorkspaceStateWriter(this.dataSource);
    const created = await this.dataSource.transaction(async (manager) => {
      const workspaces = new WorkspaceRepository(manager);
      const country = input.defaultCountry ? normalizeDefaultCountry(input.defaultCountry) : null;
      await workspaces.insert({
        id,
        displayName: input.displayName,
        schemaName,
        version: declared.version,
        featureFlags,
        defaultCountry: country && 'country' in country ? country.country : null,
      });
      const plan = WorkspaceComparator.compare(desired, emptyActualState(id, schemaName));
      if (plan.refusals.length > 0) {
        throw new WorkspaceCreationError(plan.refusals.map((refusal) => refusal.message).join('; '));
      }
      // The plan and the record of its declared state go in one script; views and records follow.
      const { write } = await writer.apply(manager, schemaName, plan, { workspaceId: id, desired });

      const actual = await new ActualStateRepository(manager).readForPlanning(id, schemaName);
      const records = new RecordRepository(manager, schemaName);
      const views = defaultViews(desired.objects, actual.objects);
      const viewObject = desired.objects.find((object) => object.declared.standardId === STANDARD_OBJECT_IDS.view);
      const viewFieldObject = desired.objects.find((object) => object.declared.standardId === STANDARD_OBJECT_IDS.viewField);
      if (viewObject && viewFieldObject) {
        const viewIds = await records.insert(
          viewObject.tableName,
          views.map((view) => view.view),
        );
        await records.insert(
          viewFieldObject.tableName,
          views.flatMap((view, index) => view.fields.map((field) => ({ ...field, viewId: viewIds[index] }))),
        );
      }

      let viewCount = viewObject ? views.length : 0;
      const counts = { companies: 0, people: 0, opportunities: 0 };
      if (input.demoRecords !== undefined) {
        const { views: added, ...seeded } = await new DemoSeeder(records, desired.objects, actual.objects).seed(
          input.demoRecords,
          viewCount,
        );
        Object.assign(counts, seeded);
        viewCount += added;
      } else if (input.prefill !== false) {
        Object.assign(counts, await this.prefill(records, desired.objects));
      }
      const workspace = (await workspaces.findById(id))!;
      return { workspace, plan, views: viewCount, records: counts, write };
    });
    writer.committed(created.write);
    return { workspace: created.workspace, plan: created.plan, views: created.views, records: created.records };
  }

  private async prefill(
    records: RecordRepository,
    objects: DesiredObject[],
  ): Promise<{ companies: number; people: number; opportunities: number }> {
    const find = (standardId: string) => objects.find((object) => object.declared.standardId === standardId);
    const company = find(STANDARD_OBJECT_IDS.company);
    const person = find(STANDARD_OBJECT_IDS.person);
    const opportunity = find(STANDARD_OBJECT_IDS.opportunity);
    if (!company || !person) return { companies: 0, people: 0, opportunities: 0 };
    const companyIds = await records.insert(company.tableName, prefillCompanyRows(company));
    const personIds = await records.insert(person.tableName, prefillPersonRows(person, companyIds));
    const opportunityIds = opportunity
      ? await records.insert(opportunity.tableName, prefillOpportunityRows(opportunity, companyIds, personIds))
      : [];
    return { companies: companyIds.length, people: personIds.length, opportunities: opportunityIds.length };
  }
}
