import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIndex,
  WorkspaceIsNullable,
  WorkspaceIsSystem,
  WorkspaceRelation,
} from '../declarations/decorators/workspace.decorators';
import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { BaseWorkspaceEntity } from './base.workspace-entity';
import { STANDARD_OBJECT_IDS, VIEW_SORT_STANDARD_FIELD_IDS } from './standard-ids.constant';
import { ViewWorkspaceEntity } from './view.workspace-entity';

@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.viewSort,
  nameSingular: 'viewSort',
  namePlural: 'viewSorts',
  labelSingular: 'View Sort',
  labelPlural: 'View Sorts',
  description: '(System) View Sorts',
  icon: 'IconArrowsSort',
})
@WorkspaceIsSystem()
export class ViewSortWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: VIEW_SORT_STANDARD_FIELD_IDS.fieldMetadataId,
    type: FieldType.UUID,
    label: 'Field Metadata Id',
    description: 'View Sort target field',
    icon: 'IconTag',
  })
  @WorkspaceIsNullable()
  fieldMetadataId: string | null;

  @WorkspaceField({
    standardId: VIEW_SORT_STANDARD_FIELD_IDS.direction,
    type: FieldType.TEXT,
    label: 'Direction',
    description: 'View Sort direction',
    icon: 'IconArrowsSort',
    defaultValue: 'asc',
  })
  direction: string;

  @WorkspaceRelation({
    standardId: VIEW_SORT_STANDARD_FIELD_IDS.view,
    type: RelationType.MANY_TO_ONE,
    label: 'View',
    description: 'View Sort related view',
    icon: 'IconLayoutCollage',
    inverseSideTarget: () => ViewWorkspaceEntity,
    inverseSideFieldKey: 'viewSorts',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  view: ViewWorkspaceEntity | null;
}
