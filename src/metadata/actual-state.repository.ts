import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { FieldType, OnDeleteAction } from '../declarations/field-type';
import { scriptWithPrepared, SessionStatement } from '../database/prepared-query';
import { qualified, sqlLiteral } from '../database/sql';
import {
  ActualField,
  ActualIndex,
  ActualObject,
  ActualState,
  DanglingViewReference,
  emptyLiveSchema,
  FIELD_COLUMNS,
  INDEX_COLUMNS,
  LiveIndex,
  LiveSchema,
  LiveTable,
  LiveTrigger,
  OBJECT_COLUMNS,
  VIEW_OBJECTS_WITH_FIELDS,
} from './actual-state';

/** The part of a workspace a scoped read returns (a sync's scope of change gives it). */
export interface ReadScope {
  /** standardIds of the standard objects read whole. */
  compared: ReadonlySet<string>;
  /** standardIds of every standard object read (those compared and those their relations point at). */
  standardIds: string[];
  /** standardIds of the fields read, for their ids, from the objects not compared. */
  referencedFieldIds: string[];
  tableNames: string[];
  enumNames: string[];
}

const ON_DELETE_CODES: Record<string, OnDeleteAction> = {
  c: OnDeleteAction.CASCADE,
  n: OnDeleteAction.SET_NULL,
  r: OnDeleteAction.RESTRICT,
  a: OnDeleteAction.NO_ACTION,
};

const quotedList = (columns: readonly string[]): string => columns.map((column) => `"${column}"`).join(', ');
/** A JSON object of the named columns (of the table aliased `alias`), each under its own name. */
const jsonOf = (columns: readonly string[], alias = ''): string =>
  `json_build_object(${columns.map((column) => `'${column}', ${alias ? `${alias}.` : ''}"${column}"`).join(', ')})`;

/** What a field of an object read for its ids only carries (see beginAndReadLocked). */
const FIELD_ID_COLUMNS = ['id', 'objectMetadataId', 'standardId', 'name', 'isCustom'];

/** Parts of the state statement that differ between a whole workspace and a scope. */
interface StateSelection {
  /** Condition on metadata."objectMetadata" (alias o). */
  objects: string;
  /** Condition on those objects (alias o): compared in full; the others are read for their ids only. */
  compared: string;
  /** Condition on the fields (alias f) of the objects not compared: those read (for their ids). */
  referencedFields: string;
  /** The schema's tables: oid, relname, reltuples (ns: the schema's namespace). */
  tables: string;
  /** The schema's enum types: oid, typname. */
  enums: string;
}

/**
 * The state statement: $1 workspace id, $2 schema name, then the selection's own parameters. One
 * row of JSON documents: the stored fingerprint, the metadata rows and the live catalog.
 */
