import { WorkspaceField, WorkspaceIsNullable, WorkspaceIsSystem } from '../declarations/decorators/workspace.decorators';
import { FieldType } from '../declarations/field-type';
import { BASE_OBJECT_STANDARD_FIELD_IDS } from './standard-ids.constant';

/** The columns every table has; each object inherits them with the same standardIds. */
export abstract class BaseWorkspaceEntity {
  @WorkspaceField({
    standardId: BASE_OBJECT_STANDARD_FIELD_IDS.id,
    type: FieldType.UUID,
    label: 'Id',
    description: 'Id',
    icon: 'Icon123',
    defaultValue: 'uuid',
  })
  @WorkspaceIsSystem()
  id: string;

  @WorkspaceField({
    standardId: BASE_OBJECT_STANDARD_FIELD_IDS.createdAt,
    type: FieldType.DATE_TIME,
    label: 'Creation date',
    description: 'Creation date',
    icon: 'IconCalendar',
    defaultValue: 'now',
  })
  createdAt: string;

  @WorkspaceField({
    standardId: BASE_OBJECT_STANDARD_FIELD_IDS.updatedAt,
    type: FieldType.DATE_TIME,
    label: 'Last update',
    description: 'Last time the record was changed',
    icon: 'IconCalendarClock',
    defaultValue: 'now',
  })
  updatedAt: string;

  @WorkspaceField({
    standardId: BASE_OBJECT_STANDARD_FIELD_IDS.deletedAt,
    type: FieldType.DATE_TIME,
    label: 'Deleted at',
    description: 'Date when the record was deleted',
    icon: 'IconCalendarMinus',
  })
  @WorkspaceIsNullable()
  @WorkspaceIsSystem()
  deletedAt: string | null;
}
