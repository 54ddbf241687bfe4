/**
 * The fixed identity of every standard object and field. A standardId is what the sync matches
 * on, so it never changes once released, even when a field is renamed or changes type: the
 * 0.22 person field `email` and the 0.23 field `emails` share one id, and Company's
 * `domainName`, `linkedinLink` and `address` keep one id each in every version. Some ids are
 * reserved for fields that later versions declare.
 */

export const STANDARD_OBJECT_IDS = {
  person: 'a4097ca9-bd6a-4905-aedf-e1218eebe65d',
  company: 'ff104f82-919f-48bd-969c-6a5fe67e954f',
  opportunity: '610783e3-e1ba-45c7-a011-9fffe3616054',
  workspaceMember: '2637d7da-8b23-4bb8-bdba-e2a52c9e0636',
  note: '26380fe0-bf54-4384-9825-89d52604fa54',
  noteTarget: '2f11b05e-2691-40be-b0bf-1972ca6048f1',
  attachment: '1a7ff353-5a08-4336-bfc6-a11e873c1700',
  view: '008523b3-296b-441b-b145-c9db6c8edfd4',
  viewField: '580363cc-0a6d-4f5c-96ee-be39b765c2d5',
  viewFilter: 'f583ac05-a954-4e58-bf8b-220b4f658d82',
  viewSort: 'e1550b03-3c6c-46b0-a137-c7e6062b0270',
  task: 'c0a43dc6-4b08-4434-9afe-aaee4b356d2c',
  taskTarget: 'f98143b5-0e42-4eea-aa8a-4f315e2a4010',
  favorite: 'ae5920b5-aea0-46c2-8d92-ab7689356712',
  timelineActivity: '91895617-973a-40f4-8400-21209fccd933',
} as const;

/** Fields every object inherits from BaseWorkspaceEntity. */
export const BASE_OBJECT_STANDARD_FIELD_IDS = {
  id: '808dbde0-7119-4a2f-9014-ed0ec6c86a59',
  createdAt: '6da51e58-947a-47c0-8eb2-6f10ffcd7c16',
  updatedAt: '8c0cafa8-c34b-4253-b9fa-708315b5e7fa',
  deletedAt: '57e3098f-59f5-4ef4-a15f-8fc4b4666601',
} as const;

/** Fields every custom object inherits from CustomWorkspaceEntity. */
export const CUSTOM_OBJECT_STANDARD_FIELD_IDS = {
  name: 'f29a4c2b-2684-43b2-91b5-24933a15cb4d',
  position: 'c0c96bf9-2487-4914-bb07-aab3e1cb0132',
  createdBy: 'dafe5a27-bdc6-47fa-82a4-21f94d0a9819',
  noteTargets: 'cdb4c41b-40d6-4142-ae6c-504573a6f7d5',
  attachments: '1950d6e9-b859-4c4d-904d-58143b217a8c',
  taskTargets: '48dccfb5-3f6c-4cdf-a868-0c8304402a90',
  favorites: '96a829f7-c400-4313-9ac3-807f46e0c03f',
  timelineActivities: '2ca3ddce-a36a-4537-92b3-dc770a9ab930',
} as const;

export const PERSON_STANDARD_FIELD_IDS = {
  name: 'b6afe841-c674-4b98-be04-7be022349b6f',
  emails: 'ca236847-f326-423a-9eef-fb07d310b49c',
  jobTitle: 'dbb53d38-363d-4c46-9209-bd36c25d6385',
  /** `phone` (PHONE) up to 0.24, `phones` (PHONES) from 0.25: one id. */
  phones: '08d86d07-5bd8-4e45-b61f-29c88e5b368e',
  city: '96f56561-e6a4-4146-8ef0-51c7efb7db11',
  avatarUrl: '7ea0505e-c4b3-441e-93c3-7c01f939acbe',
  position: '302cd968-d748-4461-af1b-21fb3cd09e71',
  createdBy: '8ebcbff5-335e-49ca-8702-d8d9affe909a',
  company: '809fb6e2-f13f-4629-9d03-1ef71ca190eb',
  noteTargets: '0d35dd08-2570-475a-b756-3cb4cac91925',
  attachments: 'f20d0559-7866-46fd-863f-c853aaf1b220',
  birthdate: 'e04debac-9278-43f1-b81c-bb1fdfcd663a',
  pointOfContactForOpportunities: 'f5c036c5-f1a9-4813-8c84-07248cd7bc8d',
  taskTargets: '1f4271cc-5b1f-4321-a9f7-1131b0baffb3',
  favorites: '0d769b43-d84c-4462-a5b3-13b3277f24e6',
  timelineActivities: '4c4c91c3-0fbe-4d40-86da-d3c03a8f2dc3',
  searchVector: '1d91f4e8-4470-4ca7-a0a9-26d13cf487fa',
} as const;

