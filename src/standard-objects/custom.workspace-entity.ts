import { WorkspaceField, WorkspaceIsNullable, WorkspaceIsSystem } from '../declarations/decorators/workspace.decorators';
import { FieldType } from '../declarations/field-type';
import { BaseWorkspaceEntity } from './base.workspace-entity';
import type { ActorValue } from './composite-field.types';
import { CUSTOM_OBJECT_STANDARD_FIELD_IDS } from './standard-ids.constant';

/**
 * The standard fields every custom object gets. Not an object itself, so no @WorkspaceEntity.
 * Its relations to target objects (noteTargets, attachments) are declared by the target objects
 * (`@WorkspaceTargets` with `customObjects`); their inverse, a MANY_TO_ONE named after the custom
 * object, is generated per custom object.
 */
export abstract class CustomWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: CUSTOM_OBJECT_STANDARD_FIELD_IDS.name,
    type: FieldType.TEXT,
    label: 'Name',
    description: 'Name',
    icon: 'IconAbc',
    defaultValue: '',
  })
  name: string;

  @WorkspaceField({
    standardId: CUSTOM_OBJECT_STANDARD_FIELD_IDS.position,
    type: FieldType.POSITION,
    label: 'Position',
    description: 'Position',
    icon: 'IconHierarchy2',
  })
  @WorkspaceIsNullable()
  @WorkspaceIsSystem()
  position: number | null;

  @WorkspaceField({
    standardId: CUSTOM_OBJECT_STANDARD_FIELD_IDS.createdBy,
    type: FieldType.ACTOR,
    label: 'Created by',
    description: 'The creator of the record',
    icon: 'IconCreativeCommonsSa',
    defaultValue: { source: 'MANUAL', name: '' },
  })
  createdBy: ActorValue;
}
