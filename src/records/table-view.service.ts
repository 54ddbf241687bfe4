import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { UUID_PATTERN } from '../declarations/identifier.rules';
import { STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { ActualObject } from '../metadata/actual-state';
import { RecordField } from './record-fields';
import { RecordRepository } from './record.repository';
import { RecordError } from './record.error';
import { loadObjectContext, RecordPage, RecordService, viewTablesOf } from './record.service';
import { viewQuery, ViewFilterRow, ViewSortRow } from './view-query';

/** A column of a table view: the field it shows, at the view's size. */
export interface TableColumn {
  field: RecordField;
  size: number;
}

/** An object seen through one of its views: the columns in the view's order, its filters and sorts, a page of records. */
export interface TableView {
  object: ActualObject;
  views: Array<{ id: string; name: string }>;
  view: { id: string; name: string } | null;
  columns: TableColumn[];
  filters: Array<ViewFilterRow & { field: RecordField | null }>;
  sorts: Array<ViewSortRow & { field: RecordField | null }>;
  /** Every field that holds a value: what a filter or a sort may be put on. */
  fields: RecordField[];
  page: RecordPage;
  /** Why the view cannot list (a filter another writer left that it cannot apply); its filters can still be removed. */
  viewError: string | null;
}

const EMPTY_PAGE = (limit: number, offset: number): RecordPage => ({
  records: [],
  pageInfo: { limit, offset, totalCount: 0, nextOffset: null },
});

/**
 * The table view of an object: its layout read from the view objects, its records listed by
 * RecordService through the view (the same filters, sorts and checks as the API's `viewId`).
 * Filters and sorts are rows of the view objects, added and removed through RecordService.
 */
@Injectable()
export class TableViewService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RecordService) private readonly records: RecordService,
  ) {}

  /** The view `viewId` of the object, or its first view when none is named. */
  async show(workspaceId: string, objectName: string, options: { viewId?: string; limit: number; offset: number }): Promise<TableView> {
    const layout = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const context = await loadObjectContext(manager, workspaceId, objectName);
      const tables = viewTablesOf(context.objects);
      const viewField = context.objects.find(
        (object) => !object.isCustom && object.standardId === STANDARD_OBJECT_IDS.viewField,
      )?.tableName;
      const repository = new RecordRepository(manager, context.workspace.schemaName);
      const views = tables ? await repository.viewsOf(tables.view, context.object.id) : [];
      const view =
        options.viewId === undefined
          ? (views[0] ?? null)
          : (views.find((candidate) => UUID_PATTERN.test(options.viewId!) && candidate.id === options.viewId!.toLowerCase()) ?? null);
      if (options.viewId !== undefined && !view) {
        throw new RecordError(
          'NOT_FOUND',
          'viewId',
          `viewId "${options.viewId.slice(0, 80)}" is not a view of ${context.object.nameSingular}`,
        );
      }
      const byId = (id: string | null) => context.fields.find((field) => field.field.id === id) ?? null;
      const found = view && tables ? await repository.findView(tables, view.id, context.object.id) : null;
      const columns =
        view && viewField
          ? (await repository.viewFields(viewField, view.id))
              .filter((column) => column.isVisible)
              .map((column) => ({ field: byId(column.fieldMetadataId), size: column.size }))
              .filter((column): column is TableColumn => column.field !== null)
          : context.fields.map((field) => ({ field, size: 150 }));
      return {
        object: context.object,
        views,
        view,
        columns,
        filters: (found?.filters ?? []).map((filter) => ({ ...filter, field: byId(filter.fieldMetadataId) })),
        sorts: (found?.sorts ?? []).map((sort) => ({ ...sort, field: byId(sort.fieldMetadataId) })),
        fields: context.fields,
      };
    });
    try {
      const page = await this.records.list(workspaceId, objectName, {
        viewId: layout.view?.id,
        limit: options.limit,
        offset: options.offset,
      });
      return { ...layout, page, viewError: null };
    } catch (error) {
      if (!(error instanceof RecordError) || error.property !== 'viewId') throw error;
      return { ...layout, page: EMPTY_PAGE(options.limit, options.offset), viewError: error.message };
    }
  }

  /**
   * Adds a filter to a view, refused (nothing written) when listing through the view could not
   * apply it: a value that is not a number, a date or true/false where the field needs one.
   */
  async addFilter(
    workspaceId: string,
    objectName: string,
    viewId: string,
    filter: { fieldMetadataId: string; operand: string; value: string },
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const context = await loadObjectContext(manager, workspaceId, objectName);
      // A field of another object, or none, is for the write's own checks to name.
      if (context.allFields.some((field) => field.field.id === filter.fieldMetadataId)) {
        viewQuery(context.fields, context.allFields, [{ id: 'being added', ...filter }], []);
      }
    });
    await this.records.create(workspaceId, 'viewFilter', { ...filter, displayValue: filter.value, viewId });
  }

  async addSort(workspaceId: string, viewId: string, sort: { fieldMetadataId: string; direction: string }): Promise<void> {
    await this.records.create(workspaceId, 'viewSort', { ...sort, viewId });
  }

  async removeFilter(workspaceId: string, filterId: string): Promise<void> {
    await this.records.delete(workspaceId, 'viewFilter', filterId);
  }

  async removeSort(workspaceId: string, sortId: string): Promise<void> {
    await this.records.delete(workspaceId, 'viewSort', sortId);
  }
}
