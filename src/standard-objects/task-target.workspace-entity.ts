import { WorkspaceEntity, WorkspaceIsSystem, WorkspaceTargets } from '../declarations/decorators/workspace.decorators';
import { BaseWorkspaceEntity } from './base.workspace-entity';
import { CompanyWorkspaceEntity } from './company.workspace-entity';
import { OpportunityWorkspaceEntity } from './opportunity.workspace-entity';
import { PersonWorkspaceEntity } from './person.workspace-entity';
import { CUSTOM_OBJECT_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS, TASK_TARGET_STANDARD_FIELD_IDS } from './standard-ids.constant';
import { TaskWorkspaceEntity } from './task.workspace-entity';

/**
 * Ties a task to the record it is about: a nullable relation (`task`, `person`, `company`,
 * `opportunity`, and one per custom object), each object's inverse being `taskTargets`.
 */
@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.taskTarget,
  nameSingular: 'taskTarget',
  namePlural: 'taskTargets',
  labelSingular: 'Task Target',
  labelPlural: 'Task Targets',
  description: 'A task target',
  icon: 'IconCheckbox',
})
@WorkspaceIsSystem()
@WorkspaceTargets({
  objects: () => [TaskWorkspaceEntity, PersonWorkspaceEntity, CompanyWorkspaceEntity, OpportunityWorkspaceEntity],
  standardIds: TASK_TARGET_STANDARD_FIELD_IDS,
  inverseSideFieldKey: 'taskTargets',
  description: (objectName) => `TaskTarget ${objectName}`,
  customObjects: {
    standardId: CUSTOM_OBJECT_STANDARD_FIELD_IDS.taskTargets,
    label: 'Tasks',
    description: 'Tasks tied to the record',
    icon: 'IconCheckbox',
  },
})
export class TaskTargetWorkspaceEntity extends BaseWorkspaceEntity {
  task: TaskWorkspaceEntity | null;
  person: PersonWorkspaceEntity | null;
  company: CompanyWorkspaceEntity | null;
  opportunity: OpportunityWorkspaceEntity | null;
}
