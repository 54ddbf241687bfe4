import { DeclarationSetBuilder } from '../declarations/declaration-set.builder';
import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIndex,
  WorkspaceIsDeprecated,
  WorkspaceIsNullable,
  WorkspaceRelation,
} from '../declarations/decorators/workspace.decorators';
import { DeclaredSchema } from '../declarations/declared-schema';
import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { ActualField, ActualObject, ActualState, emptyActualState, LiveTable } from '../metadata/actual-state';
import { searchFunctionName, searchTriggerName } from '../metadata/search-vector';
import { Change, CreateObject } from './changes';
import { declaredObjectRow, DesiredState } from './desired-state';
import { Plan } from './plan';
import { WorkspaceComparator } from './workspace.comparator';

export const WORKSPACE = '0b3f8a52-3d55-4c5e-9a55-6c1f0b0e8f11';
export const SCHEMA = 'workspace_test';

export const IDS = {
  company: 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d01',
  person: 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d02',
  companyName: 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d03',
  companyPeople: 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d04',
  personName: 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d05',
  personEmail: 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d06',
  personCompany: 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d07',
  personStage: 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d08',
  personNickname: 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d09',
  id: 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d10',
};

export abstract class Base {
  @WorkspaceField({ standardId: IDS.id, type: FieldType.UUID, label: 'Id', defaultValue: 'uuid' })
  id: string;
}

@WorkspaceEntity({
  standardId: IDS.company,
  nameSingular: 'company',
  namePlural: 'companies',
  labelSingular: 'Company',
  labelPlural: 'Companies',
  labelIdentifierStandardId: IDS.companyName,
})
export class Company extends Base {
  @WorkspaceField({ standardId: IDS.companyName, type: FieldType.TEXT, label: 'Name', defaultValue: '' })
  name: string;

  @WorkspaceRelation({
    standardId: IDS.companyPeople,
    type: RelationType.ONE_TO_MANY,
    label: 'People',
    inverseSideTarget: () => Person,
    inverseSideFieldKey: 'company',
  })
  people: Person[];
}

@WorkspaceEntity({ standardId: IDS.person, nameSingular: 'person', namePlural: 'people', labelSingular: 'Person', labelPlural: 'People' })
export class Person extends Base {
  @WorkspaceField({ standardId: IDS.personName, type: FieldType.FULL_NAME, label: 'Name' })
  @WorkspaceIsNullable()
  name: unknown;

  @WorkspaceField({ standardId: IDS.personEmail, type: FieldType.EMAILS, label: 'Emails' })
  @WorkspaceIsNullable()
  emails: unknown;

  @WorkspaceField({
    standardId: IDS.personStage,
    type: FieldType.SELECT,
    label: 'Stage',
    defaultValue: 'NEW',
    options: [
      { value: 'NEW', label: 'New', position: 0 },
      { value: 'WON', label: 'Won', position: 1 },
    ],
  })
  stage: string;

