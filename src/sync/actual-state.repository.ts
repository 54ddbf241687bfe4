import { EntityManager } from 'typeorm';

import { OnDeleteAction } from '../declarations/field-type';
import { qualified } from '../database/sql';
import { ActualField, ActualIndex, ActualObject, ActualState, DanglingViewReference, LiveSchema, LiveTable, VIEW_OBJECTS_WITH_FIELDS } from './actual-state';

const ON_DELETE_CODES: Record<string, OnDeleteAction> = {
  c: OnDeleteAction.CASCADE,
  n: OnDeleteAction.SET_NULL,
  r: OnDeleteAction.RESTRICT,
  a: OnDeleteAction.NO_ACTION,
};

/** Reads a workspace's metadata rows and the live catalog of its schema. All SQL of that lives here. */
export class ActualStateRepository {
  constructor(private readonly manager: EntityManager) {}

  async read(workspaceId: string, schemaName: string): Promise<ActualState> {
    const [objects, indexes, live] = [
      await this.objects(workspaceId),
      await this.indexes(workspaceId),
      await this.live(schemaName),
    ];
    const danglingViewReferences = await this.danglingViewReferences(workspaceId, schemaName, objects, live);
    return { workspaceId, schemaName, objects, indexes, live, danglingViewReferences };
  }

  /** Rows of the view tables whose fieldMetadataId names no field of this workspace. */
  private async danglingViewReferences(workspaceId: string, schemaName: string, objects: ActualObject[], live: LiveSchema): Promise<DanglingViewReference[]> {
    const tables = objects
      .filter((object) => !object.isCustom && object.standardId !== null && VIEW_OBJECTS_WITH_FIELDS.includes(object.standardId))
      .map((object) => object.tableName)
      .filter((table) => live.tables.get(table)?.columns.has('fieldMetadataId'));
    const found: DanglingViewReference[] = [];
    for (const table of tables) {
      const rows: Array<{ id: string; fieldMetadataId: string }> = await this.manager.query(
        `SELECT v."id"::text AS "id", v."fieldMetadataId"::text AS "fieldMetadataId" FROM ${qualified(schemaName, table)} v
          WHERE v."fieldMetadataId" IS NOT NULL AND v."deletedAt" IS NULL
            AND NOT EXISTS (SELECT 1 FROM metadata."fieldMetadata" f WHERE f."id" = v."fieldMetadataId" AND f."workspaceId" = $1)
          ORDER BY v."id"`,
        [workspaceId],
      );
      found.push(...rows.map((row) => ({ table, ...row })));
    }
    return found;
  }

  /** The metadata rows of a workspace's objects with their fields, without the live catalog. */
  async objects(workspaceId: string): Promise<ActualObject[]> {
    const objects: ActualObject[] = await this.manager.query(
      `SELECT "id", "standardId", "nameSingular", "namePlural", "labelSingular", "labelPlural", "description", "icon",
              "tableName", "isCustom", "isSystem", "isActive", "labelIdentifierFieldMetadataId"
         FROM metadata."objectMetadata" WHERE "workspaceId" = $1 ORDER BY "createdAt", "nameSingular"`,
      [workspaceId],
    );
    const fields: ActualField[] = await this.manager.query(
      `SELECT "id", "objectMetadataId", "standardId", "name", "label", "type", "description", "icon", "isCustom",
              "isSystem", "isActive", "isNullable", "isUnique", "isDeprecated", "defaultValue", "options", "settings",
              "relationType", "relationTargetObjectMetadataId", "relationTargetFieldMetadataId", "onDelete"
         FROM metadata."fieldMetadata" WHERE "workspaceId" = $1 ORDER BY "createdAt", "name"`,
      [workspaceId],
    );
    const byObject = new Map(objects.map((object) => [object.id, Object.assign(object, { fields: [] as ActualField[] })]));
    for (const field of fields) {
      byObject.get(field.objectMetadataId)?.fields.push(field);
    }
    return objects;
  }

  private async indexes(workspaceId: string): Promise<ActualIndex[]> {
    return this.manager.query(
      `SELECT "id", "objectMetadataId", "name", "columns", "isUnique", "whereClause", "isCustom"
         FROM metadata."indexMetadata" WHERE "workspaceId" = $1 ORDER BY "name"`,
      [workspaceId],
    );
  }

