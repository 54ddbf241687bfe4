import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIsNullable,
  WorkspaceIsSystem,
  WorkspaceRelation,
} from '../declarations/decorators/workspace.decorators';
import { FieldType, RelationType } from '../declarations/field-type';
import { BaseWorkspaceEntity } from './base.workspace-entity';
import { STANDARD_OBJECT_IDS, VIEW_STANDARD_FIELD_IDS } from './standard-ids.constant';
import { ViewFieldWorkspaceEntity } from './view-field.workspace-entity';
import { ViewFilterWorkspaceEntity } from './view-filter.workspace-entity';
import { ViewSortWorkspaceEntity } from './view-sort.workspace-entity';

@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.view,
  nameSingular: 'view',
  namePlural: 'views',
  labelSingular: 'View',
  labelPlural: 'Views',
  description: '(System) Views',
  icon: 'IconLayoutCollage',
  labelIdentifierStandardId: VIEW_STANDARD_FIELD_IDS.name,
})
@WorkspaceIsSystem()
export class ViewWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: VIEW_STANDARD_FIELD_IDS.name,
    type: FieldType.TEXT,
    label: 'Name',
    description: 'View name',
    icon: 'IconTag',
    defaultValue: '',
  })
  name: string;

  // A plain UUID, not a relation: object metadata lives in the shared metadata tables, outside
  // the workspace's schema.
  @WorkspaceField({
    standardId: VIEW_STANDARD_FIELD_IDS.objectMetadataId,
    type: FieldType.UUID,
    label: 'Object Metadata Id',
    description: 'View target object',
    icon: 'IconBuildingFactory2',
  })
  @WorkspaceIsNullable()
  objectMetadataId: string | null;

  @WorkspaceField({
    standardId: VIEW_STANDARD_FIELD_IDS.type,
    type: FieldType.TEXT,
    label: 'Type',
    description: 'View type',
    icon: 'IconList',
    defaultValue: 'table',
  })
  type: string;

  @WorkspaceField({
    standardId: VIEW_STANDARD_FIELD_IDS.key,
    type: FieldType.SELECT,
    label: 'Key',
    description: 'View key',
    icon: 'IconKey',
    options: [{ value: 'INDEX', label: 'Index', position: 0, color: 'red' }],
  })
  @WorkspaceIsNullable()
  key: string | null;

  @WorkspaceField({
    standardId: VIEW_STANDARD_FIELD_IDS.icon,
    type: FieldType.TEXT,
    label: 'Icon',
    description: 'View icon',
    icon: 'IconIcons',
    defaultValue: '',
  })
  icon: string;

  @WorkspaceField({
    standardId: VIEW_STANDARD_FIELD_IDS.position,
    type: FieldType.POSITION,
    label: 'Position',
    description: 'View position',
    icon: 'IconList',
  })
  @WorkspaceIsNullable()
  position: number | null;

  @WorkspaceField({
    standardId: VIEW_STANDARD_FIELD_IDS.isCompact,
    type: FieldType.BOOLEAN,
    label: 'Compact View',
    description: 'Describes if the view is in compact mode',
    icon: 'IconArrowsMinimize',
    defaultValue: false,
  })
  isCompact: boolean;

  @WorkspaceRelation({
    standardId: VIEW_STANDARD_FIELD_IDS.viewFields,
    type: RelationType.ONE_TO_MANY,
    label: 'View Fields',
    description: 'View Fields',
    icon: 'IconTag',
    inverseSideTarget: () => ViewFieldWorkspaceEntity,
    inverseSideFieldKey: 'view',
  })
  viewFields: ViewFieldWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: VIEW_STANDARD_FIELD_IDS.viewFilters,
    type: RelationType.ONE_TO_MANY,
    label: 'View Filters',
    description: 'View Filters',
    icon: 'IconFilterBolt',
    inverseSideTarget: () => ViewFilterWorkspaceEntity,
    inverseSideFieldKey: 'view',
  })
  viewFilters: ViewFilterWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: VIEW_STANDARD_FIELD_IDS.viewSorts,
    type: RelationType.ONE_TO_MANY,
    label: 'View Sorts',
    description: 'View Sorts',
    icon: 'IconArrowsSort',
    inverseSideTarget: () => ViewSortWorkspaceEntity,
    inverseSideFieldKey: 'view',
  })
  viewSorts: ViewSortWorkspaceEntity[];
}