  @WorkspaceRelation({
    standardId: IDS.personCompany,
    type: RelationType.MANY_TO_ONE,
    label: 'Company',
    inverseSideTarget: () => Company,
    inverseSideFieldKey: 'people',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  company: Company;
}

@WorkspaceEntity({ standardId: IDS.person, nameSingular: 'person', namePlural: 'people', labelSingular: 'Person', labelPlural: 'People' })
export class PersonV2 extends Base {
  @WorkspaceField({ standardId: IDS.personName, type: FieldType.FULL_NAME, label: 'Full name' })
  @WorkspaceIsNullable()
  fullName: unknown;

  @WorkspaceField({ standardId: IDS.personEmail, type: FieldType.EMAILS, label: 'Emails' })
  @WorkspaceIsNullable()
  @WorkspaceIsDeprecated()
  emails: unknown;

  @WorkspaceField({ standardId: IDS.personNickname, type: FieldType.TEXT, label: 'Nickname', defaultValue: '' })
  nickname: string;

  @WorkspaceRelation({
    standardId: IDS.personCompany,
    type: RelationType.MANY_TO_ONE,
    label: 'Company',
    inverseSideTarget: () => CompanyV2,
    inverseSideFieldKey: 'people',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  company: unknown;
}

@WorkspaceEntity({
  standardId: IDS.company,
  nameSingular: 'company',
  namePlural: 'companies',
  labelSingular: 'Company',
  labelPlural: 'Companies',
  labelIdentifierStandardId: IDS.companyName,
})
export class CompanyV2 extends Base {
  @WorkspaceField({ standardId: IDS.companyName, type: FieldType.TEXT, label: 'Name', defaultValue: '' })
  name: string;

  @WorkspaceRelation({
    standardId: IDS.companyPeople,
    type: RelationType.ONE_TO_MANY,
    label: 'People',
    inverseSideTarget: () => PersonV2,
    inverseSideFieldKey: 'company',
  })
  people: unknown[];
}

export const v1 = (): DeclaredSchema => DeclarationSetBuilder.build({ entities: [Company, Person], version: 'v1' });

export const changesOf = (plan: Plan): Change[] => plan.actions.flatMap((action) => action.changes ?? []);

export const createdObjects = (plan: Plan): CreateObject[] =>
  changesOf(plan).filter((change): change is CreateObject => change.kind === 'createObject');

/** The actual state a workspace has right after a plan for `desired` was applied to an empty one: rows as declared, under the ids the plan gave them. */
export const appliedState = (desired: DesiredState): ActualState => {
  const created = createdObjects(WorkspaceComparator.compare(desired, emptyActualState(WORKSPACE, SCHEMA)));
  const objects: ActualObject[] = desired.objects.map((object) => {
    const change = created.find((candidate) => candidate.object.standardId === object.declared.standardId)!;
    const objectId = change.object.id;
    const fields: ActualField[] = object.fields.map((field) => ({
      id: change.fields.find((row) => row.standardId === field.declared.standardId)!.id,
      objectMetadataId: objectId,
      standardId: field.declared.standardId,
      name: field.declared.name,
      label: field.declared.label,
      type: field.declared.type,
      description: field.declared.description,
      icon: field.declared.icon,
      isCustom: false,
      isSystem: field.declared.isSystem,
      isActive: field.declared.isActive,
      isNullable: field.declared.isNullable,
      isUnique: field.declared.isUnique,
      isDeprecated: false,
      defaultValue: field.declared.defaultValue,
      options: field.declared.options,
      settings: field.declared.settings,
      relationType: field.declared.relation?.type ?? null,
      relationTargetObjectMetadataId: null,
      relationTargetFieldMetadataId: null,
      onDelete: field.declared.relation?.onDelete ?? null,
    }));
    return declaredObjectRow(object, objectId, fields);
  });
  for (const object of objects) {
    const declared = desired.objects.find((candidate) => candidate.declared.standardId === object.standardId)!.declared;
    object.labelIdentifierFieldMetadataId =
      object.fields.find((field) => field.standardId === declared.labelIdentifierStandardId)?.id ?? null;
    for (const field of object.fields) {
      const relation = declared.fields.find((candidate) => candidate.standardId === field.standardId)!.relation;
      if (!relation) continue;
      const target = objects.find((candidate) => candidate.nameSingular === relation.targetObject)!;
      field.relationTargetObjectMetadataId = target.id;
      field.relationTargetFieldMetadataId = target.fields.find((candidate) => candidate.name === relation.inverseFieldName)?.id ?? null;
    }
  }
  const tables = new Map<string, LiveTable>();
  for (const object of desired.objects) {
    const columns = object.fields.flatMap((field) => field.columns);
    tables.set(object.tableName, {
      name: object.tableName,
      estimatedRows: 0,
      columns: new Map(
        columns.map((column) => [
          column.name,
          { name: column.name, type: column.type, enumName: column.enumName, isNullable: column.isNullable },
        ]),
      ),
    });
  }
  const searchFields = desired.objects.flatMap((object) =>
    object.fields
      .filter((field) => field.declared.type === FieldType.TS_VECTOR)
      .map((field) => ({ tableName: object.tableName, name: field.declared.name })),
  );
  return {
    workspaceId: WORKSPACE,
    schemaName: SCHEMA,
    objects,
    indexes: desired.objects.flatMap((object) =>
      object.indexes.map((index) => ({
        id: `idx-${index.name}`,
        objectMetadataId: objects.find((candidate) => candidate.standardId === object.declared.standardId)!.id,
        name: index.name,
        columns: index.columns,
        isUnique: index.isUnique,
        whereClause: index.where,
        isCustom: false,
      })),
    ),
    live: {
      exists: true,
      tables,
      foreignKeys: desired.objects.flatMap((object) =>
        object.fields.filter((field) => field.foreignKey).map((field) => ({ ...field.foreignKey!, table: object.tableName })),
      ),
      indexes: desired.objects.flatMap((object) =>
        object.indexes.map((index) => ({ name: index.name, table: object.tableName, isUnique: index.isUnique, isValid: true })),
      ),
      enums: new Map(
        desired.objects.flatMap((object) =>
          object.fields.flatMap((field) =>
            field.columns.filter((c) => c.enumName).map((c) => [c.enumName!, field.enumValues!] as [string, string[]]),
          ),
        ),
      ),
      triggers: searchFields.map(({ tableName, name }) => ({
        table: tableName,
        name: searchTriggerName(name),
        functionName: searchFunctionName(tableName, name),
      })),
      functions: searchFields.map(({ tableName, name }) => searchFunctionName(tableName, name)),
    },
  };
};