  async live(schemaName: string): Promise<LiveSchema> {
    // The schema's tables and enum types, found through their recorded dependency on the schema
    // (an index scan of pg_depend); the reads below then go by oid. Filtering pg_class or pg_type
    // by namespace instead scans catalogs that grow with the whole fleet, once per workspace.
    const [namespace]: Array<{ tables: string[]; enums: string[] }> = await this.manager.query(
      `SELECT (SELECT coalesce(array_agg(c.oid::int8), '{}') FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
                WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_namespace'::regclass AND d.refobjid = n.oid
                  AND c.relnamespace = n.oid AND c.relkind IN ('r', 'p')) AS "tables",
              (SELECT coalesce(array_agg(t.oid::int8), '{}') FROM pg_depend d JOIN pg_type t ON t.oid = d.objid
                WHERE d.classid = 'pg_type'::regclass AND d.refclassid = 'pg_namespace'::regclass AND d.refobjid = n.oid
                  AND t.typnamespace = n.oid AND t.typtype = 'e') AS "enums"
         FROM pg_namespace n WHERE n.nspname = $1`,
      [schemaName],
    );
    if (!namespace) {
      return { exists: false, tables: new Map(), foreignKeys: [], indexes: [], enums: new Map() };
    }
    const tableOids = namespace.tables;
    const columns: Array<{ table: string; column: string; type: string; enumName: string | null; isNullable: boolean; estimatedRows: number }> =
      await this.manager.query(
        `SELECT c.relname AS "table", a.attname AS "column",
                CASE WHEN t.typtype = 'e' THEN t.typname
                     WHEN et.typtype = 'e' THEN et.typname || '[]'
                     ELSE format_type(a.atttypid, a.atttypmod) END AS "type",
                CASE WHEN t.typtype = 'e' THEN t.typname WHEN et.typtype = 'e' THEN et.typname END AS "enumName",
                NOT a.attnotnull AS "isNullable",
                greatest(c.reltuples, 0)::float8 AS "estimatedRows"
           FROM pg_class c
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           JOIN pg_type t ON t.oid = a.atttypid
           LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
          WHERE c.oid = ANY($1::oid[])
          ORDER BY c.relname, a.attnum`,
        [tableOids],
      );
    const tables = new Map<string, LiveTable>();
    for (const row of columns) {
      let table = tables.get(row.table);
      if (!table) {
        table = { name: row.table, columns: new Map(), estimatedRows: row.estimatedRows };
        tables.set(row.table, table);
      }
      table.columns.set(row.column, { name: row.column, type: row.type, enumName: row.enumName, isNullable: row.isNullable });
    }
    const foreignKeys: Array<{ name: string; table: string; column: string; targetTable: string; onDelete: string }> =
      await this.manager.query(
        `SELECT con.conname AS "name", src.relname AS "table", a.attname AS "column", dst.relname AS "targetTable",
                con.confdeltype AS "onDelete"
           FROM pg_constraint con
           JOIN pg_class src ON src.oid = con.conrelid
           JOIN pg_class dst ON dst.oid = con.confrelid
           JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
          WHERE con.conrelid = ANY($1::oid[]) AND con.contype = 'f'
          ORDER BY con.conname`,
        [tableOids],
      );
    const indexes = await this.manager.query(
      `SELECT i.relname AS "name", t.relname AS "table", x.indisunique AS "isUnique", x.indisvalid AS "isValid"
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
        WHERE x.indrelid = ANY($1::oid[]) AND NOT x.indisprimary
        ORDER BY i.relname`,
      [tableOids],
    );
    const enumRows: Array<{ name: string; labels: string[] }> = await this.manager.query(
      `SELECT t.typname AS "name", array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS "labels"
         FROM pg_type t
         JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE t.oid = ANY($1::oid[])
        GROUP BY t.typname`,
      [namespace.enums],
    );
    return {
      exists: true,
      tables,
      foreignKeys: foreignKeys.map((fk) => ({ ...fk, onDelete: ON_DELETE_CODES[fk.onDelete] ?? OnDeleteAction.NO_ACTION })),
      indexes,
      enums: new Map(enumRows.map((row) => [row.name, row.labels])),
    };
  }
}
