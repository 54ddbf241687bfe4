import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIndex,
  WorkspaceIsSystem,
  WorkspaceRelation,
} from '../declarations/decorators/workspace.decorators';
import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { BaseWorkspaceEntity } from './base.workspace-entity';
import { CompanyWorkspaceEntity } from './company.workspace-entity';
import { NoteWorkspaceEntity } from './note.workspace-entity';
import { OpportunityWorkspaceEntity } from './opportunity.workspace-entity';
import { PersonWorkspaceEntity } from './person.workspace-entity';
import { ATTACHMENT_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from './standard-ids.constant';
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

  @WorkspaceRelation({
    standardId: ATTACHMENT_STANDARD_FIELD_IDS.note,
    type: RelationType.MANY_TO_ONE,
    label: 'Note',
    description: 'Attachment note',
    icon: 'IconNotes',
    inverseSideTarget: () => NoteWorkspaceEntity,
    inverseSideFieldKey: 'attachments',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  note: NoteWorkspaceEntity | null;

  @WorkspaceRelation({
    standardId: ATTACHMENT_STANDARD_FIELD_IDS.person,
    type: RelationType.MANY_TO_ONE,
    label: 'Person',
    description: 'Attachment person',
    icon: 'IconUser',
    inverseSideTarget: () => PersonWorkspaceEntity,
    inverseSideFieldKey: 'attachments',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  person: PersonWorkspaceEntity | null;

  @WorkspaceRelation({
    standardId: ATTACHMENT_STANDARD_FIELD_IDS.company,
    type: RelationType.MANY_TO_ONE,
    label: 'Company',
    description: 'Attachment company',
    icon: 'IconBuildingSkyscraper',
    inverseSideTarget: () => CompanyWorkspaceEntity,
    inverseSideFieldKey: 'attachments',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  company: CompanyWorkspaceEntity | null;

  @WorkspaceRelation({
    standardId: ATTACHMENT_STANDARD_FIELD_IDS.opportunity,
    type: RelationType.MANY_TO_ONE,
    label: 'Opportunity',
    description: 'Attachment opportunity',
    icon: 'IconTargetArrow',
    inverseSideTarget: () => OpportunityWorkspaceEntity,
    inverseSideFieldKey: 'attachments',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  opportunity: OpportunityWorkspaceEntity | null;
}
