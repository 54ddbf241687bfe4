import { WorkspaceEntity, WorkspaceIsSystem, WorkspaceTargets } from '../declarations/decorators/workspace.decorators';
import { BaseWorkspaceEntity } from './base.workspace-entity';
import { CompanyWorkspaceEntity } from './company.workspace-entity';
import { NoteWorkspaceEntity } from './note.workspace-entity';
import { OpportunityWorkspaceEntity } from './opportunity.workspace-entity';
import { PersonWorkspaceEntity } from './person.workspace-entity';
import { CUSTOM_OBJECT_STANDARD_FIELD_IDS, NOTE_TARGET_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from './standard-ids.constant';

/**
 * Ties a note to the record it is about: a nullable relation (`note`, `person`, `company`,
 * `opportunity`, and one per custom object, generated when it is created), each object's inverse
 * being `noteTargets`.
 */
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
@WorkspaceTargets({
  objects: () => [NoteWorkspaceEntity, PersonWorkspaceEntity, CompanyWorkspaceEntity, OpportunityWorkspaceEntity],
  standardIds: NOTE_TARGET_STANDARD_FIELD_IDS,
  inverseSideFieldKey: 'noteTargets',
  description: (objectName) => `NoteTarget ${objectName}`,
  customObjects: {
    standardId: CUSTOM_OBJECT_STANDARD_FIELD_IDS.noteTargets,
    label: 'Notes',
    description: 'Notes tied to the record',
    icon: 'IconNotes',
  },
})
export class NoteTargetWorkspaceEntity extends BaseWorkspaceEntity {
  note: NoteWorkspaceEntity | null;
  person: PersonWorkspaceEntity | null;
  company: CompanyWorkspaceEntity | null;
  opportunity: OpportunityWorkspaceEntity | null;
}
