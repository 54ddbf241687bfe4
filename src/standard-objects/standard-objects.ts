import { DeclarationSetBuilder } from '../declarations/declaration-set.builder';
import type { DeclaredSchema } from '../declarations/declared-schema';
import { AttachmentWorkspaceEntity } from './attachment.workspace-entity';
import { CompanyWorkspaceEntity } from './company.workspace-entity';
import { CustomWorkspaceEntity } from './custom.workspace-entity';
import { FavoriteWorkspaceEntity } from './favorite.workspace-entity';
import { NoteTargetWorkspaceEntity } from './note-target.workspace-entity';
import { NoteWorkspaceEntity } from './note.workspace-entity';
import { OpportunityWorkspaceEntity } from './opportunity.workspace-entity';
import { PersonWorkspaceEntity } from './person.workspace-entity';
import { TaskTargetWorkspaceEntity } from './task-target.workspace-entity';
import { TaskWorkspaceEntity } from './task.workspace-entity';
import { TimelineActivityWorkspaceEntity } from './timeline-activity.workspace-entity';
import { CURRENT_VERSION } from './version.constant';
import { ViewFieldWorkspaceEntity } from './view-field.workspace-entity';
import { ViewFilterWorkspaceEntity } from './view-filter.workspace-entity';
import { ViewSortWorkspaceEntity } from './view-sort.workspace-entity';
import { ViewWorkspaceEntity } from './view.workspace-entity';
import { WorkspaceMemberWorkspaceEntity } from './workspace-member.workspace-entity';

/** The standard objects of the current version, in the order they are declared to the builder. */
export const STANDARD_ENTITIES = [
  PersonWorkspaceEntity,
  CompanyWorkspaceEntity,
  OpportunityWorkspaceEntity,
  WorkspaceMemberWorkspaceEntity,
  NoteWorkspaceEntity,
  NoteTargetWorkspaceEntity,
  AttachmentWorkspaceEntity,
  TaskWorkspaceEntity,
  TaskTargetWorkspaceEntity,
  FavoriteWorkspaceEntity,
  TimelineActivityWorkspaceEntity,
  ViewWorkspaceEntity,
  ViewFieldWorkspaceEntity,
  ViewFilterWorkspaceEntity,
  ViewSortWorkspaceEntity,
];

/** Builds and validates the current declarations; throws a DeclarationError listing every problem. */
export const buildStandardDeclarations = (): DeclaredSchema =>
  DeclarationSetBuilder.build({
    entities: STANDARD_ENTITIES,
    customObjectBase: CustomWorkspaceEntity,
    version: CURRENT_VERSION,
  });
