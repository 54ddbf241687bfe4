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
import { STANDARD_OBJECT_IDS, VIEW_FILTER_STANDARD_FIELD_IDS } from './standard-ids.constant';
import { ViewWorkspaceEntity } from './view.workspace-entity';

@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.viewFilter,
  nameSingular: 'viewFilter',
  namePlural: 'viewFilters',
  labelSingular: 'View Filter',
  labelPlural: 'View Filters',
  description: '(System) View Filters',
  icon: 'IconFilterBolt',
})
@WorkspaceIsSystem()
export class ViewFilterWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: VIEW_FILTER_STANDARD_FIELD_IDS.fieldMetadataId,
    type: FieldType.UUID,
    label: 'Field Metadata Id',
    description: 'View Filter target field',
    icon: 'IconTag',
  })
  @WorkspaceIsNullable()
  fieldMetadataId: string | null;

  @WorkspaceField({
    standardId: VIEW_FILTER_STANDARD_FIELD_IDS.operand,
    type: FieldType.TEXT,
    label: 'Operand',
    description: 'View Filter operand',
    icon: 'IconMathSymbols',
    defaultValue: 'contains',
  })
  operand: string;

  @WorkspaceField({
    standardId: VIEW_FILTER_STANDARD_FIELD_IDS.value,
    type: FieldType.TEXT,
    label: 'Value',
    description: 'View Filter value',
    icon: 'IconAlphabetLatin',
    defaultValue: '',
  })
  value: string;

  @WorkspaceField({
    standardId: VIEW_FILTER_STANDARD_FIELD_IDS.displayValue,
    type: FieldType.TEXT,
    label: 'Display Value',
    description: 'View Filter Display Value',
    icon: 'IconAlphabetLatin',
    defaultValue: '',
  })
  displayValue: string;

  @WorkspaceRelation({
    standardId: VIEW_FILTER_STANDARD_FIELD_IDS.view,
    type: RelationType.MANY_TO_ONE,
    label: 'View',
    description: 'View Filter related view',
    icon: 'IconLayoutCollage',
    inverseSideTarget: () => ViewWorkspaceEntity,
    inverseSideFieldKey: 'viewFilters',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  view: ViewWorkspaceEntity | null;
}
