import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

import { FieldType } from '../declarations/field-type';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { ActualObject } from '../metadata/actual-state';
import { ActualStateRepository } from '../metadata/actual-state.repository';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';
import { fieldParams, recordFields, RecordField, recordParams, rowToRecord } from './record-fields';
import { RecordRepository, ViewTables } from './record.repository';
import { RecordError } from './record.error';
import { ListQuery, SearchSpec, viewQuery } from './view-query';
import { ViewReferences } from './view-references';

export interface ObjectContext {
  workspace: WorkspaceRow;
  objects: ActualObject[];
  object: ActualObject;
  /** Active fields that hold a value. */
  fields: RecordField[];
  /** Every field that holds a value, inactive ones included. */
  allFields: RecordField[];
  /**
   * Writes only: fields whose key changed while the write waited for its lock (upgrade-0.23's
   * `email` -> `emails`), by the key the request was read against.
   */
  renamed?: Map<string, RecordField>;
}

export interface ListOptions {
  limit?: number;
  offset?: number;
  viewId?: string;
  /** Words to find through the object's search field, each as the start of an indexed word. */
  search?: string;
}

export const MAX_SEARCH_LENGTH = 200;

/**
 * The search of `?search=` on `object`: its search field, and the words as a tsquery. Words are
 * split as the index splits them (letters and digits), each matched as a prefix, all required.
 */
const searchSpec = (object: ActualObject, search: unknown): SearchSpec => {
  if (typeof search !== 'string' || search.length > MAX_SEARCH_LENGTH) {
    throw new RecordError('INVALID', 'search', `search must be one text of at most ${MAX_SEARCH_LENGTH} characters`);
  }
  const field = object.fields.find((candidate) => candidate.type === FieldType.TS_VECTOR && candidate.isActive);
  if (!field) {
    throw new RecordError(
      'INVALID',
      'search',
      `${object.nameSingular} has no search field, so it cannot be searched; list it without search, or filter it through a view`,
    );
  }
  const words = search
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
  if (words.length === 0) throw new RecordError('INVALID', 'search', 'search needs at least one letter or digit');
  return { column: field.name, query: words.map((word) => `'${word}':*`).join(' & ') };
};

export interface RecordPage {
  records: Array<Record<string, unknown>>;
  pageInfo: { limit: number; offset: number; totalCount: number; nextOffset: number | null };
}

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** Reads a workspace and one of its objects; every record request starts here. */
export const loadObjectContext = async (manager: EntityManager, workspaceId: string, objectName: string): Promise<ObjectContext> => {
  const workspace = UUID_PATTERN.test(workspaceId) ? await new WorkspaceRepository(manager).findById(workspaceId) : null;
  if (!workspace) throw new RecordError('NOT_FOUND', 'workspaceId', `workspace ${workspaceId.slice(0, 80)} does not exist`);
  const objects = await new ActualStateRepository(manager).objects(workspace.id);
  const object = objects.find((candidate) => candidate.nameSingular === objectName || candidate.namePlural === objectName);
  if (!object) {
    throw new RecordError(
      'NOT_FOUND',
      'object',
      `object "${objectName.slice(0, 80)}" does not exist in this workspace; objects are named by nameSingular or namePlural (e.g. person, company)`,
    );
  }
  if (!object.isActive) throw new RecordError('INVALID', 'object', `object "${object.nameSingular}" is inactive; activate it first`);
  return { workspace, objects, object, fields: recordFields(object), allFields: recordFields(object, { includeInactive: true }) };
};

/**
 * The context a write works with: `before`, read again once the object's table is locked for
 * writing, so that a switch of a field's shape made meanwhile (upgrade-0.23 turning `email` into
 * `emails`, dropping the old column) is seen, or waits for this write.
 */
export const lockObjectContextForWrite = async (
  manager: EntityManager,
  before: ObjectContext,
  objectName: string,
): Promise<ObjectContext> => {
  await new RecordRepository(manager, before.workspace.schemaName).lockForWrite(before.object.tableName);
  const after = await loadObjectContext(manager, before.workspace.id, objectName);
  const renamed = new Map<string, RecordField>();
  for (const old of before.fields) {
    const now = after.fields.find((candidate) => candidate.field.id === old.field.id);
    if (now && now.key !== old.key && !after.fields.some((candidate) => candidate.key === old.key)) renamed.set(old.key, now);
  }
  return { ...after, renamed };
};

