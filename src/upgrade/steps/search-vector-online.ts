import { qualified, quoteIdentifier } from '../../database/sql';
import { SqlStatement } from '../../database/sql-statement';
import { DeclaredSchema } from '../../declarations/declared-schema';
import { FieldType } from '../../declarations/field-type';
import { ActualObject, ActualState } from '../../metadata/actual-state';
import { ActualStateRepository } from '../../metadata/actual-state.repository';
import { boundedName } from '../../metadata/column-layout';
import { searchVectorExpression, searchVectorSpec, SearchVectorSpec } from '../../metadata/search-vector';
import { declaredFieldRow } from '../../sync/changes';
import { MetadataIds } from '../../sync/comparators/metadata-ids';
import { DesiredField, DesiredObject, IndexSpec, sharedDesiredState } from '../../sync/desired-state';
import { StatementRenderer } from '../../sync/statement.renderer';
import { StepReport, UpgradeStepContext } from '../upgrade-step';
import { inBriefLockTransaction } from './brief-lock';
import { ensureIndex, IndexBuild } from './index-build';
import { fillInPageRanges } from './page-range-fill';

/*
 * A search field (TS_VECTOR) added to a table that already holds rows, online: the column without
 * a default (no rewrite), its trigger function and trigger and its metadata row in one short
 * transaction under a brief lock timeout, then the existing rows filled in batches of pages with a
 * checkpoint each, then its GIN index, CONCURRENTLY on a large table. Each part is what the sync
 * gives a workspace created with the field, so the sync afterwards finds the field converged.
 */

/** The memory a search index build may use (maintenance_work_mem), when the server gives less. */
export const GIN_BUILD_MEMORY = '256MB';

/** A search field of a declared state on an object the workspace has. */
export interface SearchVectorTarget {
  object: ActualObject;
  desired: DesiredObject;
  field: DesiredField;
  spec: SearchVectorSpec;
  index: IndexSpec;
}

/** The workspace as a search-vector step reads it: its metadata and catalog, and the search fields `declared` gives its objects. */
export interface SearchVectorPlan {
  actual: ActualState;
  targets: SearchVectorTarget[];
}

export const readSearchVectorPlan = async (context: UpgradeStepContext, declared: DeclaredSchema): Promise<SearchVectorPlan> => {
  const { workspace } = context;
  const actual = await new ActualStateRepository(context.connection.manager).readForPlanning(workspace.id, workspace.schemaName);
  const desired = sharedDesiredState(declared, workspace.featureFlags ?? []);
  const targets = desired.objects.flatMap((object) => {
    // An object the workspace lacks (new in this version) is created by the sync with its search field.
    const existing = actual.objects.find((candidate) => !candidate.isCustom && candidate.standardId === object.declared.standardId);
    if (!existing) return [];
    return object.fields
      .filter((field) => field.declared.type === FieldType.TS_VECTOR)
      .map((field) => {
        const columns = field.columns.map((column) => column.name);
        const index = object.indexes.find((candidate) => candidate.using === 'GIN' && candidate.columns.join() === columns.join());
        if (!index) throw new Error(`the declared state gives ${object.declared.nameSingular}.${field.declared.name} no GIN index`);
        const spec = searchVectorSpec(existing.tableName, field.declared, object.declared.fields);
        return { object: existing, desired: object, field, spec, index };
      });
  });
  return { actual, targets };
};

/** `object.field` of a search field, as notes, errors and checkpoints name it. */
export const searchFieldLabel = (target: SearchVectorTarget): string => `${target.object.nameSingular}.${target.field.declared.name}`;

/**
 * The statements adding the search field of `target`, which the workspace lacks: column, function,
 * trigger and metadata row, as the sync would write them. `comingColumns` are columns of the table
 * added in the same transaction. Refuses, before anything is written, when a column the field
 * reads is missing or its name is taken.
 */
export const searchFieldStatements = (
  context: UpgradeStepContext,
  plan: SearchVectorPlan,
  target: SearchVectorTarget,
  comingColumns: string[] = [],
): SqlStatement[] => {
  const { workspace } = context;
  const { object, field, spec } = target;
  const table = plan.actual.live.tables.get(object.tableName);
  if (!table) throw new Error(`table ${object.tableName} of ${object.nameSingular} is missing: run workspace:health`);
  const missing = spec.sources
    .filter((source) => !table.columns.has(source.column) && !comingColumns.includes(source.column))
    .map((source) => source.column);
  if (missing.length > 0) {
    throw new Error(
      `${searchFieldLabel(target)} indexes ${missing.join(', ')}, which table ${object.tableName} lacks; the steps of this upgrade that create them run before this one: run the whole upgrade, not this step alone`,
    );
  }
  const clash = object.fields.find((candidate) => candidate.name === field.declared.name);
  const liveClash = field.columns.find((column) => table.columns.has(column.name));
  if (clash || liveClash) {
    throw new Error(
      clash
        ? `the new search field ${searchFieldLabel(target)} collides with the ${clash.isCustom ? 'custom ' : ''}field "${clash.name}"; rename that field (for example to "${clash.name}Custom"), then run the upgrade again`
        : `the new search field ${searchFieldLabel(target)} needs column "${liveClash!.name}", which already exists in table ${object.tableName} without metadata; run workspace:health and remove or rename that column, then run the upgrade again`,
    );
  }
  // The row and its id as the sync would write them, so that the sync then finds the field as it declares it.
  const ids = new MetadataIds(workspace.id, plan.actual.objects);
  const row = declaredFieldRow(field.declared, {
    id: ids.newFieldId(target.desired.declared.standardId, field),
    objectMetadataId: object.id,
    standardId: field.declared.standardId,
    isCustom: false,
    relationTargetObjectMetadataId: null,
    relationTargetFieldMetadataId: null,
  });
  return new StatementRenderer(workspace.id, workspace.schemaName).renderAll([
    { kind: 'createField', tableName: object.tableName, enumTypes: [], columns: field.columns, field: row },
    { kind: 'setSearchVector', spec, replaces: null, backfill: false },
  ]);
};