export const COMPANY_STANDARD_FIELD_IDS = {
  name: '6e3ba6b0-c1a6-41ca-b6cd-eca4e6e14887',
  domainName: '61186c01-fb62-44be-91c1-bef89736fd14',
  address: 'f7e91524-8247-463c-adbf-207e095da8e9',
  employees: 'dfb69d2a-df96-443b-a9bb-726913a38f14',
  linkedinLink: 'ee2041f7-72fd-4f71-87f7-9b0491ee879b',
  annualRecurringRevenue: 'd684998c-e2ce-4bbb-a5f1-5738ff9a318f',
  idealCustomerProfile: '8fbe4574-369e-4bc5-8e90-c2db6e3b53d6',
  position: 'ac95883d-d984-4c43-bd8b-1f53e02dfed0',
  createdBy: '35c05559-0afb-4677-a4ec-f40d1b56595c',
  people: '9e570310-47e6-4049-b715-a764f2554148',
  accountOwner: '0394b45f-a12f-4b9a-81a0-2fabc3f9be25',
  opportunities: 'ee0d06a9-0022-4cf4-aa91-dd6a81143539',
  noteTargets: '5d3d44e4-ffc3-4fd1-8341-2672710a9743',
  attachments: 'b84aa531-1bac-4ca9-ad90-908f24bcf70a',
  taskTargets: '98b490ee-cca6-4f25-83e6-94f5b89ba09e',
  favorites: '6d4cfa27-7a0a-4897-9ad3-80d44a8a5268',
  timelineActivities: 'a7fa1a19-ef6d-4efb-926a-3ff82fa0627a',
  searchVector: '85582fff-2b70-49f2-b375-d73eb86da036',
} as const;

export const OPPORTUNITY_STANDARD_FIELD_IDS = {
  name: 'a8da7859-56b9-44f7-a3c5-6b088c2e5f6a',
  amount: 'e864b184-7bee-445a-9f06-c295923722e4',
  closeDate: '0998e6f6-2a64-487e-8eb1-7024941b4272',
  stage: 'd4fa5518-5f6b-466a-b392-6a4dc6ac2107',
  position: '2ed6f3ac-e381-4776-b8dc-624621e26fd1',
  pointOfContactEmail: 'f6a86720-3b7d-4f4a-98b4-336e3c0de359',
  createdBy: 'a3a1e087-695e-4f13-9b25-c2dca88d7c0e',
  company: 'b8efb2df-c248-43f3-b9e6-c443328b14f7',
  noteTargets: '13548f88-716a-4ae9-88bf-7a590056a56e',
  attachments: 'b2cc4ab3-39b7-4993-aece-b8e1def769e5',
  pointOfContact: '5ce1633d-ca34-4b19-b110-c0351749485f',
  taskTargets: '02152667-f570-4426-8ad9-5c754bcc4085',
  favorites: '5b2cd76c-a2a8-4273-aa4d-5a34ecd48b04',
  timelineActivities: 'cccefb09-f838-4ee4-a1f0-285c6dbeb701',
  searchVector: '290b05ff-82b8-436e-b994-7432612c1073',
} as const;

