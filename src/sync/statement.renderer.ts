import { qualified, quoteIdentifier, quoteLiteral } from '../database/sql';
import { SqlStatement } from '../database/sql-statement';
import { FIELD_COLUMNS, INDEX_COLUMNS, OBJECT_COLUMNS } from '../metadata/actual-state';
import { ColumnSpec } from '../metadata/column-layout';
import { searchVectorExpression } from '../metadata/search-vector';
import {
  Change,
  CreateIndex,
  CreateObject,
  DeleteCustomObject,
  DropField,
  EnumType,
  EnumValuesChange,
  FieldColumns,
  FieldRow,
  ForeignKeyDefinition,
  GeneratedRelation,
  IndexRow,
  ObjectColumns,
  ObjectRow,
  OptionalObjectColumn,
  RenameCustomObject,
  RenameField,
  RenameViewFilterValues,
  RenameObject,
  SetSearchVector,
  TableDependentRename,
  UpdateField,
} from './changes';
import { IndexSpec } from './desired-state';

const OPTIONAL_OBJECT_COLUMNS: ReadonlySet<string> = new Set<OptionalObjectColumn>([
  'labelIdentifierFieldMetadataId',
  'imageIdentifierFieldMetadataId',
  'shortcut',
  'isSearchable',
  'isAuditLogged',
]);

const JSONB_COLUMNS: ReadonlySet<string> = new Set(['defaultValue', 'options', 'settings']);

const jsonParam = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** A row's columns as an INSERT writes them: its workspace after its id. */
const withWorkspace = (columns: readonly string[]): string[] => [columns[0], 'workspaceId', ...columns.slice(1)];

