import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIndex,
  WorkspaceIsSystem,
  WorkspaceRelation,
  WorkspaceTargets,
} from '../declarations/decorators/workspace.decorators';
import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { BaseWorkspaceEntity } from './base.workspace-entity';
import { CompanyWorkspaceEntity } from './company.workspace-entity';
import { NoteWorkspaceEntity } from './note.workspace-entity';
import { OpportunityWorkspaceEntity } from './opportunity.workspace-entity';
import { PersonWorkspaceEntity } from './person.workspace-entity';
import { ATTACHMENT_STANDARD_FIELD_IDS, CUSTOM_OBJECT_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from './standard-ids.constant';
import { WorkspaceMemberWorkspaceEntity } from './workspace-member.workspace-entity';

@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.attachment,
  nameSingular: 'attachment',
  namePlural: 'attachments',
  labelSingular: 'Attachment',
  labelPlural: 'Attachments',
  description: 'An attachment',
  icon: 'IconFileImport',
  labelIdentifierStandardId: ATTACHMENT_STANDARD_FIELD_IDS.name,
})
@WorkspaceIsSystem()
@WorkspaceTargets({
  objects: () => [NoteWorkspaceEntity, PersonWorkspaceEntity, CompanyWorkspaceEntity, OpportunityWorkspaceEntity],
  standardIds: ATTACHMENT_STANDARD_FIELD_IDS,
  inverseSideFieldKey: 'attachments',
  description: (objectName) => `Attachment ${objectName}`,
  customObjects: {
    standardId: CUSTOM_OBJECT_STANDARD_FIELD_IDS.attachments,
    label: 'Attachments',
    description: 'Attachments linked to the record',
    icon: 'IconFileImport',
  },
})
export class AttachmentWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: ATTACHMENT_STANDARD_FIELD_IDS.name,
    type: FieldType.TEXT,
    label: 'Name',
    description: 'Attachment name',
    icon: 'IconFileUpload',
    defaultValue: '',
  })
  name: string;

  @WorkspaceField({
    standardId: ATTACHMENT_STANDARD_FIELD_IDS.fullPath,
    type: FieldType.TEXT,
    label: 'Full path',
    description: 'Attachment full path',
    icon: 'IconLink',
    defaultValue: '',
  })
  fullPath: string;

  @WorkspaceField({
    standardId: ATTACHMENT_STANDARD_FIELD_IDS.type,
    type: FieldType.TEXT,
    label: 'Type',
    description: 'Attachment type',
    icon: 'IconList',
    defaultValue: '',
  })
  type: string;

  @WorkspaceRelation({
    standardId: ATTACHMENT_STANDARD_FIELD_IDS.author,
    type: RelationType.MANY_TO_ONE,
    label: 'Author',
    description: 'Attachment author',
    icon: 'IconCircleUser',
    inverseSideTarget: () => WorkspaceMemberWorkspaceEntity,
    inverseSideFieldKey: 'authoredAttachments',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  author: WorkspaceMemberWorkspaceEntity | null;

  note: NoteWorkspaceEntity | null;
  person: PersonWorkspaceEntity | null;
  company: CompanyWorkspaceEntity | null;
  opportunity: OpportunityWorkspaceEntity | null;
}
