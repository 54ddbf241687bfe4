import { FieldType, RelationType } from '../declarations/field-type';
import { ActualState, actualFieldColumns } from '../metadata/actual-state';
import { ColumnSpec, foreignKeyName } from '../metadata/column-layout';
import { searchFunctionName, searchTriggerName } from '../metadata/search-vector';

export type HealthIssueKind =
  | 'MISSING_TABLE'
  | 'EXTRA_TABLE'
  | 'MISSING_COLUMN'
  | 'EXTRA_COLUMN'
  | 'WRONG_TYPE'
  | 'WRONG_NULLABILITY'
  | 'MISSING_FOREIGN_KEY'
  | 'MISSING_SEARCH_FUNCTION'
  | 'MISSING_SEARCH_TRIGGER'
  | 'MISSING_INDEX'
  | 'INVALID_INDEX'
  | 'DANGLING_VIEW_FIELD';

export interface HealthIssue {
  kind: HealthIssueKind;
  table: string;
  column: string | null;
  message: string;
}

const LIVE_TYPE: Record<Exclude<ColumnSpec['type'], 'enum' | 'enum[]'>, string> = {
  uuid: 'uuid',
  text: 'text',
  'double precision': 'double precision',
  numeric: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamptz: 'timestamp with time zone',
  jsonb: 'jsonb',
  'text[]': 'text[]',
  tsvector: 'tsvector',
};

const expectedLiveType = (column: ColumnSpec): string =>
  column.type === 'enum' ? column.enumName! : column.type === 'enum[]' ? `${column.enumName}[]` : LIVE_TYPE[column.type];

/**
 * A search field's column is kept current by a trigger calling a function of the schema; without
 * either, new and changed records are no longer found by `?search=`. Sync with `--check` (which reads the live schema even where the
 * fingerprint says in sync) recreates both.
 */
const searchVectorIssues = (actual: ActualState, objectName: string, tableName: string, fieldName: string): HealthIssue[] => {
  const issues: HealthIssue[] = [];
  const functionName = searchFunctionName(tableName, fieldName);
  const triggerName = searchTriggerName(fieldName);
  if (!actual.live.functions.includes(functionName)) {
    issues.push({
      kind: 'MISSING_SEARCH_FUNCTION',
      table: tableName,
      column: fieldName,
      message: `search field ${objectName}.${fieldName} has no function ${functionName}: its column is no longer kept current; run workspace:sync-metadata --check to recreate it and refill the column`,
    });
  }
  const trigger = actual.live.triggers.find((candidate) => candidate.table === tableName && candidate.name === triggerName);
  if (!trigger || trigger.functionName !== functionName) {
    issues.push({
      kind: 'MISSING_SEARCH_TRIGGER',
      table: tableName,
      column: fieldName,
      message: `search field ${objectName}.${fieldName} has no trigger ${triggerName} on ${tableName}${trigger ? ` calling ${functionName} (it calls ${trigger.functionName})` : ''}: its column is no longer kept current; run workspace:sync-metadata --check to recreate it and refill the column`,
    });
  }
  return issues;
};

/**
 * Drift between a workspace's metadata and its live tables. Pure: reports, never repairs. The
 * metadata says what must exist; the catalog says what does.
 */
export const checkWorkspaceHealth = (actual: ActualState): HealthIssue[] => {
  const issues: HealthIssue[] = [];
  const claimedTables = new Set<string>();
  for (const object of actual.objects) {
    claimedTables.add(object.tableName);
    const table = actual.live.tables.get(object.tableName);
    if (!table) {
      issues.push({
        kind: 'MISSING_TABLE',
        table: object.tableName,
        column: null,
        message: `object ${object.nameSingular} has no table ${object.tableName}`,
      });
      continue;
    }
    const claimedColumns = new Set<string>();
    for (const field of object.fields) {
      const columns = actualFieldColumns(field, object.tableName);
      const isPlain = columns.length === 1 && columns[0].name === field.name && !field.relationType;
      for (const column of columns) {
        claimedColumns.add(column.name);
        const live = table.columns.get(column.name);
        if (!live) {
          issues.push({
            kind: 'MISSING_COLUMN',
            table: object.tableName,
            column: column.name,
            message: `field ${object.nameSingular}.${field.name} has no column "${column.name}"`,
          });
          continue;
        }
        const expected = expectedLiveType(column);
        if (live.type !== expected) {
          issues.push({
            kind: 'WRONG_TYPE',
            table: object.tableName,
            column: column.name,
            message: `column "${column.name}" of ${object.tableName} is ${live.type}, field ${object.nameSingular}.${field.name} (${field.type}) expects ${expected}`,
          });
        }
        // A plain field's column, or a relation's foreign key (NOT NULL when the relation is required).
        if ((isPlain || field.relationType === RelationType.MANY_TO_ONE) && live.isNullable !== field.isNullable) {
          issues.push({
            kind: 'WRONG_NULLABILITY',
            table: object.tableName,
            column: column.name,
            message: `column "${column.name}" of ${object.tableName} is ${live.isNullable ? 'nullable' : 'NOT NULL'}, metadata says ${field.isNullable ? 'nullable' : 'NOT NULL'}`,
          });
        }
      }
      if (field.type === FieldType.TS_VECTOR) {
        issues.push(...searchVectorIssues(actual, object.nameSingular, object.tableName, field.name));
      }
      if (field.relationType === RelationType.MANY_TO_ONE) {
        const name = foreignKeyName(object.tableName, columns[0].name);
        if (!actual.live.foreignKeys.some((fk) => fk.name === name)) {
          issues.push({
            kind: 'MISSING_FOREIGN_KEY',
            table: object.tableName,
            column: columns[0].name,
            message: `relation ${object.nameSingular}.${field.name} has no foreign key ${name}`,
          });
        }
      }
    }
    for (const column of table.columns.keys()) {
      if (!claimedColumns.has(column)) {
        issues.push({
          kind: 'EXTRA_COLUMN',
          table: object.tableName,
          column,
          message: `column "${column}" of ${object.tableName} belongs to no field of ${object.nameSingular}`,
        });
      }
    }
  }
  for (const index of actual.indexes) {
    const object = actual.objects.find((candidate) => candidate.id === index.objectMetadataId);
    const live = actual.live.indexes.find((candidate) => candidate.name === index.name);
    if (!live) {
      issues.push({
        kind: 'MISSING_INDEX',
        table: object?.tableName ?? '',
        column: null,
        message: `index ${index.name} is in metadata but not in the schema`,
      });
    } else if (!live.isValid) {
      issues.push({
        kind: 'INVALID_INDEX',
        table: live.table,
        column: null,
        message: `index ${index.name} is invalid (an interrupted build); the next sync rebuilds it`,
      });
    }
  }
  for (const reference of actual.danglingViewReferences ?? []) {
    issues.push({
      kind: 'DANGLING_VIEW_FIELD',
      table: reference.table,
      column: 'fieldMetadataId',
      message: `${reference.table} row ${reference.id} points to field ${reference.fieldMetadataId}, which does not exist (deleted); remove that row from the view (delete it, or set its deletedAt)`,
    });
  }
  for (const table of actual.live.tables.keys()) {
    if (!claimedTables.has(table)) {
      issues.push({ kind: 'EXTRA_TABLE', table, column: null, message: `table ${table} belongs to no object` });
    }
  }
  return issues;
};