const stateSql = (selection: StateSelection): string => `
  WITH ns AS (SELECT n.oid FROM pg_namespace n WHERE n.nspname = $2),
  tbl AS (${selection.tables}),
  enm AS (${selection.enums}),
  obj AS (SELECT o."id", (${selection.compared}) AS "compared" FROM metadata."objectMetadata" o WHERE ${selection.objects})
  SELECT
    (SELECT w."fingerprint" FROM core.workspace w WHERE w."id" = $1) AS "fingerprint",
    EXISTS (SELECT FROM ns) AS "schemaExists",
    (SELECT coalesce(json_agg(${jsonOf(OBJECT_COLUMNS)} ORDER BY "createdAt", "nameSingular"), '[]')
       FROM metadata."objectMetadata" o WHERE ${selection.objects}) AS "objects",
    (SELECT coalesce(json_agg(CASE WHEN obj."compared" THEN ${jsonOf(FIELD_COLUMNS, 'f')} ELSE ${jsonOf(FIELD_ID_COLUMNS, 'f')} END
                              ORDER BY f."createdAt", f."name"), '[]')
       FROM metadata."fieldMetadata" f JOIN obj ON obj."id" = f."objectMetadataId"
      WHERE f."workspaceId" = $1 AND (obj."compared" OR ${selection.referencedFields})) AS "fields",
    (SELECT coalesce(json_agg(${jsonOf(INDEX_COLUMNS, 'i')} ORDER BY i."name"), '[]')
       FROM metadata."indexMetadata" i JOIN obj ON obj."id" = i."objectMetadataId" AND obj."compared" WHERE i."workspaceId" = $1) AS "indexes",
    (SELECT coalesce(json_agg(json_build_array(
              c.relname, a.attname,
              CASE WHEN t.typtype = 'e' THEN t.typname WHEN et.typtype = 'e' THEN et.typname || '[]' ELSE format_type(a.atttypid, a.atttypmod) END,
              CASE WHEN t.typtype = 'e' THEN t.typname WHEN et.typtype = 'e' THEN et.typname END,
              NOT a.attnotnull,
              greatest(c.reltuples, 0)::float8) ORDER BY c.relname, a.attnum), '[]')
       FROM tbl c
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A') AS "columns",
    (SELECT coalesce(json_agg(json_build_object('name', con.conname, 'table', src.relname, 'column', a.attname,
                                                'targetTable', dst.relname, 'onDelete', con.confdeltype) ORDER BY con.conname), '[]')
       FROM tbl src
       JOIN pg_constraint con ON con.conrelid = src.oid AND con.contype = 'f'
       JOIN pg_class dst ON dst.oid = con.confrelid
       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]) AS "foreignKeys",
    (SELECT coalesce(json_agg(json_build_object('name', i.relname, 'table', t.relname, 'isUnique', x.indisunique,
                                                'isValid', x.indisvalid) ORDER BY i.relname), '[]')
       FROM tbl t
       JOIN pg_index x ON x.indrelid = t.oid AND NOT x.indisprimary
       JOIN pg_class i ON i.oid = x.indexrelid) AS "liveIndexes",
    (SELECT coalesce(json_object_agg(e.typname, (SELECT array_agg(l.enumlabel ORDER BY l.enumsortorder) FROM pg_enum l WHERE l.enumtypid = e.oid)), '{}')
       FROM enm e) AS "enums",
    (SELECT coalesce(json_agg(json_build_object('table', c.relname, 'name', t.tgname, 'functionName', p.proname) ORDER BY c.relname, t.tgname), '[]')
       FROM tbl c
       JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal
       JOIN pg_proc p ON p.oid = t.tgfoid) AS "triggers",
    (SELECT coalesce(json_agg(p.proname ORDER BY p.proname), '[]') FROM ns
       JOIN pg_depend d ON d.refobjid = ns.oid AND d.classid = 'pg_proc'::regclass AND d.refclassid = 'pg_namespace'::regclass
       JOIN pg_proc p ON p.oid = d.objid AND p.pronamespace = ns.oid) AS "functions"`;

/**
 * The whole workspace. Its tables and enum types are found through their recorded dependency on
 * the schema (an index scan of pg_depend) and the catalog is then read by oid: filtering pg_class
 * or pg_type by namespace instead scans catalogs that grow with the whole fleet, once per workspace.
 */
const READ_STATE_SQL = stateSql({
  objects: `o."workspaceId" = $1`,
  compared: `true`,
  referencedFields: `false`,
  tables: `SELECT c.oid, c.relname, c.reltuples FROM ns
      JOIN pg_depend d ON d.refobjid = ns.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_namespace'::regclass
      JOIN pg_class c ON c.oid = d.objid AND c.relnamespace = ns.oid AND c.relkind IN ('r', 'p')`,
  enums: `SELECT t.oid, t.typname FROM ns
      JOIN pg_depend d ON d.refobjid = ns.oid AND d.classid = 'pg_type'::regclass AND d.refclassid = 'pg_namespace'::regclass
      JOIN pg_type t ON t.oid = d.objid AND t.typnamespace = ns.oid AND t.typtype = 'e'`,
});

/**
 * Some standard objects ($3 standardIds): those compared ($6) with their fields, custom ones
 * included, and indexes, the others with the ids of the fields named in $7; of the catalog, the
 * compared objects' tables ($4, looked up by name) and the enum types named in $5 or used by a
 * column of those tables.
 */
const READ_SCOPED_STATE_SQL = stateSql({
  objects: `o."workspaceId" = $1 AND NOT o."isCustom" AND o."standardId" = ANY($3::uuid[])`,
  compared: `o."standardId" = ANY($6::uuid[])`,
  referencedFields: `NOT f."isCustom" AND f."standardId" = ANY($7::uuid[])`,
  tables: `SELECT c.oid, c.relname, c.reltuples FROM ns
      JOIN pg_class c ON c.relname = ANY($4::name[]) AND c.relnamespace = ns.oid AND c.relkind IN ('r', 'p')`,
  enums: `SELECT t.oid, t.typname FROM ns JOIN pg_type t ON t.typname = ANY($5::name[]) AND t.typnamespace = ns.oid AND t.typtype = 'e'
    UNION
    SELECT e.oid, e.typname FROM ns, pg_class c
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      JOIN pg_type t ON t.oid = a.atttypid
      JOIN pg_type e ON e.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END AND e.typtype = 'e'
     WHERE c.relname = ANY($4::name[]) AND c.relnamespace = ns.oid AND c.relkind IN ('r', 'p')`,
});