/** What a write's columns depend on: the table and each field's name, type and state. */
const shapeOf = (context: ObjectContext): string =>
  JSON.stringify([context.object.tableName, context.allFields.map(({ field }) => [field.id, field.name, field.type, field.isActive])]);

/** A column or table the write named is gone: 42703 undefined column, 42P01 undefined table. */
const isUndefinedColumnOrTable = (error: unknown): boolean =>
  error instanceof QueryFailedError && ['42703', '42P01'].includes((error.driverError as { code?: string }).code ?? '');

export const viewTablesOf = (objects: ActualObject[]): ViewTables | null => {
  const table = (standardId: string) => objects.find((object) => !object.isCustom && object.standardId === standardId)?.tableName;
  const [view, viewFilter, viewSort] = [
    table(STANDARD_OBJECT_IDS.view),
    table(STANDARD_OBJECT_IDS.viewFilter),
    table(STANDARD_OBJECT_IDS.viewSort),
  ];
  return view && viewFilter && viewSort ? { view, viewFilter, viewSort } : null;
};

/** A database refusal caused by the values given (a missing target, a duplicate, a NULL), named by field. */
export const recordErrorFrom = (error: unknown, fields: RecordField[]): RecordError | null => {
  if (!(error instanceof QueryFailedError)) return null;
  const driverError = error.driverError as { code?: string; column?: string; detail?: string };
  const column = driverError.column ?? /Key \("?([^")]+)"?\)/.exec(driverError.detail ?? '')?.[1];
  const field = fields.find((candidate) => candidate.columns.some((item) => item.name === column));
  const property = field
    ? field.kind === 'composite'
      ? `${field.key}.${field.subfields.find((s) => s.column.name === column)?.name}`
      : field.key
    : (column ?? 'body');
  // A delete refused by a relation that restricts it names the records that still point here.
  const referencedFrom = /is still referenced from table "?([^"]+)"?/.exec(driverError.detail ?? '')?.[1];
  if (driverError.code === '23503' && referencedFrom) {
    return new RecordError(
      'CONFLICT',
      'id',
      `records of ${referencedFrom.replace(/^_/, '')} still point at this record through a relation that restricts deletion: delete them or point them elsewhere first`,
    );
  }
  switch (driverError.code) {
    case '23503':
      return new RecordError('INVALID', property, `${property} does not name an existing ${field?.field.name ?? 'target'} record`);
    case '23505':
      return new RecordError('INVALID', property, `${property}: another record already has this value (${driverError.detail ?? 'unique'})`);
    case '23502':
      return new RecordError('INVALID', property, `${property} cannot be empty`);
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return new RecordError('INVALID', property, `${property}: ${error.message}`);
    default:
      return null;
  }
};

