import { DeclaredField } from '../declarations/declared-schema';
import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { ActualObject } from '../metadata/actual-state';
import { foreignKeyName, indexName, joinColumnName } from '../metadata/column-layout';
import { Change, declaredFieldRow, GeneratedRelation } from '../sync/changes';
import { desiredField } from '../sync/desired-state';
import { customField } from './custom-metadata.input';
import { CustomMetadataWorkspace } from './custom-metadata.workspace';

/** The custom object a target object points at: what its relation and foreign key are named after. */
export interface TargetedObject {
  id: string;
  nameSingular: string;
  labelSingular: string;
  icon: string | null;
  tableName: string;
}

/**
 * The target objects' side of one custom object: each shared ONE_TO_MANY field of custom objects
 * (declared once on the custom-object base) names a target object (noteTarget, attachment ...),
 * which gets a MANY_TO_ONE relation named after the custom object, its nullable column
 * `<name>Id`, a cascading foreign key and an index.
 */
export const targetRelation = (
  owner: ActualObject,
  object: TargetedObject,
  shared: { field: DeclaredField; id: string },
  inverseId: string,
  newId: () => string,
): GeneratedRelation => {
  const inverse = customField({
    standardId: '',
    name: object.nameSingular,
    type: FieldType.RELATION,
    label: object.labelSingular,
    description: null,
    icon: object.icon,
    isNullable: true,
    defaultValue: null,
    options: null,
    relation: {
      type: RelationType.MANY_TO_ONE,
      targetObject: object.nameSingular,
      inverseFieldName: shared.field.name,
      onDelete: OnDeleteAction.CASCADE,
    },
  });
  const [column] = desiredField(inverse, owner.tableName).columns;
  return {
    tableName: owner.tableName,
    column,
    foreignKey: {
      name: foreignKeyName(owner.tableName, column.name),
      column: column.name,
      targetTable: object.tableName,
      onDelete: OnDeleteAction.CASCADE,
    },
    index: {
      id: newId(),
      objectMetadataId: owner.id,
      name: indexName(owner.tableName, [column.name], false),
      columns: [column.name],
      isUnique: false,
      isCustom: true,
    },
    field: declaredFieldRow(inverse, {
      id: inverseId,
      objectMetadataId: owner.id,
      standardId: null,
      isCustom: true,
      relationTargetObjectMetadataId: object.id,
      relationTargetFieldMetadataId: shared.id,
    }),
  };
};

/** The shared relation fields of custom objects whose target object the workspace has, with that object. */
export const declaredTargets = (
  workspace: CustomMetadataWorkspace,
  sharedFields: DeclaredField[],
): Array<{ field: DeclaredField; owner: ActualObject }> =>
  sharedFields.flatMap((field) => {
    if (field.relation?.type !== RelationType.ONE_TO_MANY || field.isDeprecated) return [];
    const owner = workspace.actual.objects.find((object) => !object.isCustom && object.nameSingular === field.relation!.targetObject);
    return owner ? [{ field, owner }] : [];
  });

/**
 * What the workspace's existing custom objects lack of the declared target relations: for each
 * custom object and each declared target object, the shared ONE_TO_MANY field on the custom object
 * (a metadata row) and the target object's relation, column, foreign key and index. Empty when
 * nothing is missing. Used when a release declares a new target object (0.25), so that custom
 * objects created before it get what a custom object created after it gets. Per custom object.
 */
export const planMissingTargetRelations = (
  workspace: CustomMetadataWorkspace,
  sharedFields: DeclaredField[],
  newId: () => string,
): Array<{ object: string; changes: Change[] }> => {
  const missing: Array<{ object: string; changes: Change[] }> = [];
  const targets = declaredTargets(workspace, sharedFields);
  for (const object of workspace.actual.objects.filter((candidate) => candidate.isCustom)) {
    const changes: Change[] = [];
    for (const { field, owner } of targets) {
      const existing = object.fields.find((candidate) => !candidate.isCustom && candidate.standardId === field.standardId);
      const inverse = owner.fields.find(
        (candidate) => candidate.relationType === RelationType.MANY_TO_ONE && candidate.relationTargetObjectMetadataId === object.id,
      );
      if (existing && inverse) continue;
      if (existing || inverse) {
        // One side without the other is drift, not something missing: workspace:health reports it.
        continue;
      }
      workspace.checkFieldNameFree(owner, object.nameSingular, [joinColumnName(object.nameSingular)], 'nameSingular');
      workspace.checkFieldNameFree(object, field.name, [], 'name');
      const shared = { field, id: newId() };
      const inverseId = newId();
      changes.push({
        kind: 'createField',
        tableName: object.tableName,
        enumTypes: [],
        columns: [],
        field: declaredFieldRow(field, {
          id: shared.id,
          objectMetadataId: object.id,
          standardId: field.standardId,
          isCustom: false,
          relationTargetObjectMetadataId: owner.id,
          relationTargetFieldMetadataId: inverseId,
        }),
      });
      changes.push({ kind: 'createGeneratedRelation', relation: targetRelation(owner, object, shared, inverseId, newId) });
    }
    if (changes.length > 0) missing.push({ object: object.nameSingular, changes });
  }
  return missing;
};
