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
import { STANDARD_OBJECT_IDS, VIEW_FIELD_STANDARD_FIELD_IDS } from './standard-ids.constant';
import { ViewWorkspaceEntity } from './view.workspace-entity';

@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.viewField,
  nameSingular: 'viewField',
  namePlural: 'viewFields',
  labelSingular: 'View Field',
  labelPlural: 'View Fields',
  description: '(System) View Fields',
  icon: 'IconTag',
})
@WorkspaceIsSystem()
export class ViewFieldWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: VIEW_FIELD_STANDARD_FIELD_IDS.fieldMetadataId,
    type: FieldType.UUID,
    label: 'Field Metadata Id',
    description: 'View Field target field',
    icon: 'IconTag',
  })
  @WorkspaceIsNullable()
  fieldMetadataId: string | null;

  @WorkspaceField({
    standardId: VIEW_FIELD_STANDARD_FIELD_IDS.isVisible,
    type: FieldType.BOOLEAN,
    label: 'Visible',
    description: 'View Field visibility',
    icon: 'IconEye',
    defaultValue: true,
  })
  isVisible: boolean;

  @WorkspaceField({
    standardId: VIEW_FIELD_STANDARD_FIELD_IDS.size,
    type: FieldType.NUMBER,
    label: 'Size',
    description: 'View Field size',
    icon: 'IconEye',
    defaultValue: 0,
  })
  size: number;

  // NUMBER, not POSITION: it orders the columns of one view, not the records of an object.
  @WorkspaceField({
    standardId: VIEW_FIELD_STANDARD_FIELD_IDS.position,
    type: FieldType.NUMBER,
    label: 'Position',
    description: 'View Field position',
    icon: 'IconList',
    defaultValue: 0,
  })
  position: number;

  @WorkspaceRelation({
    standardId: VIEW_FIELD_STANDARD_FIELD_IDS.view,
    type: RelationType.MANY_TO_ONE,
    label: 'View',
    description: 'View Field related view',
    icon: 'IconLayoutCollage',
    inverseSideTarget: () => ViewWorkspaceEntity,
    inverseSideFieldKey: 'viewFields',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  view: ViewWorkspaceEntity | null;
}
