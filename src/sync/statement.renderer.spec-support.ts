import { FieldType } from '../declarations/field-type';
import { renderStatement } from '../database/sql-statement';
import { ColumnSpec } from '../metadata/column-layout';
import { Change, FieldRow, ObjectRow } from './changes';
import { StatementRenderer } from './statement.renderer';

export const WORKSPACE = '0b3f8a52-3d55-4c5e-9a55-6c1f0b0e8f11';
export const SCHEMA = 'workspace_test';
export const OBJECT = 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d01';
export const FIELD = 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d02';
export const OTHER = 'c1a8f1b4-0e7e-4c53-8a4b-2f4b0f6a1d03';

export const renderer = new StatementRenderer(WORKSPACE, SCHEMA);
export const sql = (change: Change): string[] => renderer.render(change).map(renderStatement);

export const column = (name: string, type: ColumnSpec['type'], extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type,
  enumName: null,
  isNullable: true,
  defaultSql: null,
  ...extra,
});

export const objectRow: ObjectRow = {
  id: OBJECT,
  standardId: 'std-company',
  nameSingular: 'company',
  namePlural: 'companies',
  labelSingular: 'Company',
  labelPlural: 'Companies',
  description: null,
  icon: 'IconBuilding',
  tableName: 'company',
  isCustom: false,
  isSystem: false,
  isActive: true,
};

export const fieldRow: FieldRow = {
  id: FIELD,
  objectMetadataId: OBJECT,
  standardId: 'std-stage',
  name: 'stage',
  label: 'Stage',
  type: FieldType.SELECT,
  description: null,
  icon: null,
  isCustom: false,
  isSystem: false,
  isActive: true,
  isNullable: false,
  isUnique: false,
  isDeprecated: false,
  defaultValue: 'NEW',
  options: [{ value: 'NEW', label: 'New', position: 0 }],
  settings: null,
  relationType: null,
  relationTargetObjectMetadataId: null,
  relationTargetFieldMetadataId: null,
  onDelete: null,
};

export const FIELD_COLUMN_LIST =
  '"id", "workspaceId", "objectMetadataId", "standardId", "name", "label", "type", "description", "icon", "isCustom", "isSystem", "isActive", ' +
  '"isNullable", "isUnique", "isDeprecated", "defaultValue", "options", "settings", "relationType", "relationTargetObjectMetadataId", ' +
  '"relationTargetFieldMetadataId", "onDelete"';
export const FIELD_VALUES = `('${FIELD}', '${WORKSPACE}', '${OBJECT}', 'std-stage', 'stage', 'Stage', 'SELECT', NULL, NULL, false, false, true, false, false, false, '"NEW"'::jsonb, '[{"value":"NEW","label":"New","position":0}]'::jsonb, NULL::jsonb, NULL, NULL, NULL, NULL)`;
