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
import { CUSTOM_OBJECT_STANDARD_FIELD_IDS, FAVORITE_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from './standard-ids.constant';
import { TaskWorkspaceEntity } from './task.workspace-entity';
import { WorkspaceMemberWorkspaceEntity } from './workspace-member.workspace-entity';

/** A record a member marked as a favorite: one nullable relation per object it can point at. */
@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.favorite,
  nameSingular: 'favorite',
  namePlural: 'favorites',
  labelSingular: 'Favorite',
  labelPlural: 'Favorites',
  description: 'A favorite',
  icon: 'IconHeart',
})
@WorkspaceIsSystem()
@WorkspaceTargets({
  objects: () => [PersonWorkspaceEntity, CompanyWorkspaceEntity, OpportunityWorkspaceEntity, NoteWorkspaceEntity, TaskWorkspaceEntity],
  standardIds: FAVORITE_STANDARD_FIELD_IDS,
  inverseSideFieldKey: 'favorites',
  description: (objectName) => `Favorite ${objectName}`,
  customObjects: {
    standardId: CUSTOM_OBJECT_STANDARD_FIELD_IDS.favorites,
    label: 'Favorites',
    description: 'Favorites linked to the record',
    icon: 'IconHeart',
  },
})
export class FavoriteWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: FAVORITE_STANDARD_FIELD_IDS.position,
    type: FieldType.NUMBER,
    label: 'Position',
    description: 'Favorite position',
    icon: 'IconList',
    defaultValue: 0,
  })
  position: number;

  @WorkspaceRelation({
    standardId: FAVORITE_STANDARD_FIELD_IDS.forWorkspaceMember,
    type: RelationType.MANY_TO_ONE,
    label: 'Workspace Member',
    description: 'The member whose favorite it is',
    icon: 'IconCircleUser',
    inverseSideTarget: () => WorkspaceMemberWorkspaceEntity,
    inverseSideFieldKey: 'favorites',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIsNullable()
  @WorkspaceIndex()
  forWorkspaceMember: WorkspaceMemberWorkspaceEntity | null;

  person: PersonWorkspaceEntity | null;
  company: CompanyWorkspaceEntity | null;
  opportunity: OpportunityWorkspaceEntity | null;
  note: NoteWorkspaceEntity | null;
  task: TaskWorkspaceEntity | null;
}
