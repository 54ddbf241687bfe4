import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIndex,
  WorkspaceIsDeprecated,
  WorkspaceIsNullable,
  WorkspaceIsSystem,
  WorkspaceRelation,
} from '../declarations/decorators/workspace.decorators';
import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { AttachmentWorkspaceEntity } from './attachment.workspace-entity';
import { BaseWorkspaceEntity } from './base.workspace-entity';
import { CompanyWorkspaceEntity } from './company.workspace-entity';
import type { ActorValue, CurrencyValue } from './composite-field.types';
import { NoteTargetWorkspaceEntity } from './note-target.workspace-entity';
import { PersonWorkspaceEntity } from './person.workspace-entity';
import { OPPORTUNITY_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from './standard-ids.constant';
import { FavoriteWorkspaceEntity } from './favorite.workspace-entity';
import { TaskTargetWorkspaceEntity } from './task-target.workspace-entity';
import { TimelineActivityWorkspaceEntity } from './timeline-activity.workspace-entity';

@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.opportunity,
  nameSingular: 'opportunity',
  namePlural: 'opportunities',
  labelSingular: 'Opportunity',
  labelPlural: 'Opportunities',
  description: 'An opportunity',
  icon: 'IconTargetArrow',
  labelIdentifierStandardId: OPPORTUNITY_STANDARD_FIELD_IDS.name,
})
export class OpportunityWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.name,
    type: FieldType.TEXT,
    label: 'Name',
    description: 'The opportunity name',
    icon: 'IconTargetArrow',
    defaultValue: '',
  })
  name: string;

  @WorkspaceField({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.amount,
    type: FieldType.CURRENCY,
    label: 'Amount',
    description: 'Opportunity amount',
    icon: 'IconCurrencyDollar',
  })
  @WorkspaceIsNullable()
  amount: CurrencyValue | null;

  @WorkspaceField({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.closeDate,
    type: FieldType.DATE_TIME,
    label: 'Close date',
    description: 'Opportunity close date',
    icon: 'IconCalendarEvent',
  })
  @WorkspaceIsNullable()
  closeDate: string | null;

  @WorkspaceField({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.stage,
    type: FieldType.SELECT,
    label: 'Stage',
    description: 'Opportunity stage',
    icon: 'IconProgressCheck',
    options: [
      { value: 'NEW', label: 'New', position: 0, color: 'red' },
      { value: 'SCREENING', label: 'Screening', position: 1, color: 'purple' },
      { value: 'MEETING', label: 'Meeting', position: 2, color: 'sky' },
      { value: 'PROPOSAL', label: 'Proposal', position: 3, color: 'turquoise' },
      { value: 'CUSTOMER', label: 'Customer', position: 4, color: 'yellow' },
    ],
    defaultValue: 'NEW',
  })
  stage: string;

  @WorkspaceField({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.position,
    type: FieldType.POSITION,
    label: 'Position',
    description: 'Opportunity record position',
    icon: 'IconHierarchy2',
  })
  @WorkspaceIsNullable()
  @WorkspaceIsSystem()
  position: number | null;

  @WorkspaceField({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContactEmail,
    type: FieldType.TEXT,
    label: 'Point of contact email',
    description: 'Email of the person to contact about the opportunity',
    icon: 'IconMail',
  })
  // Replaced by the pointOfContact relation in 0.24; kept, with its text, on existing workspaces.
  @WorkspaceIsNullable()
  @WorkspaceIsDeprecated()
  pointOfContactEmail: string | null;

  @WorkspaceRelation({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContact,
    type: RelationType.MANY_TO_ONE,
    label: 'Point of Contact',
    description: 'Opportunity point of contact',
    icon: 'IconUser',
    inverseSideTarget: () => PersonWorkspaceEntity,
    inverseSideFieldKey: 'pointOfContactForOpportunities',
    onDelete: OnDeleteAction.SET_NULL,
  })
  @WorkspaceIndex()
  pointOfContact: PersonWorkspaceEntity | null;

  @WorkspaceField({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.createdBy,
    type: FieldType.ACTOR,
    label: 'Created by',
    description: 'The creator of the record',
    icon: 'IconCreativeCommonsSa',
    defaultValue: { source: 'MANUAL', name: '' },
  })
  createdBy: ActorValue;

  @WorkspaceRelation({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.company,
    type: RelationType.MANY_TO_ONE,
    label: 'Company',
    description: 'Opportunity company',
    icon: 'IconBuildingSkyscraper',
    inverseSideTarget: () => CompanyWorkspaceEntity,
    inverseSideFieldKey: 'opportunities',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  company: CompanyWorkspaceEntity | null;

  @WorkspaceRelation({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.noteTargets,
    type: RelationType.ONE_TO_MANY,
    label: 'Notes',
    description: 'Notes tied to the opportunity',
    icon: 'IconNotes',
    inverseSideTarget: () => NoteTargetWorkspaceEntity,
    inverseSideFieldKey: 'opportunity',
  })
  noteTargets: NoteTargetWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.attachments,
    type: RelationType.ONE_TO_MANY,
    label: 'Attachments',
    description: 'Attachments linked to the opportunity',
    icon: 'IconFileImport',
    inverseSideTarget: () => AttachmentWorkspaceEntity,
    inverseSideFieldKey: 'opportunity',
  })
  attachments: AttachmentWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.taskTargets,
    type: RelationType.ONE_TO_MANY,
    label: 'Tasks',
    description: 'Tasks tied to the opportunity',
    icon: 'IconCheckbox',
    inverseSideTarget: () => TaskTargetWorkspaceEntity,
    inverseSideFieldKey: 'opportunity',
  })
  taskTargets: TaskTargetWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.favorites,
    type: RelationType.ONE_TO_MANY,
    label: 'Favorites',
    description: 'Favorites linked to the opportunity',
    icon: 'IconHeart',
    inverseSideTarget: () => FavoriteWorkspaceEntity,
    inverseSideFieldKey: 'opportunity',
  })
  @WorkspaceIsSystem()
  favorites: FavoriteWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.timelineActivities,
    type: RelationType.ONE_TO_MANY,
    label: 'Timeline Activities',
    description: 'Events linked to the opportunity',
    icon: 'IconTimelineEvent',
    inverseSideTarget: () => TimelineActivityWorkspaceEntity,
    inverseSideFieldKey: 'opportunity',
  })
  @WorkspaceIsSystem()
  timelineActivities: TimelineActivityWorkspaceEntity[];

  @WorkspaceField({
    standardId: OPPORTUNITY_STANDARD_FIELD_IDS.searchVector,
    type: FieldType.TS_VECTOR,
    label: 'Search vector',
    description: 'What finds the opportunity: its name',
    icon: 'IconSearch',
    settings: {
      searchFields: [{ field: 'name', weight: 'A' }],
    },
  })
  @WorkspaceIsNullable()
  @WorkspaceIsSystem()
  searchVector: string | null;
}
