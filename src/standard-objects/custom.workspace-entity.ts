import { WorkspaceField, WorkspaceIsNullable, WorkspaceIsSystem, WorkspaceRelation } from '../declarations/decorators/workspace.decorators';
import { FieldType, RelationType } from '../declarations/field-type';
import { AttachmentWorkspaceEntity } from './attachment.workspace-entity';
import { BaseWorkspaceEntity } from './base.workspace-entity';
import type { ActorValue } from './composite-field.types';
import { NoteTargetWorkspaceEntity } from './note-target.workspace-entity';
import { CUSTOM_OBJECT_STANDARD_FIELD_IDS } from './standard-ids.constant';

/**
 * The standard fields every custom object gets. Not an object itself, so no @WorkspaceEntity.
 * The relations name no inverse field: the inverse (a MANY_TO_ONE on noteTarget/attachment named
 * after the custom object) is generated per custom object.
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

  @WorkspaceRelation({
    standardId: CUSTOM_OBJECT_STANDARD_FIELD_IDS.noteTargets,
    type: RelationType.ONE_TO_MANY,
    label: 'Notes',
    description: 'Notes tied to the record',
    icon: 'IconNotes',
    inverseSideTarget: () => NoteTargetWorkspaceEntity,
  })
  noteTargets: NoteTargetWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: CUSTOM_OBJECT_STANDARD_FIELD_IDS.attachments,
    type: RelationType.ONE_TO_MANY,
    label: 'Attachments',
    description: 'Attachments linked to the record',
    icon: 'IconFileImport',
    inverseSideTarget: () => AttachmentWorkspaceEntity,
  })
  attachments: AttachmentWorkspaceEntity[];
}
