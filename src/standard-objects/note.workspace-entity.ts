import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIsNullable,
  WorkspaceIsSystem,
  WorkspaceRelation,
} from '../declarations/decorators/workspace.decorators';
import { FieldType, RelationType } from '../declarations/field-type';
import { AttachmentWorkspaceEntity } from './attachment.workspace-entity';
import { BaseWorkspaceEntity } from './base.workspace-entity';
import type { ActorValue, RichTextV2Value } from './composite-field.types';
import { NoteTargetWorkspaceEntity } from './note-target.workspace-entity';
import { NOTE_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from './standard-ids.constant';
import { FavoriteWorkspaceEntity } from './favorite.workspace-entity';
import { TimelineActivityWorkspaceEntity } from './timeline-activity.workspace-entity';

@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.note,
  nameSingular: 'note',
  namePlural: 'notes',
  labelSingular: 'Note',
  labelPlural: 'Notes',
  description: 'A note',
  icon: 'IconNotes',
  labelIdentifierStandardId: NOTE_STANDARD_FIELD_IDS.title,
})
export class NoteWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: NOTE_STANDARD_FIELD_IDS.title,
    type: FieldType.TEXT,
    label: 'Title',
    description: 'Note title',
    icon: 'IconNotes',
    defaultValue: '',
  })
  title: string;

  @WorkspaceField({
    standardId: NOTE_STANDARD_FIELD_IDS.bodyV2,
    type: FieldType.RICH_TEXT_V2,
    label: 'Body',
    description: 'Note body',
    icon: 'IconFilePencil',
  })
  @WorkspaceIsNullable()
  bodyV2: RichTextV2Value | null;

  @WorkspaceField({
    standardId: NOTE_STANDARD_FIELD_IDS.position,
    type: FieldType.POSITION,
    label: 'Position',
    description: 'Note record position',
    icon: 'IconHierarchy2',
  })
  @WorkspaceIsNullable()
  @WorkspaceIsSystem()
  position: number | null;

  @WorkspaceField({
    standardId: NOTE_STANDARD_FIELD_IDS.createdBy,
    type: FieldType.ACTOR,
    label: 'Created by',
    description: 'The creator of the record',
    icon: 'IconCreativeCommonsSa',
    defaultValue: { source: 'MANUAL', name: '' },
  })
  createdBy: ActorValue;

  @WorkspaceRelation({
    standardId: NOTE_STANDARD_FIELD_IDS.noteTargets,
    type: RelationType.ONE_TO_MANY,
    label: 'Relations',
    description: 'Records the note is tied to',
    icon: 'IconArrowUpRight',
    inverseSideTarget: () => NoteTargetWorkspaceEntity,
    inverseSideFieldKey: 'note',
  })
  noteTargets: NoteTargetWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: NOTE_STANDARD_FIELD_IDS.attachments,
    type: RelationType.ONE_TO_MANY,
    label: 'Attachments',
    description: 'Note attachments',
    icon: 'IconFileImport',
    inverseSideTarget: () => AttachmentWorkspaceEntity,
    inverseSideFieldKey: 'note',
  })
  attachments: AttachmentWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: NOTE_STANDARD_FIELD_IDS.favorites,
    type: RelationType.ONE_TO_MANY,
    label: 'Favorites',
    description: 'Favorites linked to the note',
    icon: 'IconHeart',
    inverseSideTarget: () => FavoriteWorkspaceEntity,
    inverseSideFieldKey: 'note',
  })
  @WorkspaceIsSystem()
  favorites: FavoriteWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: NOTE_STANDARD_FIELD_IDS.timelineActivities,
    type: RelationType.ONE_TO_MANY,
    label: 'Timeline Activities',
    description: 'Events linked to the note',
    icon: 'IconTimelineEvent',
    inverseSideTarget: () => TimelineActivityWorkspaceEntity,
    inverseSideFieldKey: 'note',
  })
  @WorkspaceIsSystem()
  timelineActivities: TimelineActivityWorkspaceEntity[];

  @WorkspaceField({
    standardId: NOTE_STANDARD_FIELD_IDS.searchVector,
    type: FieldType.TS_VECTOR,
    label: 'Search vector',
    description: 'What finds the note: title and body',
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
