import { WorkspaceEntity, WorkspaceIndex, WorkspaceIsSystem, WorkspaceRelation } from '../declarations/decorators/workspace.decorators';
import { OnDeleteAction, RelationType } from '../declarations/field-type';
import { BaseWorkspaceEntity } from './base.workspace-entity';
import { CompanyWorkspaceEntity } from './company.workspace-entity';
import { NoteWorkspaceEntity } from './note.workspace-entity';
import { OpportunityWorkspaceEntity } from './opportunity.workspace-entity';
import { PersonWorkspaceEntity } from './person.workspace-entity';
import { NOTE_TARGET_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from './standard-ids.constant';

/** Ties a note to the records it is about; custom objects get their own relation here too. */
@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.noteTarget,
  nameSingular: 'noteTarget',
  namePlural: 'noteTargets',
  labelSingular: 'Note Target',
  labelPlural: 'Note Targets',
  description: 'A note target',
  icon: 'IconCheckbox',
})
@WorkspaceIsSystem()
export class NoteTargetWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceRelation({
    standardId: NOTE_TARGET_STANDARD_FIELD_IDS.note,
    type: RelationType.MANY_TO_ONE,
    label: 'Note',
    description: 'NoteTarget note',
    icon: 'IconNotes',
    inverseSideTarget: () => NoteWorkspaceEntity,
    inverseSideFieldKey: 'noteTargets',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  note: NoteWorkspaceEntity | null;

  @WorkspaceRelation({
    standardId: NOTE_TARGET_STANDARD_FIELD_IDS.person,
    type: RelationType.MANY_TO_ONE,
    label: 'Person',
    description: 'NoteTarget person',
    icon: 'IconUser',
    inverseSideTarget: () => PersonWorkspaceEntity,
    inverseSideFieldKey: 'noteTargets',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  person: PersonWorkspaceEntity | null;

  @WorkspaceRelation({
    standardId: NOTE_TARGET_STANDARD_FIELD_IDS.company,
    type: RelationType.MANY_TO_ONE,
    label: 'Company',
    description: 'NoteTarget company',
    icon: 'IconBuildingSkyscraper',
    inverseSideTarget: () => CompanyWorkspaceEntity,
    inverseSideFieldKey: 'noteTargets',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  company: CompanyWorkspaceEntity | null;

  @WorkspaceRelation({
    standardId: NOTE_TARGET_STANDARD_FIELD_IDS.opportunity,
    type: RelationType.MANY_TO_ONE,
    label: 'Opportunity',
    description: 'NoteTarget opportunity',
    icon: 'IconTargetArrow',
    inverseSideTarget: () => OpportunityWorkspaceEntity,
    inverseSideFieldKey: 'noteTargets',
    onDelete: OnDeleteAction.CASCADE,
  })
  @WorkspaceIndex()
  opportunity: OpportunityWorkspaceEntity | null;
}