const READ_STATE: SessionStatement = { name: 'wms_read_workspace_state', types: ['uuid', 'text'], text: READ_STATE_SQL };
const READ_SCOPED_STATE: SessionStatement = {
  name: 'wms_read_scoped_workspace_state',
  types: ['uuid', 'text', 'uuid[]', 'name[]', 'name[]', 'uuid[]', 'uuid[]'],
  text: READ_SCOPED_STATE_SQL,
};

interface StateRow {
  fingerprint: string | null;
  schemaExists: boolean;
  objects: Array<Omit<ActualObject, 'fields'>>;
  fields: ActualField[];
  indexes: ActualIndex[];
  /** [table, column, type, enum name, nullable, estimated rows of the table] */
  columns: Array<[string, string, string, string | null, boolean, number]>;
  foreignKeys: Array<{ name: string; table: string; column: string; targetTable: string; onDelete: string }>;
  liveIndexes: LiveIndex[];
  enums: Record<string, string[] | null>;
  triggers: LiveTrigger[];
  functions: string[];
}

const liveSchemaOf = (row: StateRow): LiveSchema => {
  const tables = new Map<string, LiveTable>();
  for (const [tableName, name, type, enumName, isNullable, estimatedRows] of row.columns) {
    let table = tables.get(tableName);
    if (!table) {
      table = { name: tableName, columns: new Map(), estimatedRows };
      tables.set(tableName, table);
    }
    table.columns.set(name, { name, type, enumName, isNullable });
  }
  return {
    exists: true,
    tables,
    foreignKeys: row.foreignKeys.map((fk) => ({ ...fk, onDelete: ON_DELETE_CODES[fk.onDelete] ?? OnDeleteAction.NO_ACTION })),
    indexes: row.liveIndexes,
    enums: new Map(Object.entries(row.enums).map(([name, labels]) => [name, labels ?? []])),
    triggers: row.triggers,
    functions: row.functions,
  };
};

const stateOf = (workspaceId: string, schemaName: string, row: StateRow): ActualState => {
  const objects: ActualObject[] = row.objects.map((object) => ({ ...object, fields: [] }));
  const byId = new Map(objects.map((object) => [object.id, object]));
  for (const field of row.fields) byId.get(field.objectMetadataId)?.fields.push(field);
  const live = row.schemaExists ? liveSchemaOf(row) : emptyLiveSchema();
  return { workspaceId, schemaName, fingerprint: row.fingerprint, objects, indexes: row.indexes, live };
};

/** A field's current shape, as its metadata row says now. */
export interface FieldShape {
  standardId: string;
  objectStandardId: string;
  tableName: string;
  name: string;
  type: FieldType;
}

/** Reads a workspace's metadata rows and the live catalog of its schema. All SQL of that lives here. */
@Injectable()
export class ActualStateRepository {
  constructor(@Inject(EntityManager) private readonly manager: EntityManager) {}

  /**
   * The whole state in one statement: metadata rows, the live catalog of the schema and the
   * fingerprint stored on the workspace row, as JSON documents (then the view rows that point at
   * missing fields, in one more, which only a health report uses). Read once per workspace by every
   * walk, so its cost is round trips and planning: one prepared statement pays both once per
   * connection.
   */
  async read(workspaceId: string, schemaName: string): Promise<ActualState> {
    const state = await this.readForPlanning(workspaceId, schemaName);
    state.danglingViewReferences = await this.danglingViewReferences(workspaceId, schemaName, state.objects, state.live);
    return state;
  }

  /**
   * The state without the view rows that point at missing fields (one statement fewer): for what
   * plans or checks the drift that blocks a sync, which those rows never are (an upgrade's
   * pre-flight and steps, a creation, a change of custom metadata). A health report reads them
   * (`read`).
   */
  async readForPlanning(workspaceId: string, schemaName: string): Promise<ActualState> {
    const { rows } = await scriptWithPrepared(this.manager, [], READ_STATE, [sqlLiteral(workspaceId), sqlLiteral(schemaName)]);
    return stateOf(workspaceId, schemaName, rows[0] as StateRow);
  }

