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
import type { ActorValue, AddressValue, CurrencyValue, LinksValue } from './composite-field.types';
import { NoteTargetWorkspaceEntity } from './note-target.workspace-entity';
import { OpportunityWorkspaceEntity } from './opportunity.workspace-entity';
import { PersonWorkspaceEntity } from './person.workspace-entity';
import { COMPANY_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from './standard-ids.constant';
import { WorkspaceMemberWorkspaceEntity } from './workspace-member.workspace-entity';
import { FavoriteWorkspaceEntity } from './favorite.workspace-entity';
import { TaskTargetWorkspaceEntity } from './task-target.workspace-entity';
import { TimelineActivityWorkspaceEntity } from './timeline-activity.workspace-entity';

@WorkspaceEntity({
  standardId: STANDARD_OBJECT_IDS.company,
  nameSingular: 'company',
  namePlural: 'companies',
  labelSingular: 'Company',
  labelPlural: 'Companies',
  description: 'A company',
  icon: 'IconBuildingSkyscraper',
  labelIdentifierStandardId: COMPANY_STANDARD_FIELD_IDS.name,
})
export class CompanyWorkspaceEntity extends BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: COMPANY_STANDARD_FIELD_IDS.name,
    type: FieldType.TEXT,
    label: 'Name',
    description: 'The company name',
    icon: 'IconBuildingSkyscraper',
    defaultValue: '',
  })
  name: string;

  @WorkspaceField({
    standardId: COMPANY_STANDARD_FIELD_IDS.domainName,
    type: FieldType.LINKS,
    label: 'Domain Name',
    description: 'The company website URL. We use this url to fetch the company icon',
    icon: 'IconLink',
  })
  @WorkspaceIsNullable()
  domainName: LinksValue | null;

  @WorkspaceField({
    standardId: COMPANY_STANDARD_FIELD_IDS.address,
    type: FieldType.ADDRESS,
    label: 'Address',
    description: 'Address of the company',
    icon: 'IconMap',
  })
  @WorkspaceIsNullable()
  address: AddressValue | null;

  @WorkspaceField({
    standardId: COMPANY_STANDARD_FIELD_IDS.employees,
    type: FieldType.NUMBER,
    label: 'Employees',
    description: 'Number of employees in the company',
    icon: 'IconUsers',
  })
  @WorkspaceIsNullable()
  employees: number | null;

  @WorkspaceField({
    standardId: COMPANY_STANDARD_FIELD_IDS.linkedinLink,
    type: FieldType.LINKS,
    label: 'Linkedin',
    description: 'The company Linkedin account',
    icon: 'IconBrandLinkedin',
  })
  @WorkspaceIsNullable()
  linkedinLink: LinksValue | null;

  @WorkspaceField({
    standardId: COMPANY_STANDARD_FIELD_IDS.annualRecurringRevenue,
    type: FieldType.CURRENCY,
    label: 'ARR',
    description: 'Annual Recurring Revenue: The actual or estimated annual revenue of the company',
    icon: 'IconMoneybag',
  })
  // Deprecated in 0.24: new workspaces do not get it, existing ones keep it with its values.
  @WorkspaceIsNullable()
  @WorkspaceIsDeprecated()
  annualRecurringRevenue: CurrencyValue | null;

  @WorkspaceField({
    standardId: COMPANY_STANDARD_FIELD_IDS.idealCustomerProfile,
    type: FieldType.BOOLEAN,
    label: 'ICP',
    description: 'Ideal Customer Profile: Indicates whether the company is the most suitable and valuable customer for you',
    icon: 'IconTarget',
    defaultValue: false,
  })
  idealCustomerProfile: boolean;

  @WorkspaceField({
    standardId: COMPANY_STANDARD_FIELD_IDS.position,
    type: FieldType.POSITION,
    label: 'Position',
    description: 'Company record position',
    icon: 'IconHierarchy2',
  })
  @WorkspaceIsNullable()
  @WorkspaceIsSystem()
  position: number | null;

  @WorkspaceField({
    standardId: COMPANY_STANDARD_FIELD_IDS.createdBy,
    type: FieldType.ACTOR,
    label: 'Created by',
    description: 'The creator of the record',
    icon: 'IconCreativeCommonsSa',
    defaultValue: { source: 'MANUAL', name: '' },
  })
  createdBy: ActorValue;

  @WorkspaceRelation({
    standardId: COMPANY_STANDARD_FIELD_IDS.people,
    type: RelationType.ONE_TO_MANY,
    label: 'People',
    description: 'People linked to the company.',
    icon: 'IconUsers',
    inverseSideTarget: () => PersonWorkspaceEntity,
    inverseSideFieldKey: 'company',
  })
  people: PersonWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: COMPANY_STANDARD_FIELD_IDS.accountOwner,
    type: RelationType.MANY_TO_ONE,
    label: 'Account Owner',
    description: 'Your team member responsible for managing the company account',
    icon: 'IconUserCircle',
    inverseSideTarget: () => WorkspaceMemberWorkspaceEntity,
    inverseSideFieldKey: 'accountOwnerForCompanies',
    onDelete: OnDeleteAction.SET_NULL,
  })
  @WorkspaceIndex()
  accountOwner: WorkspaceMemberWorkspaceEntity | null;

  @WorkspaceRelation({
    standardId: COMPANY_STANDARD_FIELD_IDS.opportunities,
    type: RelationType.ONE_TO_MANY,
    label: 'Opportunities',
    description: 'Opportunities linked to the company.',
    icon: 'IconTargetArrow',
    inverseSideTarget: () => OpportunityWorkspaceEntity,
    inverseSideFieldKey: 'company',
  })
  opportunities: OpportunityWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: COMPANY_STANDARD_FIELD_IDS.noteTargets,
    type: RelationType.ONE_TO_MANY,
    label: 'Notes',
    description: 'Notes tied to the company',
    icon: 'IconNotes',
    inverseSideTarget: () => NoteTargetWorkspaceEntity,
    inverseSideFieldKey: 'company',
  })
  noteTargets: NoteTargetWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: COMPANY_STANDARD_FIELD_IDS.attachments,
    type: RelationType.ONE_TO_MANY,
    label: 'Attachments',
    description: 'Attachments linked to the company',
    icon: 'IconFileImport',
    inverseSideTarget: () => AttachmentWorkspaceEntity,
    inverseSideFieldKey: 'company',
  })
  attachments: AttachmentWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: COMPANY_STANDARD_FIELD_IDS.taskTargets,
    type: RelationType.ONE_TO_MANY,
    label: 'Tasks',
    description: 'Tasks tied to the company',
    icon: 'IconCheckbox',
    inverseSideTarget: () => TaskTargetWorkspaceEntity,
    inverseSideFieldKey: 'company',
  })
  taskTargets: TaskTargetWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: COMPANY_STANDARD_FIELD_IDS.favorites,
    type: RelationType.ONE_TO_MANY,
    label: 'Favorites',
    description: 'Favorites linked to the company',
    icon: 'IconHeart',
    inverseSideTarget: () => FavoriteWorkspaceEntity,
    inverseSideFieldKey: 'company',
  })
  @WorkspaceIsSystem()
  favorites: FavoriteWorkspaceEntity[];

  @WorkspaceRelation({
    standardId: COMPANY_STANDARD_FIELD_IDS.timelineActivities,
    type: RelationType.ONE_TO_MANY,
    label: 'Timeline Activities',
    description: 'Events linked to the company',
    icon: 'IconTimelineEvent',
    inverseSideTarget: () => TimelineActivityWorkspaceEntity,
    inverseSideFieldKey: 'company',
  })
  @WorkspaceIsSystem()
  timelineActivities: TimelineActivityWorkspaceEntity[];

  @WorkspaceField({
    standardId: COMPANY_STANDARD_FIELD_IDS.searchVector,
    type: FieldType.TS_VECTOR,
    label: 'Search vector',
    description: 'What finds the company: name and domain',
    icon: 'IconSearch',
    settings: {
      searchFields: [
        { field: 'name', weight: 'A' },
        { field: 'domainName', weight: 'B' },
      ],
    },
  })
  @WorkspaceIsNullable()
  @WorkspaceIsSystem()
  searchVector: string | null;
}