/** The column list and the VALUES rows of an INSERT, with their parameters ($n::jsonb for JSON columns). */
const insertParts = (columns: string[], rows: Array<Record<string, unknown>>): { columns: string; values: string; params: unknown[] } => {
  const params: unknown[] = [];
  const values = rows.map((row) => {
    const placeholders = columns.map((column) => {
      const isJson = JSONB_COLUMNS.has(column);
      params.push(isJson ? jsonParam(row[column]) : row[column]);
      return `$${params.length}${isJson ? '::jsonb' : ''}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  return { columns: columns.map(quoteIdentifier).join(', '), values: values.join(', '), params };
};

/** The SET list of an UPDATE of a row by id ($n::jsonb for JSON columns), with its parameters, the id last. */
const setParts = (set: Record<string, unknown>, id: string): { sets: string; params: unknown[] } => {
  const params: unknown[] = [];
  const sets = Object.entries(set).map(([column, value]) => {
    const isJson = JSONB_COLUMNS.has(column);
    params.push(isJson ? jsonParam(value) : value);
    return `${quoteIdentifier(column)} = $${params.length}${isJson ? '::jsonb' : ''}`;
  });
  params.push(id);
  return { sets: sets.join(', '), params };
};

/**
 * Turns changes into the statements that apply them: the DDL of a workspace's schema and the
 * writes of its metadata rows. The only place that writes either; one method per kind of change.
 */
export class StatementRenderer {
  constructor(
    private readonly workspaceId: string,
    private readonly schema: string,
  ) {}

  renderAll(changes: readonly Change[]): SqlStatement[] {
    return changes.flatMap((change) => this.render(change));
  }

  render(change: Change): SqlStatement[] {
    switch (change.kind) {
      case 'createSchema':
        return [{ sql: `CREATE SCHEMA ${quoteIdentifier(this.schema)}` }];
      case 'createObject':
        return this.createObject(change);
      case 'updateObject':
        return [this.updateObjectRow(change.objectId, change.set)];
      case 'renameObject':
        return this.renameObject(change);
      case 'setLabelIdentifier':
        return [this.updateObjectRow(change.objectId, { labelIdentifierFieldMetadataId: change.fieldId })];
      case 'setImageIdentifier':
        return [this.updateObjectRow(change.objectId, { imageIdentifierFieldMetadataId: change.fieldId })];
      case 'turnObjectCustom':
        return [
          { sql: `UPDATE metadata."objectMetadata" SET "isCustom" = true, "updatedAt" = now() WHERE "id" = $1`, params: [change.objectId] },
        ];
      case 'dropObject':
        return [
          { sql: `DROP TABLE ${this.inSchema(change.tableName)} CASCADE` },
          ...(change.functions ?? []).map((name) => this.dropFunction(name)),
          this.deleteObjectRow(change.objectId),
        ];
      case 'createField':
        return [
          ...change.enumTypes.map((type) => this.createEnum(type)),
          ...(change.columns.length > 0 ? [this.addColumns(change.tableName, change.columns)] : []),
          this.insertFieldRows([change.field]),
        ];
      case 'updateField':
        return this.updateField(change);
      case 'renameField':
        return this.renameField(change);
      case 'turnFieldCustom':
        return [
          {
            sql: `UPDATE metadata."fieldMetadata" SET "isCustom" = true, "isDeprecated" = $1, "updatedAt" = now() WHERE "id" = $2`,
            params: [change.isDeprecated, change.fieldId],
          },
        ];
      case 'dropField':
        return this.dropField(change);
      case 'setSearchVector':
        return this.setSearchVector(change);
      case 'createForeignKey':
        return [this.addForeignKey(change.tableName, change.foreignKey)];
      case 'updateForeignKey':
        return [
          { sql: `ALTER TABLE ${this.inSchema(change.tableName)} DROP CONSTRAINT ${quoteIdentifier(change.replaces)}` },
          this.addForeignKey(change.tableName, change.foreignKey),
        ];
      case 'createIndex':
        return this.createIndex(change);
      case 'dropIndex':
        return [
          { sql: `DROP INDEX IF EXISTS ${this.inSchema(change.name)}` },
          { sql: `DELETE FROM metadata."indexMetadata" WHERE "id" = $1`, params: [change.indexId] },
        ];
      case 'createGeneratedRelation':
        return this.createGeneratedRelation(change.relation);
      case 'renameCustomObject':
        return this.renameCustomObject(change);
      case 'renameViewFilterValues':
        return this.renameViewFilterValues(change);
      case 'deleteViewEntries':
        return change.tables.map((table) => ({
          sql: `DELETE FROM ${this.inSchema(table)} WHERE "fieldMetadataId" = ANY($1::uuid[])`,
          params: [change.fieldIds],
        }));
      case 'deleteCustomObject':
        return this.deleteCustomObject(change);
    }
  }

  // Objects

  private createObject(change: CreateObject): SqlStatement[] {
    const hasId = change.columns.some((column) => column.name === 'id');
    return [
      this.insertObjectRow(change.object),
      ...change.enumTypes.map((type) => this.createEnum(type)),
      {
        sql: `CREATE TABLE ${this.inSchema(change.object.tableName)} (${[
          ...change.columns.map((column) => this.columnSql(column)),
          ...(hasId ? ['PRIMARY KEY ("id")'] : []),
        ].join(', ')})`,
      },
      ...(change.fields.length > 0 ? [this.insertFieldRows(change.fields)] : []),
    ];
  }

  private renameObject(change: RenameObject): SqlStatement[] {
    return [
      this.renameTable(change.tableName.from, change.tableName.to),
      this.updateObjectRow(change.objectId, { nameSingular: change.nameSingular, tableName: change.tableName.to }),
      ...change.dependents.map((rename) => this.renameDependent(change.tableName.to, rename)),
    ];
  }

  private renameDependent(tableName: string, rename: TableDependentRename): SqlStatement {
    switch (rename.of) {
      case 'enumType':
        return this.renameEnum(rename.from, rename.to);
      case 'foreignKey':
        return this.renameConstraint(tableName, rename.from, rename.to);
      case 'function':
        return { sql: `ALTER FUNCTION ${this.inSchema(rename.from)}() RENAME TO ${quoteIdentifier(rename.to)}` };
    }
  }

  private renameCustomObject(change: RenameCustomObject): SqlStatement[] {
    return [
      this.renameTable(change.tableName.from, change.tableName.to),
      ...change.enumTypes.map((rename) => this.renameEnum(rename.from, rename.to)),
      ...change.relations.flatMap((relation) => [
        this.renameColumn(relation.tableName, relation.column.from, relation.column.to),
        this.renameConstraint(relation.tableName, relation.foreignKey.from, relation.foreignKey.to),
        { sql: `ALTER INDEX ${this.inSchema(relation.index.from)} RENAME TO ${quoteIdentifier(relation.index.to)}` },
        {
          sql: `UPDATE metadata."indexMetadata" SET "name" = $1, "columns" = $2, "updatedAt" = now() WHERE "workspaceId" = $3 AND "objectMetadataId" = $4 AND "name" = $5`,
          params: [relation.index.to, [relation.column.to], this.workspaceId, relation.objectId, relation.index.from],
        },
        this.updateFieldRow(relation.fieldId, { name: relation.name }),
      ]),
      this.updateObjectRow(change.objectId, change.set),
    ];
  }

  private deleteCustomObject(change: DeleteCustomObject): SqlStatement[] {
    return [
      ...(change.viewTable
        ? [{ sql: `DELETE FROM ${this.inSchema(change.viewTable)} WHERE "objectMetadataId" = $1`, params: [change.objectId] }]
        : []),
      ...change.relations.flatMap((relation) => [
        this.dropColumns(relation.tableName, [relation.column]),
        {
          sql: `DELETE FROM metadata."indexMetadata" WHERE "workspaceId" = $1 AND "objectMetadataId" = $2 AND "name" = $3`,
          params: [this.workspaceId, relation.objectId, relation.index],
        },
        this.deleteFieldRow(relation.fieldId),
      ]),
      { sql: `DROP TABLE ${this.inSchema(change.tableName)}` },
      ...change.enumTypes.map((name) => this.dropEnum(name)),
      { sql: `DELETE FROM metadata."indexMetadata" WHERE "objectMetadataId" = $1`, params: [change.objectId] },
      this.deleteObjectRow(change.objectId),
    ];
  }

  // Fields

  private updateField(change: UpdateField): SqlStatement[] {
    const statements: SqlStatement[] = [];
    if (change.nullability) {
      const { column, isNullable } = change.nullability;
      statements.push({
        sql: `ALTER TABLE ${this.inSchema(change.tableName)} ALTER COLUMN ${quoteIdentifier(column)} ${isNullable ? 'DROP' : 'SET'} NOT NULL`,
      });
    }
    if (change.enumValues) statements.push(...this.changeEnumValues(change.tableName, change.enumValues));
    for (const { column, defaultSql } of change.defaults) statements.push(this.setDefault(change.tableName, column, defaultSql));
    statements.push(this.updateFieldRow(change.fieldId, change.set));
    return statements;
  }

  private changeEnumValues(tableName: string, change: EnumValuesChange): SqlStatement[] {
    const type = this.inSchema(change.enumType);
    // A renamed label keeps its place and every value that holds it.
    const renames = change.renamed.map(({ from, to }) => ({
      sql: `ALTER TYPE ${type} RENAME VALUE ${quoteLiteral(from)} TO ${quoteLiteral(to)}`,
    }));
    if (change.action === 'add') {
      return [
        ...renames,
        ...change.added.map(({ value, before }) => ({
          sql: `ALTER TYPE ${type} ADD VALUE IF NOT EXISTS ${quoteLiteral(value)}${before ? ` BEFORE ${quoteLiteral(before)}` : ''}`,
        })),
      ];
    }
    // Postgres cannot drop an enum label: swap in a new type, converting through text.
    const oldType = `${change.enumType}_old`;
    const arraySuffix = change.isArray ? '[]' : '';
    const column = quoteIdentifier(change.column);
    return [
      ...renames,
      { sql: `ALTER TYPE ${type} RENAME TO ${quoteIdentifier(oldType)}` },
      this.createEnum({ name: change.enumType, values: change.values }),
      this.setDefault(tableName, change.column, null),
      {
        sql: `ALTER TABLE ${this.inSchema(tableName)} ALTER COLUMN ${column} TYPE ${type}${arraySuffix} USING ${column}::text${arraySuffix}::${type}${arraySuffix}`,
      },
      this.dropEnum(oldType),
      ...(change.defaultSql ? [this.setDefault(tableName, change.column, change.defaultSql)] : []),
    ];
  }

  /**
   * A filter stores one option value, or a JSON list of them. Option values are letters, digits,
   * `_`, `.` and `-`, so a value appears in a list exactly as `"<value>"`, and in no other way.
   */
  private renameViewFilterValues(change: RenameViewFilterValues): SqlStatement[] {
    return change.renamed.map(({ from, to }) => ({
      sql: `UPDATE ${this.inSchema(change.table)} SET "value" = CASE WHEN "value" = $2 THEN $3 ELSE replace("value", $4, $5) END WHERE "fieldMetadataId" = $1 AND ("value" = $2 OR strpos("value", $4) > 0)`,
      params: [change.fieldId, from, to, JSON.stringify(from), JSON.stringify(to)],
    }));
  }

  private renameField(change: RenameField): SqlStatement[] {
    return [
      ...change.columns.flatMap((column) => [
        this.renameColumn(change.tableName, column.from, column.to),
        ...(column.enumType ? [this.renameEnum(column.enumType.from, column.enumType.to)] : []),
      ]),
      ...(change.foreignKey ? [this.renameConstraint(change.tableName, change.foreignKey.from, change.foreignKey.to)] : []),
      this.updateFieldRow(change.fieldId, change.set),
    ];
  }

  private dropField(change: DropField): SqlStatement[] {
    return [
      ...(change.functions ?? []).map((name) => this.dropFunction(name)),
      ...(change.columns.length > 0 ? [this.dropColumns(change.tableName, change.columns)] : []),
      ...change.enumTypes.map((name) => this.dropEnum(name)),
      ...change.viewTables.map((table) => ({
        sql: `DELETE FROM ${this.inSchema(table)} WHERE "fieldMetadataId" = $1`,
        params: [change.fieldId],
      })),
      ...(change.withIndexRows
        ? [
            {
              sql: `DELETE FROM metadata."indexMetadata" WHERE "objectMetadataId" = $1 AND "columns" && $2::text[]`,
              params: [change.objectId, change.columns],
            },
          ]
        : []),
      this.deleteFieldRow(change.fieldId),
    ];
  }

  // Search columns

  private setSearchVector(change: SetSearchVector): SqlStatement[] {
    const { spec } = change;
    const fn = this.inSchema(spec.functionName);
    const table = this.inSchema(spec.tableName);
    const column = quoteIdentifier(spec.column);
    const sourceColumns = [...new Set(spec.sources.map((source) => source.column))];
    const events = sourceColumns.length > 0 ? `INSERT OR UPDATE OF ${sourceColumns.map(quoteIdentifier).join(', ')}` : 'INSERT';
    return [
      ...(change.replaces ? [this.dropFunction(change.replaces)] : []),
      {
        sql: `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN NEW.${column} := ${searchVectorExpression(change.spec, 'NEW.')}; RETURN NEW; END $fn$`,
      },
      { sql: `DROP TRIGGER IF EXISTS ${quoteIdentifier(spec.triggerName)} ON ${table}` },
      { sql: `CREATE TRIGGER ${quoteIdentifier(spec.triggerName)} BEFORE ${events} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()` },
      ...(change.backfill ? [{ sql: `UPDATE ${table} SET ${column} = ${searchVectorExpression(change.spec, '')}` }] : []),
    ];
  }

  /** A trigger function, with the triggers that run it. */
  private dropFunction(name: string): SqlStatement {
    return { sql: `DROP FUNCTION IF EXISTS ${this.inSchema(name)}() CASCADE` };
  }

  // Foreign keys and indexes

  private addForeignKey(tableName: string, foreignKey: ForeignKeyDefinition): SqlStatement {
    return {
      sql: `ALTER TABLE ${this.inSchema(tableName)} ADD CONSTRAINT ${quoteIdentifier(foreignKey.name)} FOREIGN KEY (${quoteIdentifier(foreignKey.column)}) REFERENCES ${this.inSchema(foreignKey.targetTable)} ("id") ON DELETE ${foreignKey.onDelete.replace('_', ' ')}`,
    };
  }

  private createIndex(change: CreateIndex): SqlStatement[] {
    const { row } = change;
    return [
      ...(change.replacesLiveIndex ? [{ sql: `DROP INDEX ${this.inSchema(change.index.name)}` }] : []),
      this.createIndexSql(change.tableName, change.index),
      change.rowExists
        ? {
            sql: `UPDATE metadata."indexMetadata" SET "columns" = $1, "isUnique" = $2, "whereClause" = $3, "updatedAt" = now() WHERE "id" = $4`,
            params: [row.columns, row.isUnique, row.whereClause ?? null, row.id],
          }
        : this.insertIndexRow(row),
    ];
  }

  private createIndexSql(tableName: string, index: IndexSpec): SqlStatement {
    return {
      sql: `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX ${quoteIdentifier(index.name)} ON ${this.inSchema(tableName)}${index.using ? ` USING ${index.using}` : ''} (${index.columns.map(quoteIdentifier).join(', ')})${index.where ? ` WHERE ${index.where}` : ''}`,
    };
  }

  private createGeneratedRelation(relation: GeneratedRelation): SqlStatement[] {
    const { index } = relation;
    return [
      this.addColumns(relation.tableName, [relation.column]),
      this.addForeignKey(relation.tableName, relation.foreignKey),
      this.createIndexSql(relation.tableName, {
        name: index.name,
        columns: index.columns,
        isUnique: index.isUnique,
        where: index.whereClause ?? null,
      }),
      this.insertIndexRow(index),
      this.insertFieldRows([relation.field]),
    ];
  }

  // Metadata rows

  private insertObjectRow(row: ObjectRow): SqlStatement {
    const columns = withWorkspace(OBJECT_COLUMNS).filter(
      (column) => !OPTIONAL_OBJECT_COLUMNS.has(column) || row[column as OptionalObjectColumn] !== undefined,
    );
    const parts = insertParts(columns, [{ ...row, workspaceId: this.workspaceId }]);
    return { sql: `INSERT INTO metadata."objectMetadata" (${parts.columns})\n              VALUES ${parts.values}`, params: parts.params };
  }

  private insertFieldRows(rows: FieldRow[]): SqlStatement {
    const parts = insertParts(
      withWorkspace(FIELD_COLUMNS),
      rows.map((row) => ({ ...row, workspaceId: this.workspaceId })),
    );
    return { sql: `INSERT INTO metadata."fieldMetadata" (${parts.columns}) VALUES ${parts.values}`, params: parts.params };
  }

  private insertIndexRow(row: IndexRow): SqlStatement {
    const columns = withWorkspace(INDEX_COLUMNS).filter((column) => column !== 'whereClause' || row.whereClause !== undefined);
    const parts = insertParts(columns, [{ ...row, workspaceId: this.workspaceId }]);
    return { sql: `INSERT INTO metadata."indexMetadata" (${parts.columns}) VALUES ${parts.values}`, params: parts.params };
  }

  private updateObjectRow(id: string, set: ObjectColumns): SqlStatement {
    const { sets, params } = setParts(set, id);
    return { sql: `UPDATE metadata."objectMetadata" SET ${sets}, "updatedAt" = now() WHERE "id" = $${params.length}`, params };
  }

  private updateFieldRow(id: string, set: FieldColumns): SqlStatement {
    const { sets, params } = setParts(set, id);
    return { sql: `UPDATE metadata."fieldMetadata" SET ${sets}, "updatedAt" = now() WHERE "id" = $${params.length}`, params };
  }

  private deleteObjectRow(id: string): SqlStatement {
    return { sql: `DELETE FROM metadata."objectMetadata" WHERE "id" = $1`, params: [id] };
  }

  private deleteFieldRow(id: string): SqlStatement {
    return { sql: `DELETE FROM metadata."fieldMetadata" WHERE "id" = $1`, params: [id] };
  }

  // Tables, columns and enum types

  /** A name of the workspace's schema: table, enum type, index. */
  private inSchema(name: string): string {
    return qualified(this.schema, name);
  }

  /** A column definition for CREATE TABLE / ADD COLUMN; enum types are qualified with the schema. */
  private columnSql(column: ColumnSpec): string {
    const type =
      column.type === 'enum'
        ? this.inSchema(column.enumName!)
        : column.type === 'enum[]'
          ? `${this.inSchema(column.enumName!)}[]`
          : column.type;
    return `${quoteIdentifier(column.name)} ${type}${column.isNullable ? '' : ' NOT NULL'}${column.defaultSql ? ` DEFAULT ${column.defaultSql}` : ''}`;
  }

  private addColumns(tableName: string, columns: ColumnSpec[]): SqlStatement {
    return { sql: `ALTER TABLE ${this.inSchema(tableName)} ${columns.map((column) => `ADD COLUMN ${this.columnSql(column)}`).join(', ')}` };
  }

  private dropColumns(tableName: string, columns: string[]): SqlStatement {
    return {
      sql: `ALTER TABLE ${this.inSchema(tableName)} ${columns.map((column) => `DROP COLUMN ${quoteIdentifier(column)}`).join(', ')}`,
    };
  }

  private setDefault(tableName: string, column: string, defaultSql: string | null): SqlStatement {
    return {
      sql: `ALTER TABLE ${this.inSchema(tableName)} ALTER COLUMN ${quoteIdentifier(column)} ${defaultSql ? `SET DEFAULT ${defaultSql}` : 'DROP DEFAULT'}`,
    };
  }

  private renameTable(from: string, to: string): SqlStatement {
    return { sql: `ALTER TABLE ${this.inSchema(from)} RENAME TO ${quoteIdentifier(to)}` };
  }

  private renameColumn(tableName: string, from: string, to: string): SqlStatement {
    return { sql: `ALTER TABLE ${this.inSchema(tableName)} RENAME COLUMN ${quoteIdentifier(from)} TO ${quoteIdentifier(to)}` };
  }

  private renameConstraint(tableName: string, from: string, to: string): SqlStatement {
    return { sql: `ALTER TABLE ${this.inSchema(tableName)} RENAME CONSTRAINT ${quoteIdentifier(from)} TO ${quoteIdentifier(to)}` };
  }

  private createEnum(type: EnumType): SqlStatement {
    return { sql: `CREATE TYPE ${this.inSchema(type.name)} AS ENUM (${type.values.map(quoteLiteral).join(', ')})` };
  }

  private renameEnum(from: string, to: string): SqlStatement {
    return { sql: `ALTER TYPE ${this.inSchema(from)} RENAME TO ${quoteIdentifier(to)}` };
  }

  private dropEnum(name: string): SqlStatement {
    return { sql: `DROP TYPE ${this.inSchema(name)}` };
  }
}
