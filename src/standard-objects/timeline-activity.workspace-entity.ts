import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIndex,
  WorkspaceIsNullable,
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
import { CUSTOM_OBJECT_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS, TIMELINE_ACTIVITY_STANDARD_FIELD_IDS } from './standard-ids.constant';
import { TaskWorkspaceEntity } from './task.workspace-entity';
import { WorkspaceMemberWorkspaceEntity } from './workspace-member.workspace-entity';

/** An event on a record's timeline (created, updated, linked): one nullable relation per object it can be about. */
@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.timelineActivity,
  nameSingular: 'timelineActivity',
  namePlural: 'timelineActivities',
  labelSingular: 'Timeline Activity',
  labelPlural: 'Timeline Activities',
  description: 'An event on a record',
  icon: 'IconTimelineEvent',
  labelIdentifierStandardId: TIMELINE_ACTIVITY_STANDARD_FIELD_IDS.name,
})
@WorkspaceIsSystem()
@WorkspaceTargets({
  objects: () => [PersonWorkspaceEntity, CompanyWorkspaceEntity, OpportunityWorkspaceEntity, NoteWorkspaceEntity, TaskWorkspaceEntity],
  standardIds: TIMELINE_ACTIVITY_STANDARD_FIELD_IDS,
  inverseSideFieldKey: 'timelineActivities',
  description: (objectName) => `Event ${objectName}`,
  customObjects: {
    standardId: CUSTOM_OBJECT_STANDARD_FIELD_IDS.timelineActivities,
    label: 'Timeline Activities',
    description: 'Events linked to the record',
    icon: 'IconTimelineEvent',
  },
})
export class TimelineActivityWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: TIMELINE_ACTIVITY_STANDARD_FIELD_IDS.happensAt,
    type: FieldType.DATE_TIME,
    label: 'Creation date',
    description: 'When the event happened',
    icon: 'IconCalendar',
    defaultValue: 'now',
  })
  happensAt: string;

  @WorkspaceField({
    standardId: TIMELINE_ACTIVITY_STANDARD_FIELD_IDS.name,
    type: FieldType.TEXT,
    label: 'Event name',
    description: 'The event, e.g. person.created',
    icon: 'IconAbc',
    defaultValue: '',
  })
  name: string;

  @WorkspaceField({
    standardId: TIMELINE_ACTIVITY_STANDARD_FIELD_IDS.properties,
    type: FieldType.RAW_JSON,
    label: 'Event details',
    description: 'What changed',
    icon: 'IconListDetails',
  })
  @WorkspaceIsNullable()
  properties: Record<string, unknown> | null;

  @WorkspaceField({
    standardId: TIMELINE_ACTIVITY_STANDARD_FIELD_IDS.linkedRecordCachedName,
    type: FieldType.TEXT,
    label: 'Linked record cached name',
    description: 'The name of the linked record when the event happened',
    icon: 'IconAbc',
    defaultValue: '',
  })
  linkedRecordCachedName: string;

  @WorkspaceField({
    standardId: TIMELINE_ACTIVITY_STANDARD_FIELD_IDS.linkedRecordId,
    type: FieldType.UUID,
    label: 'Linked record id',
    description: 'The id of the linked record',
    icon: 'IconAbc',
  })
  @WorkspaceIsNullable()
  linkedRecordId: string | null;

  @WorkspaceRelation({
    standardId: TIMELINE_ACTIVITY_STANDARD_FIELD_IDS.workspaceMember,
    type: RelationType.MANY_TO_ONE,
    label: 'Workspace Member',
    description: 'The member who caused the event',
    icon: 'IconCircleUser',
    inverseSideTarget: () => WorkspaceMemberWorkspaceEntity,
    inverseSideFieldKey: 'timelineActivities',
    onDelete: OnDeleteAction.SET_NULL,
  })
  @WorkspaceIsNullable()
  @WorkspaceIndex()
  workspaceMember: WorkspaceMemberWorkspaceEntity | null;

  person: PersonWorkspaceEntity | null;
  company: CompanyWorkspaceEntity | null;
  opportunity: OpportunityWorkspaceEntity | null;
  note: NoteWorkspaceEntity | null;
  task: TaskWorkspaceEntity | null;
}
