import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIndex,
  WorkspaceIsInactive,
  WorkspaceIsNullable,
  WorkspaceIsSystem,
  WorkspaceRelation,
} from '../declarations/decorators/workspace.decorators';
import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { AttachmentWorkspaceEntity } from './attachment.workspace-entity';
import { BaseWorkspaceEntity } from './base.workspace-entity';
import { CompanyWorkspaceEntity } from './company.workspace-entity';
import { FavoriteWorkspaceEntity } from './favorite.workspace-entity';
import type { ActorValue, EmailsValue, FullNameValue, PhonesValue } from './composite-field.types';
import { NoteTargetWorkspaceEntity } from './note-target.workspace-entity';
import { OpportunityWorkspaceEntity } from './opportunity.workspace-entity';
import { PERSON_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from './standard-ids.constant';
import { TaskTargetWorkspaceEntity } from './task-target.workspace-entity';
import { TimelineActivityWorkspaceEntity } from './timeline-activity.workspace-entity';

@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.person,
  nameSingular: 'person',
  namePlural: 'people',
  labelSingular: 'Person',
  labelPlural: 'People',
  description: 'A person',
  icon: 'IconUser',
  labelIdentifierStandardId: PERSON_STANDARD_FIELD_IDS.name,
})
// One person per primary email; people without one (NULL or empty) are not constrained.
@WorkspaceIndex(['emails.primaryEmail'], { isUnique: true, where: `"emailsPrimaryEmail" IS NOT NULL AND "emailsPrimaryEmail" <> ''` })
export class PersonWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: PERSON_STANDARD_FIELD_IDS.name,
    type: FieldType.FULL_NAME,
    label: 'Name',
    description: "Contact's name",
    icon: 'IconUser',
  })
  @WorkspaceIsNullable()
  name: FullNameValue | null;

  @WorkspaceField({
    standardId: PERSON_STANDARD_FIELD_IDS.emails,
    type: FieldType.EMAILS,
    label: 'Emails',
    description: "Contact's emails",
    icon: 'IconMail',
  })
  @WorkspaceIsNullable()
  emails: EmailsValue | null;

  @WorkspaceField({
    standardId: PERSON_STANDARD_FIELD_IDS.jobTitle,
    type: FieldType.TEXT,
    label: 'Job Title',
    description: "Contact's job title",
    icon: 'IconBriefcase',
    defaultValue: '',
  })
  jobTitle: string;

  @WorkspaceField({
    standardId: PERSON_STANDARD_FIELD_IDS.phones,
    type: FieldType.PHONES,
    label: 'Phones',
    description: "Contact's phone numbers",
    icon: 'IconPhone',
  })
  @WorkspaceIsNullable()
  phones: PhonesValue | null;

  @WorkspaceField({
    standardId: PERSON_STANDARD_FIELD_IDS.city,
    type: FieldType.TEXT,
    label: 'City',
    description: "Contact's city",
    icon: 'IconMap',
    defaultValue: '',
  })
  city: string;

  @WorkspaceField({
    standardId: PERSON_STANDARD_FIELD_IDS.birthdate,
    type: FieldType.DATE,
    label: 'Birthdate',
    description: "Contact's birthdate",
    icon: 'IconCake',
  })
  @WorkspaceIsNullable()
  @WorkspaceIsInactive()
  birthdate: string | null;

  @WorkspaceField({
    standardId: PERSON_STANDARD_FIELD_IDS.avatarUrl,
    type: FieldType.TEXT,
    label: 'Avatar',
    description: "Contact's avatar",
    icon: 'IconFileUpload',
    defaultValue: '',
  })
  @WorkspaceIsSystem()
  avatarUrl: string;

  @WorkspaceField({
    standardId: PERSON_STANDARD_FIELD_IDS.position,
    type: FieldType.POSITION,
    label: 'Position',
    description: 'Person record position',
    icon: 'IconHierarchy2',
  })
  @WorkspaceIsNullable()
  @WorkspaceIsSystem()
  position: number | null;

  @WorkspaceField({
    standardId: PERSON_STANDARD_FIELD_IDS.createdBy,
    type: FieldType.ACTOR,
    label: 'Created by',
    description: 'The creator of the record',
    icon: 'IconCreativeCommonsSa',
    defaultValue: { source: 'MANUAL', name: '' },
  })
  createdBy: ActorValue;

  @WorkspaceRelation({
    standardId: PERSON_STANDARD_FIELD_IDS.company,
    type: RelationType.MANY_TO_ONE,
    label: 'Company',
    description: "Contact's company",
    icon: 'IconBuildingSkyscraper',
    inverseSideTarget: () => CompanyWorkspaceEntity,
    inverseSideFieldKey: 'people',
    onDelete: OnDeleteAction.SET_NULL,
  })
  @WorkspaceIndex()
  company: CompanyWorkspaceEntity | null;

  @WorkspaceRelation({
    standardId: PERSON_STANDARD_FIELD_IDS.pointOfContactForOpportunities,
    type: RelationType.ONE_TO_MANY,
    label: 'Point of contact for opportunities',
    description: 'Opportunities this person is the point of contact of',
    icon: 'IconTargetArrow',
    inverseSideTarget: () => OpportunityWorkspaceEntity,
    inverseSideFieldKey: 'pointOfContact',
  })
  pointOfContactForOpportunities: OpportunityWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: PERSON_STANDARD_FIELD_IDS.noteTargets,
    type: RelationType.ONE_TO_MANY,
    label: 'Notes',
    description: 'Notes tied to the contact',
    icon: 'IconNotes',
    inverseSideTarget: () => NoteTargetWorkspaceEntity,
    inverseSideFieldKey: 'person',
  })
  noteTargets: NoteTargetWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: PERSON_STANDARD_FIELD_IDS.attachments,
    type: RelationType.ONE_TO_MANY,
    label: 'Attachments',
    description: 'Attachments linked to the contact',
    icon: 'IconFileImport',
    inverseSideTarget: () => AttachmentWorkspaceEntity,
    inverseSideFieldKey: 'person',
  })
  attachments: AttachmentWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: PERSON_STANDARD_FIELD_IDS.taskTargets,
    type: RelationType.ONE_TO_MANY,
    label: 'Tasks',
    description: 'Tasks tied to the contact',
    icon: 'IconCheckbox',
    inverseSideTarget: () => TaskTargetWorkspaceEntity,
    inverseSideFieldKey: 'person',
  })
  taskTargets: TaskTargetWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: PERSON_STANDARD_FIELD_IDS.favorites,
    type: RelationType.ONE_TO_MANY,
    label: 'Favorites',
    description: 'Favorites linked to the contact',
    icon: 'IconHeart',
    inverseSideTarget: () => FavoriteWorkspaceEntity,
    inverseSideFieldKey: 'person',
  })
  @WorkspaceIsSystem()
  favorites: FavoriteWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: PERSON_STANDARD_FIELD_IDS.timelineActivities,
    type: RelationType.ONE_TO_MANY,
    label: 'Timeline Activities',
    description: 'Events linked to the contact',
    icon: 'IconTimelineEvent',
    inverseSideTarget: () => TimelineActivityWorkspaceEntity,
    inverseSideFieldKey: 'person',
  })
  @WorkspaceIsSystem()
  timelineActivities: TimelineActivityWorkspaceEntity[];

  @WorkspaceField({
    standardId: PERSON_STANDARD_FIELD_IDS.searchVector,
    type: FieldType.TS_VECTOR,
    label: 'Search vector',
    description: 'What finds the contact: name, emails and phones',
    icon: 'IconSearch',
    settings: {
      searchFields: [
        { field: 'name', weight: 'A' },
        { field: 'emails', weight: 'B' },
        { field: 'phones', weight: 'B' },
      ],
    },
  })
  @WorkspaceIsNullable()
  @WorkspaceIsSystem()
  searchVector: string | null;
}