/** Whether the workspace has the search field of `target` (under its standardId). */
export const hasSearchField = (target: SearchVectorTarget): boolean =>
  target.object.fields.some((candidate) => !candidate.isCustom && candidate.standardId === target.field.declared.standardId);

/**
 * Adds the search field of `target` when the workspace lacks it (column, function, trigger and
 * metadata row together), then fills the rows not yet filled. Resumes after the last committed
 * batch; writes made meanwhile are kept current by the trigger. A field that was there before the
 * step (or that a field move added and filled as it wrote every row) has no fill checkpoint and is
 * left as it is.
 */
export const addSearchVectorOnline = async (
  context: UpgradeStepContext,
  plan: SearchVectorPlan,
  target: SearchVectorTarget,
  report: StepReport,
): Promise<void> => {
  const { workspace } = context;
  const { object, spec } = target;
  const existing = hasSearchField(target);
  if (!existing) {
    // The fill's checkpoint is written with the field: a field without one was there before this step, filled.
    const checkpoint = (context.entry.checkpoint ??= {});
    const statements = searchFieldStatements(context, plan, target);
    await inBriefLockTransaction(context, `adding ${searchFieldLabel(target)}`, async (manager) => {
      for (const statement of statements) await manager.query(statement.sql, statement.params);
      await context.ledger(manager).checkpoint(context.entry.id, { ...checkpoint, [searchFieldLabel(target)]: {} }, 0);
    });
    checkpoint[searchFieldLabel(target)] = {};
    report.notes.push(`added ${searchFieldLabel(target)} with its trigger ${spec.triggerName} (${spec.functionName})`);
    context.options.crashPoint?.('search-vector-added');
  }
  if (existing && context.entry.checkpoint?.[searchFieldLabel(target)] === undefined) return;
  const filled = await fillInPageRanges(
    context,
    searchFieldLabel(target),
    qualified(workspace.schemaName, object.tableName),
    quoteIdentifier(spec.column),
    searchVectorExpression(spec, 't.'),
    // The field's own trigger function computes the vector of a row a writer updates meanwhile.
    { triggerName: boundedName(`wms_fill_${spec.triggerName}`), functionName: qualified(workspace.schemaName, spec.functionName) },
  );
  if (filled.rows > 0) report.notes.push(`filled ${searchFieldLabel(target)} on ${filled.rows} row(s) in ${filled.batches} batch(es)`);
  report.rowsAffected += filled.rows;
  report.maxBatchMs = Math.max(report.maxBatchMs, filled.maxBatchMs);
};

/**
 * Builds the GIN index of a search field the workspace has (CONCURRENTLY on a large table; an
 * invalid leftover of a killed build dropped and built again) and writes its metadata row as the
 * sync would. A field the workspace does not have yet is left to the sync.
 */
export const buildSearchIndex = async (
  context: UpgradeStepContext,
  plan: SearchVectorPlan,
  target: SearchVectorTarget,
  report: StepReport,
): Promise<void> => {
  const { workspace } = context;
  const { object, field, index } = target;
  const table = plan.actual.live.tables.get(object.tableName);
  if (!field.columns.every((column) => table?.columns.has(column.name))) return;
  // A GIN build gathers entries in maintenance_work_mem and merges them each time it fills: with
  // the usual 64 MB a large table's build takes several times longer. Raised for this session only.
  const [memory]: Array<{ raised: boolean }> = await context.connection.query(
    `SELECT pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes($1) AS "raised"`,
    [GIN_BUILD_MEMORY],
  );
  if (memory.raised) await context.connection.query(`SELECT set_config('maintenance_work_mem', $1, false)`, [GIN_BUILD_MEMORY]);
  let build: IndexBuild;
  try {
    build = await ensureIndex(context, {
      schema: workspace.schemaName,
      table: object.tableName,
      name: index.name,
      isUnique: false,
      keys: index.columns.map(quoteIdentifier).join(', '),
      using: 'GIN',
    });
  } finally {
    if (memory.raised) await context.connection.query(`RESET maintenance_work_mem`);
  }
  if (build.droppedInvalid) report.notes.push(`dropped the invalid ${index.name} left by an interrupted build`);
  if (build.built) {
    report.notes.push(`built ${index.name} on ${object.tableName}${build.concurrently ? ' CONCURRENTLY' : ''}`);
    context.options.crashPoint?.('search-index-built');
  }
  const id = new MetadataIds(workspace.id, plan.actual.objects).newId('index', target.desired.declared.standardId, index.name);
  await context.transaction((manager) =>
    manager.query(
      `INSERT INTO metadata."indexMetadata" ("id", "workspaceId", "objectMetadataId", "name", "columns", "isUnique", "whereClause", "isCustom")
       SELECT $1, $2, $3, $4, $5, false, NULL, false
        WHERE NOT EXISTS (SELECT 1 FROM metadata."indexMetadata" WHERE "workspaceId" = $2 AND "name" = $4)`,
      [id, workspace.id, object.id, index.name, index.columns],
    ),
  );
  if (!build.built) report.notes.push(`${index.name} already in place`);
};