export const WORKSPACE_MEMBER_STANDARD_FIELD_IDS = {
  name: '83c0d025-d8e5-46ef-8ea9-780079e77a9a',
  userEmail: '4bdcdedf-1d68-4c14-8cf1-5ab2a325f53b',
  userId: '9fa56911-54bb-4579-bac4-4a3a820a2ca7',
  colorScheme: 'e81a9638-bdb3-45cd-a318-fcf22bc5c9f6',
  locale: '9572983f-b94d-47c9-b243-9af3f80d4b10',
  accountOwnerForCompanies: '30e44cb5-e7e8-46f2-856d-eccbd9e59f71',
  authoredAttachments: 'cbba8a79-ef82-418b-ac68-ce9b68a517d5',
  assignedTasks: '9a732604-9ddd-4018-83cb-970c1a3f7e83',
  favorites: '2c089ee3-3c5e-4c4a-979f-35260196432f',
  timelineActivities: '8a2ad90b-90b8-4d9d-93dd-cbe3a5507dff',
} as const;

export const NOTE_STANDARD_FIELD_IDS = {
  title: '0ba61720-acbd-4456-9fa1-7b2ac6cebac5',
  /** `body` (TEXT) up to 0.24, `bodyV2` (RICH_TEXT_V2) from 0.25: one id. */
  bodyV2: '4cfafc3e-8be5-4c45-97d3-1836d9ced8e5',
  position: 'efbbefe6-0b1d-4869-97b7-2e6d4ee3b42a',
  createdBy: 'f8ee636c-7b2f-4663-aece-cbc4509b8381',
  noteTargets: '0bc87657-492a-4041-855c-3ace53480819',
  attachments: 'ef32a7f0-208a-4430-bcb4-17688cfe3651',
  favorites: 'd63510fe-5e3c-4c37-a99b-e365255f71a6',
  timelineActivities: 'ba6d8e2e-d321-416b-b31c-b962fe5392fc',
  searchVector: 'a8320f9d-42a0-4254-8534-0f9b86c1a6b0',
} as const;

export const NOTE_TARGET_STANDARD_FIELD_IDS = {
  note: 'deed2b67-5f36-4b9d-a856-574e51d80c62',
  person: 'd4b7a7a6-c25c-45f9-939f-49e9d0bddc7d',
  company: '1f2dd6fe-c9a9-4f15-bb78-ca68be7a2129',
  opportunity: '0118d284-149a-4d6c-9a61-af4551d7a84d',
} as const;

export const ATTACHMENT_STANDARD_FIELD_IDS = {
  name: '75a6c9b7-ba83-4e18-9232-45cf2cfa0bd4',
  fullPath: '59c20ffd-2d6b-46a6-9f56-43ba9fe575fb',
  type: '393cad69-6214-4ce3-85e9-e9da2634d58a',
  author: '19aa2c38-11bd-4dc5-9017-52cea792d619',
  note: '32dd99e5-671e-4019-a05b-97761ed0464a',
  person: 'aa0e3663-3009-429f-a4a9-7534710caf83',
  company: 'cd6d9a9c-380e-4564-98ea-4a4e66f116a5',
  opportunity: '19fec4ac-7a6c-40b7-b39c-e018d968b7b5',
} as const;

export const VIEW_STANDARD_FIELD_IDS = {
  name: '1818d5f4-d803-42da-af57-f15337f98763',
  objectMetadataId: 'd7e3d960-2149-43c3-a032-3129976c5b26',
  type: '466d1431-630d-429e-b943-5112b4b5ba88',
  key: 'e892a2ff-86c5-4c55-b25b-6e83c3bc5c23',
  icon: '7b0be96b-1993-4ced-8497-49c148aaf2e8',
  position: '9bc6c2a9-60f6-41a7-b93b-967dc947aa7e',
  isCompact: '70e49069-7912-4046-a201-4e185007e3a7',
  viewFields: '768a559d-9891-40e8-9bee-16afef232264',
  viewFilters: '236cf350-384d-4b41-ab6f-c32204f95e1f',
  viewSorts: 'cf4b3b0f-7b9d-4d16-8de9-f561fa781aff',
} as const;

export const VIEW_FIELD_STANDARD_FIELD_IDS = {
  fieldMetadataId: '880d827d-194d-49e1-bbd6-598fce98b301',
  isVisible: '20efad39-7702-4bee-807f-1285c1c0f533',
  size: '4a9a47de-d09e-4d4b-9820-c49fdac2119a',
  position: 'afdeb8b4-3e9c-49ad-a85d-16ed93b5534b',
  view: '9aa9f451-c29e-4caa-a20e-469b415bfb12',
} as const;

