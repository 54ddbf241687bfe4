import { EntityManager } from 'typeorm';

import { FieldType } from '../declarations/field-type';
import { ActualObject } from '../metadata/actual-state';
import { STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { RecordField } from './record-fields';
import { RecordRepository } from './record.repository';
import { RecordError } from './record.error';
import { VIEW_FILTER_OPERANDS } from './view-query';

const VIEW_ROW_OBJECTS: string[] = [STANDARD_OBJECT_IDS.viewField, STANDARD_OBJECT_IDS.viewFilter, STANDARD_OBJECT_IDS.viewSort];
const REFERENCE_COLUMNS = ['objectMetadataId', 'fieldMetadataId', 'viewId'];

/** What the check needs of a request's object context. */
interface ReferenceContext {
  workspace: { schemaName: string };
  objects: ActualObject[];
  object: ActualObject;
  fields: RecordField[];
}

/**
 * Rows of the view objects name metadata by id: a view its object (`objectMetadataId`), a view
 * field, filter or sort its field (`fieldMetadataId`). A row naming another workspace's metadata,
 * or a field of another object than its view's, would break listing through the view and the
 * workspace's health, so it is refused before it is written, naming the property. So is a filter's
 * operand or a sort's direction that listing through the view could not apply.
 */
export class ViewReferences {
  private constructor(
    private readonly context: ReferenceContext,
    /** View id -> its object's id; only for the objects whose rows name a field. */
    private readonly viewObjects: Map<string, string | null>,
  ) {}

  /** The check for the context's object, or null when its rows name no metadata. */
  static async load(manager: EntityManager, context: ReferenceContext): Promise<ViewReferences | null> {
    const { object, objects } = context;
    if (object.isCustom) return null;
    if (object.standardId === STANDARD_OBJECT_IDS.view) return new ViewReferences(context, new Map());
    if (!VIEW_ROW_OBJECTS.includes(object.standardId ?? '')) return null;
    const view = objects.find((candidate) => !candidate.isCustom && candidate.standardId === STANDARD_OBJECT_IDS.view);
    const viewObjects = view ? await new RecordRepository(manager, context.workspace.schemaName).viewObjectIds(view.tableName) : new Map();
    return new ViewReferences(context, viewObjects);
  }

  /** Checks an update of row `id`: its references as they are, with the new values over them. */
  async checkUpdate(manager: EntityManager, id: string, values: Record<string, unknown>): Promise<void> {
    const { object, fields, workspace } = this.context;
    const columns = fields.flatMap((field) => field.columns).filter((column) => REFERENCE_COLUMNS.includes(column.name));
    const current = await new RecordRepository(manager, workspace.schemaName).findById(object.tableName, columns, id);
    if (current) this.check({ ...current, ...values });
  }

  /** A filter's operand and a sort's direction, when the write gives them. */
  private checkOperation(values: Record<string, unknown>): void {
    const { standardId } = this.context.object;
    const { operand, direction } = values;
    if (standardId === STANDARD_OBJECT_IDS.viewFilter && operand !== undefined && !VIEW_FILTER_OPERANDS.includes(operand as string)) {
      throw new RecordError(
        'INVALID',
        'operand',
        `operand "${String(operand).slice(0, 40)}" is not a view filter operand; use one of ${VIEW_FILTER_OPERANDS.join(', ')}`,
      );
    }
    if (
      standardId === STANDARD_OBJECT_IDS.viewSort &&
      direction !== undefined &&
      (typeof direction !== 'string' || !['asc', 'desc'].includes(direction.toLowerCase()))
    ) {
      throw new RecordError(
        'INVALID',
        'direction',
        `direction "${String(direction).slice(0, 20)}" is not a sort direction; use asc or desc`,
      );
    }
  }

  /** Checks a row's values by column (on update: the row as it will be); throws a RecordError. */
  check(values: Record<string, unknown>): void {
    const { objects } = this.context;
    if (this.context.object.standardId === STANDARD_OBJECT_IDS.view) {
      const id = values.objectMetadataId;
      if (id !== null && id !== undefined && !objects.some((object) => object.id === id)) {
        throw new RecordError(
          'INVALID',
          'objectMetadataId',
          `objectMetadataId ${String(id).slice(0, 80)} is not an object of this workspace; name the id of one of its objects`,
        );
      }
      return;
    }
    this.checkOperation(values);
    const id = values.fieldMetadataId;
    if (id === null || id === undefined) return;
    const owner = objects.find((object) => object.fields.some((field) => field.id === id));
    if (!owner) {
      throw new RecordError(
        'INVALID',
        'fieldMetadataId',
        `fieldMetadataId ${String(id).slice(0, 80)} is not a field of this workspace; name the id of a field of the view's object`,
      );
    }
    const field = owner.fields.find((candidate) => candidate.id === id)!;
    if (field.type === FieldType.TS_VECTOR) {
      throw new RecordError(
        'INVALID',
        'fieldMetadataId',
        `fieldMetadataId ${String(id)} is ${owner.nameSingular}.${field.name}, a search field kept by the database: it cannot be shown, filtered or sorted in a view; find records by it with ?search=`,
      );
    }
    const viewId = values.viewId;
    if (viewId === null || viewId === undefined || !this.viewObjects.has(String(viewId))) return;
    const viewObject = objects.find((object) => object.id === this.viewObjects.get(String(viewId)));
    if (viewObject && viewObject.id !== owner.id) {
      throw new RecordError(
        'INVALID',
        'fieldMetadataId',
        `fieldMetadataId ${String(id)} is a field of ${owner.nameSingular}, not of ${viewObject.nameSingular} (the object of view ${String(viewId)}); name a field of ${viewObject.nameSingular}`,
      );
    }
  }
}
