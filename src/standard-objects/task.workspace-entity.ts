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
import type { ActorValue, RichTextV2Value } from './composite-field.types';
import { FavoriteWorkspaceEntity } from './favorite.workspace-entity';
import { STANDARD_OBJECT_IDS, TASK_STANDARD_FIELD_IDS } from './standard-ids.constant';
import { TaskTargetWorkspaceEntity } from './task-target.workspace-entity';
import { TimelineActivityWorkspaceEntity } from './timeline-activity.workspace-entity';
import { WorkspaceMemberWorkspaceEntity } from './workspace-member.workspace-entity';

@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.task,
  nameSingular: 'task',
  namePlural: 'tasks',
  labelSingular: 'Task',
  labelPlural: 'Tasks',
  description: 'A task',
  icon: 'IconCheckbox',
  labelIdentifierStandardId: TASK_STANDARD_FIELD_IDS.title,
})
export class TaskWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: TASK_STANDARD_FIELD_IDS.title,
    type: FieldType.TEXT,
    label: 'Title',
    description: 'Task title',
    icon: 'IconNotes',
    defaultValue: '',
  })
  title: string;

  @WorkspaceField({
    standardId: TASK_STANDARD_FIELD_IDS.bodyV2,
    type: FieldType.RICH_TEXT_V2,
    label: 'Body',
    description: 'Task body',
    icon: 'IconFilePencil',
  })
  @WorkspaceIsNullable()
  bodyV2: RichTextV2Value | null;

  @WorkspaceField({
    standardId: TASK_STANDARD_FIELD_IDS.dueAt,
    type: FieldType.DATE_TIME,
    label: 'Due Date',
    description: 'Task due date',
    icon: 'IconCalendarEvent',
  })
  @WorkspaceIsNullable()
  dueAt: string | null;

  @WorkspaceField({
    standardId: TASK_STANDARD_FIELD_IDS.status,
    type: FieldType.SELECT,
    label: 'Status',
    description: 'Task status',
    icon: 'IconProgressCheck',
    options: [
      { value: 'TODO', label: 'To do', position: 0, color: 'sky' },
      { value: 'IN_PROGRESS', label: 'In progress', position: 1, color: 'purple' },
      { value: 'DONE', label: 'Done', position: 2, color: 'green' },
    ],
    defaultValue: 'TODO',
  })
  status: string;

  @WorkspaceField({
    standardId: TASK_STANDARD_FIELD_IDS.position,
    type: FieldType.POSITION,
    label: 'Position',
    description: 'Task record position',
    icon: 'IconHierarchy2',
  })
  @WorkspaceIsNullable()
  @WorkspaceIsSystem()
  position: number | null;

  @WorkspaceField({
    standardId: TASK_STANDARD_FIELD_IDS.createdBy,
    type: FieldType.ACTOR,
    label: 'Created by',
    description: 'The creator of the record',
    icon: 'IconCreativeCommonsSa',
    defaultValue: { source: 'MANUAL', name: '' },
  })
  createdBy: ActorValue;

  @WorkspaceRelation({
    standardId: TASK_STANDARD_FIELD_IDS.assignee,
    type: RelationType.MANY_TO_ONE,
    label: 'Assignee',
    description: 'The member the task is assigned to',
    icon: 'IconUserCircle',
    inverseSideTarget: () => WorkspaceMemberWorkspaceEntity,
    inverseSideFieldKey: 'assignedTasks',
    onDelete: OnDeleteAction.SET_NULL,
  })
  @WorkspaceIndex()
  assignee: WorkspaceMemberWorkspaceEntity | null;

  @WorkspaceRelation({
    standardId: TASK_STANDARD_FIELD_IDS.taskTargets,
    type: RelationType.ONE_TO_MANY,
    label: 'Relations',
    description: 'Records the task is tied to',
    icon: 'IconArrowUpRight',
    inverseSideTarget: () => TaskTargetWorkspaceEntity,
    inverseSideFieldKey: 'task',
  })
  taskTargets: TaskTargetWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: TASK_STANDARD_FIELD_IDS.favorites,
    type: RelationType.ONE_TO_MANY,
    label: 'Favorites',
    description: 'Favorites linked to the task',
    icon: 'IconHeart',
    inverseSideTarget: () => FavoriteWorkspaceEntity,
    inverseSideFieldKey: 'task',
  })
  @WorkspaceIsSystem()
  favorites: FavoriteWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: TASK_STANDARD_FIELD_IDS.timelineActivities,
    type: RelationType.ONE_TO_MANY,
    label: 'Timeline Activities',
    description: 'Events linked to the task',
    icon: 'IconTimelineEvent',
    inverseSideTarget: () => TimelineActivityWorkspaceEntity,
    inverseSideFieldKey: 'task',
  })
  @WorkspaceIsSystem()
  timelineActivities: TimelineActivityWorkspaceEntity[];

  @WorkspaceField({
    standardId: TASK_STANDARD_FIELD_IDS.searchVector,
    type: FieldType.TS_VECTOR,
    label: 'Search vector',
    description: 'What finds the task: title and body',
    icon: 'IconSearch',
    settings: {
      searchFields: [
        { field: 'title', weight: 'A' },
        { field: 'bodyV2', weight: 'B' },
      ],
    },
  })
  @WorkspaceIsNullable()
  @WorkspaceIsSystem()
  searchVector: string | null;
}