/** Records of any object of a workspace: list (optionally through a view), read, create, update, delete. */
@Injectable()
export class RecordService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async list(workspaceId: string, objectName: string, options: ListOptions = {}): Promise<RecordPage> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const offset = options.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new RecordError('INVALID', 'limit', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    if (!Number.isInteger(offset) || offset < 0) throw new RecordError('INVALID', 'offset', 'offset must be a whole number, 0 or more');
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const context = await loadObjectContext(manager, workspaceId, objectName);
      const records = new RecordRepository(manager, context.workspace.schemaName);
      let query: ListQuery = { conditions: [], sorts: [] };
      if (options.viewId !== undefined) {
        const tables = viewTablesOf(context.objects);
        const view = UUID_PATTERN.test(options.viewId) && tables ? await records.findView(tables, options.viewId, context.object.id) : null;
        if (!view)
          throw new RecordError(
            'INVALID',
            'viewId',
            `viewId "${options.viewId.slice(0, 80)}" is not a view of ${context.object.nameSingular}`,
          );
        query = viewQuery(context.fields, context.allFields, view.filters, view.sorts);
      }
      if (options.search !== undefined) query = { ...query, search: searchSpec(context.object, options.search) };
      const columns = context.fields.flatMap((field) => field.columns);
      const { rows, total } = await records.list(context.object.tableName, columns, query, limit, offset);
      return {
        records: rows.map((row) => rowToRecord(context.fields, row)),
        pageInfo: { limit, offset, totalCount: total, nextOffset: offset + rows.length < total ? offset + rows.length : null },
      };
    });
  }

  async get(workspaceId: string, objectName: string, id: string): Promise<Record<string, unknown>> {
    return this.dataSource.transaction(async (manager) => {
      const context = await loadObjectContext(manager, workspaceId, objectName);
      return this.read(manager, context, id);
    });
  }

  async create(workspaceId: string, objectName: string, body: unknown): Promise<Record<string, unknown>> {
    return this.write(workspaceId, objectName, async (manager, context, records) => {
      const params = recordParams(context.fields, body, { extraKeys: ['id'], renamed: context.renamed });
      const createdBy = context.fields.find((field) => field.field.name === 'createdBy' && field.kind === 'composite');
      if (createdBy && !createdBy.columns.some((column) => column.name in params)) {
        Object.assign(params, fieldParams(createdBy, { source: 'API', name: '' }));
      }
      (await ViewReferences.load(manager, context))?.check(params);
      const [id] = await records.insert(context.object.tableName, [params]);
      return this.read(manager, context, id);
    });
  }

  async update(workspaceId: string, objectName: string, id: string, body: unknown): Promise<Record<string, unknown>> {
    return this.write(workspaceId, objectName, async (manager, context, records) => {
      const params = recordParams(context.fields, body, { renamed: context.renamed });
      if (UUID_PATTERN.test(id)) await (await ViewReferences.load(manager, context))?.checkUpdate(manager, id, params);
      if (!UUID_PATTERN.test(id) || !(await records.update(context.object.tableName, id, params))) throw this.notFound(context, id);
      return this.read(manager, context, id);
    });
  }

  async delete(workspaceId: string, objectName: string, id: string): Promise<{ id: string }> {
    return this.write(workspaceId, objectName, async (_manager, context, records) => {
      if (!UUID_PATTERN.test(id) || !(await records.delete(context.object.tableName, id))) throw this.notFound(context, id);
      return { id };
    });
  }

  private async write<T>(
    workspaceId: string,
    objectName: string,
    work: (manager: EntityManager, context: ObjectContext, records: RecordRepository) => Promise<T>,
  ): Promise<T> {
    const used: { context?: ObjectContext } = {};
    try {
      return await this.dataSource.transaction(async (manager) => {
        used.context = await loadObjectContext(manager, workspaceId, objectName);
        const context = await lockObjectContextForWrite(manager, used.context, objectName);
        used.context = context;
        return work(manager, context, new RecordRepository(manager, context.workspace.schemaName));
      });
    } catch (error) {
      const { context } = used;
      if (context && isUndefinedColumnOrTable(error) && (await this.shapeChanged(workspaceId, objectName, context))) {
        throw new RecordError(
          'CONFLICT',
          'body',
          `the fields of ${context.object.nameSingular} changed while this request was written (an upgrade or a sync); nothing was written: retry the request`,
        );
      }
      throw recordErrorFrom(error, context?.fields ?? []) ?? error;
    }
  }

  /** Whether the object's table or fields differ now from the context a failed write used. */
  private async shapeChanged(workspaceId: string, objectName: string, context: ObjectContext): Promise<boolean> {
    const now = await this.dataSource.transaction((manager) => loadObjectContext(manager, workspaceId, objectName)).catch(() => null);
    return now === null || shapeOf(now) !== shapeOf(context);
  }

  private async read(manager: EntityManager, context: ObjectContext, id: string): Promise<Record<string, unknown>> {
    const columns = context.fields.flatMap((field) => field.columns);
    const row = UUID_PATTERN.test(id)
      ? await new RecordRepository(manager, context.workspace.schemaName).findById(context.object.tableName, columns, id)
      : null;
    if (!row) throw this.notFound(context, id);
    return rowToRecord(context.fields, row);
  }

  private notFound(context: ObjectContext, id: string): RecordError {
    return new RecordError('NOT_FOUND', 'id', `${context.object.nameSingular} ${id.slice(0, 80)} does not exist`);
  }
}
