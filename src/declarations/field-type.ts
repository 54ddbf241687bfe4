export enum FieldType {
  UUID = 'UUID',
  TEXT = 'TEXT',
  NUMBER = 'NUMBER',
  NUMERIC = 'NUMERIC',
  BOOLEAN = 'BOOLEAN',
  DATE = 'DATE',
  DATE_TIME = 'DATE_TIME',
  SELECT = 'SELECT',
  MULTI_SELECT = 'MULTI_SELECT',
  RATING = 'RATING',
  POSITION = 'POSITION',
  RAW_JSON = 'RAW_JSON',
  ARRAY = 'ARRAY',
  RELATION = 'RELATION',
  FULL_NAME = 'FULL_NAME',
  LINKS = 'LINKS',
  EMAILS = 'EMAILS',
  PHONES = 'PHONES',
  ADDRESS = 'ADDRESS',
  CURRENCY = 'CURRENCY',
  ACTOR = 'ACTOR',
  EMAIL = 'EMAIL',
  LINK = 'LINK',
  PHONE = 'PHONE',
  RICH_TEXT = 'RICH_TEXT',
  RICH_TEXT_V2 = 'RICH_TEXT_V2',
  TS_VECTOR = 'TS_VECTOR',
}

export enum RelationType {
  MANY_TO_ONE = 'MANY_TO_ONE',
  ONE_TO_MANY = 'ONE_TO_MANY',
}

export enum OnDeleteAction {
  CASCADE = 'CASCADE',
  SET_NULL = 'SET_NULL',
  RESTRICT = 'RESTRICT',
  NO_ACTION = 'NO_ACTION',
}

export const isFieldType = (value: unknown): value is FieldType =>
  typeof value === 'string' && Object.values(FieldType).includes(value as FieldType);