export const VIEW_FILTER_STANDARD_FIELD_IDS = {
  fieldMetadataId: '7a5d4467-3f3c-47bd-a5fa-3d3886d52bbf',
  operand: '6cea644b-96e7-4b90-b35a-677d26cc6ec4',
  value: 'ffe727d7-b4e1-4e4b-890d-220a3440726d',
  displayValue: '7bf32d98-612a-4f15-83fa-df1e0fc8a70d',
  view: 'c93548b7-7869-43a5-bb40-21dae9f883d2',
} as const;

export const VIEW_SORT_STANDARD_FIELD_IDS = {
  fieldMetadataId: 'a2b1d980-8bad-4c02-afeb-f07b5132d98c',
  direction: '3d5c1c1d-5820-4245-9636-ca69f8c38114',
  view: '5ace9ecd-8cb9-4108-a9f5-7096836e78d5',
} as const;

export const TASK_STANDARD_FIELD_IDS = {
  title: 'e7ec4933-be66-43e1-b58e-562e6d2edd85',
  bodyV2: '4d9cb311-5711-4e2d-b600-38ed02885c66',
  dueAt: 'c682a1f4-8280-433c-85e3-c831e8b06754',
  status: '47335871-fb9f-46d5-a640-ed82a76e095f',
  position: 'c9afe1da-2d6e-43b5-96bf-5257f525c79c',
  createdBy: 'dadd4e59-8cd0-4d39-8723-1aca386d0d0e',
  assignee: '3617da4d-1e9e-4f5c-a8c8-5a88d47629b2',
  taskTargets: '036bb5a2-24b9-4453-a97d-61bca29c37ef',
  favorites: '0ef8c3f7-4e23-4926-9b90-e9e2dfb5a30a',
  timelineActivities: '2fda1af6-f56e-424d-9ee7-dbe927454b8e',
  searchVector: 'ee2ac579-881c-4253-9976-7d3d605c2e3c',
} as const;

export const TASK_TARGET_STANDARD_FIELD_IDS = {
  task: '0acb991e-f618-4662-b867-7b7129d86ab0',
  person: '279a394f-a3a7-4b6b-a259-3f83e6212522',
  company: 'd97510fa-d752-4be3-8182-e7d6ac9f1310',
  opportunity: 'ad1fcf29-a30e-4967-87be-ea4ba4d43b45',
} as const;

export const FAVORITE_STANDARD_FIELD_IDS = {
  position: 'e4aa8eb2-fae0-4968-8ca0-911a924cb046',
  forWorkspaceMember: 'b634ebda-e867-4956-9e69-07fc60272fbb',
  person: '5183a8cb-e5a2-471e-8d47-d60b25a5fafa',
  company: '67829ab8-80ed-451e-90ea-2d2de46c78c8',
  opportunity: 'ce60b843-8b32-4382-9dbe-7fd11666ca6e',
  note: '44bb542d-8bdc-4efa-97fb-69b5972ce0da',
  task: '36d1dea1-85e2-43cd-87e4-8dc220ca6d62',
} as const;

export const TIMELINE_ACTIVITY_STANDARD_FIELD_IDS = {
  happensAt: '9f3be44e-992b-4568-906f-644f25ffb9da',
  name: '8d923821-86ec-44fc-a450-c4165e9b13bd',
  properties: '06704ddc-490b-4a06-b4d7-f7f41e740b5a',
  linkedRecordCachedName: 'ed8771ef-ca17-483f-9be3-65100641eaa4',
  linkedRecordId: '7f6278b4-3936-4a1a-a52d-b578706fa42d',
  workspaceMember: '82c045d6-d87c-4cfd-b3f3-c3e0ab5a65cc',
  person: 'a19c2797-8ef5-4ab5-a309-651fe838c9e0',
  company: '9a9924b1-e871-45ca-b38c-c54d3a1bba4e',
  opportunity: '13ae4967-9df7-4f6f-81b4-de288e703534',
  note: '5580b33c-b5a1-47f1-9414-8eb36c5a0463',
  task: '27c0a44a-5589-47c0-87c7-e0ec93bc41bf',
} as const;