  /**
   * Sends `begin` (the statement that opens a transaction), runs `lock` (a statement whose one row
   * says "locked") and then reads the state with a snapshot taken after it, all in one round trip:
   * the whole workspace or, with a scope, its standard objects only. Of those, the compared objects
   * come whole (fields, custom ones included, indexes, tables, enum types); the objects their
   * relations point at come with only the fields those relations name, carrying only their ids,
   * standardId, name and isCustom: enough to refer to them, which is all the comparator does with an
   * object it does not compare. As
   * `readForPlanning`, without the view rows pointing at missing fields: a sync checks only the
   * drift that blocks it. The transaction is left open, whatever the lock said: the caller ends it.
   */
  async beginAndReadLocked(
    begin: string,
    lock: string,
    workspaceId: string,
    schemaName: string,
    scope: ReadScope | null,
  ): Promise<{ locked: boolean; state: ActualState }> {
    const { before, rows } = await scriptWithPrepared(
      this.manager,
      [begin, lock],
      scope ? READ_SCOPED_STATE : READ_STATE,
      scope
        ? [
            sqlLiteral(workspaceId),
            sqlLiteral(schemaName),
            `${sqlLiteral(scope.standardIds)}::uuid[]`,
            `${sqlLiteral(scope.tableNames)}::name[]`,
            `${sqlLiteral(scope.enumNames)}::name[]`,
            `${sqlLiteral([...scope.compared])}::uuid[]`,
            `${sqlLiteral(scope.referencedFieldIds)}::uuid[]`,
          ]
        : [sqlLiteral(workspaceId), sqlLiteral(schemaName)],
    );
    const [{ locked }] = before[1] as Array<{ locked: boolean }>;
    return { locked, state: stateOf(workspaceId, schemaName, rows[0] as StateRow) };
  }

  /** Rows of the view tables whose fieldMetadataId names no field of this workspace, in one statement. */
  private async danglingViewReferences(
    workspaceId: string,
    schemaName: string,
    objects: ActualObject[],
    live: LiveSchema,
  ): Promise<DanglingViewReference[]> {
    const tables = objects
      .filter((object) => !object.isCustom && object.standardId !== null && VIEW_OBJECTS_WITH_FIELDS.includes(object.standardId))
      .map((object) => object.tableName)
      .filter((table) => live.tables.get(table)?.columns.has('fieldMetadataId'));
    if (tables.length === 0) return [];
    const rows: DanglingViewReference[] = await this.manager.query(
      `SELECT "table", "id", "fieldMetadataId" FROM (${tables
        .map(
          (table, index) =>
            `SELECT ${index} AS "position", $${index + 2}::text AS "table", v."id"::text AS "id", v."fieldMetadataId"::text AS "fieldMetadataId"
               FROM ${qualified(schemaName, table)} v
              WHERE v."fieldMetadataId" IS NOT NULL AND v."deletedAt" IS NULL
                AND NOT EXISTS (SELECT 1 FROM metadata."fieldMetadata" f WHERE f."id" = v."fieldMetadataId" AND f."workspaceId" = $1)`,
        )
        .join(' UNION ALL ')}) s ORDER BY "position", "id"::uuid`,
      [workspaceId, ...tables],
    );
    return rows;
  }

  /** The metadata rows of a workspace's objects with their fields, without the live catalog. */
  async objects(workspaceId: string): Promise<ActualObject[]> {
    const objects: ActualObject[] = await this.manager.query(
      `SELECT ${quotedList(OBJECT_COLUMNS)} FROM metadata."objectMetadata" WHERE "workspaceId" = $1 ORDER BY "createdAt", "nameSingular"`,
      [workspaceId],
    );
    const fields: ActualField[] = await this.manager.query(
      `SELECT ${quotedList(FIELD_COLUMNS)} FROM metadata."fieldMetadata" WHERE "workspaceId" = $1 ORDER BY "createdAt", "name"`,
      [workspaceId],
    );
    const byObject = new Map(objects.map((object) => [object.id, Object.assign(object, { fields: [] as ActualField[] })]));
    for (const field of fields) {
      byObject.get(field.objectMetadataId)?.fields.push(field);
    }
    return objects;
  }

  /**
   * The shapes of the given standard fields, locked FOR SHARE until the transaction ends: an
   * upgrade that switches a field's type waits for this writer, or this writer sees the switch.
   */
  async lockStandardFieldShapes(workspaceId: string, standardIds: string[]): Promise<FieldShape[]> {
    return this.manager.query(
      `SELECT f."standardId", o."standardId" AS "objectStandardId", o."tableName", f."name", f."type"
         FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
        WHERE f."workspaceId" = $1 AND f."standardId" = ANY($2::uuid[]) AND NOT f."isCustom" AND NOT o."isCustom"
        FOR SHARE OF f`,
      [workspaceId, standardIds],
    );
  }
}
