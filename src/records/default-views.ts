import { FieldType, RelationType } from '../declarations/field-type';
import { ActualObject } from '../metadata/actual-state';
import { DesiredObject } from '../sync/desired-state';

export interface DefaultView {
  view: Record<string, unknown>;
  fields: Array<Record<string, unknown>>;
}

export const DEFAULT_VIEW_FIELD_SIZE = 150;

/**
 * One default view per visible object, listing its visible fields in declaration order: not
 * system, active, and holding a value of the record (one-to-many relations and search fields do not).
 */
export const defaultViews = (desired: DesiredObject[], actual: ActualObject[]): DefaultView[] => {
  const views: DefaultView[] = [];
  for (const object of desired.filter((candidate) => !candidate.declared.isSystem)) {
    const metadata = actual.find((candidate) => !candidate.isCustom && candidate.standardId === object.declared.standardId);
    if (!metadata) continue;
    const visible = object.fields
      .filter(
        (field) =>
          !field.declared.isSystem &&
          field.declared.isActive &&
          field.declared.relation?.type !== RelationType.ONE_TO_MANY &&
          field.declared.type !== FieldType.TS_VECTOR,
      )
      .map((field) => metadata.fields.find((candidate) => !candidate.isCustom && candidate.standardId === field.declared.standardId))
      .filter((field) => field !== undefined);
    views.push({
      view: {
        name: `All ${object.declared.labelPlural}`,
        objectMetadataId: metadata.id,
        type: 'table',
        key: 'INDEX',
        icon: object.declared.icon ?? '',
        position: views.length,
      },
      fields: visible.map((field, position) => ({
        fieldMetadataId: field.id,
        isVisible: true,
        size: DEFAULT_VIEW_FIELD_SIZE,
        position,
      })),
    });
  }
  return views;
};
