import { createHash } from 'node:crypto';

import { SessionStatement } from '../database/prepared-query';
import { quoteLiteral } from '../database/sql';
import { ColumnSpec } from './column-layout';

/** New fields of one object, as a plan made without reading the workspace adds them. */
export interface ExpectedAddition {
  object: { tableName: string; declared: { standardId: string } };
  fields: Array<{ declared: { name: string; standardId: string }; columns: Array<Pick<ColumnSpec, 'name' | 'enumName'>> }>;
}

/** SQLSTATE of core.expect when another runner holds the workspace's lock. */
export const LOCKED_ELSEWHERE = 'WMS01';
/** SQLSTATE of core.expect when the workspace is not as a plan made without reading it assumes. */
export const NOT_AS_EXPECTED = 'WMS02';

const textArray = (values: string[]): string => `ARRAY[${values.map(quoteLiteral).join(', ')}]::text[]`;

/** The check of one set of additions, to PREPARE once per session, and its arguments for a workspace. */
export interface AdditionsExpectation {
  statement: SessionStatement;
  /** `objectIds`: the ids the plan gives the objects, in the order of the additions. */
  args(workspace: { id: string; schemaName: string; version: string | null }, fingerprint: string, objectIds: readonly string[]): string[];
}

/**
 * The statement that checks, in one read under the workspace's lock, what the plan of
 * `additions` (WorkspaceComparator.planAdditions) takes for granted, and fails with
 * NOT_AS_EXPECTED when any of it is not so:
 * - the workspace row still holds the fingerprint it was listed with (nobody synced it since) and
 *   its version;
 * - each object has its metadata row, standard, with the id the plan gives it (the one the
 *   workspace's creation gave it), its standardId and its table;
 * - no field of the object has a new field's name or standardId, or a name that begins a new
 *   column's name (a field's columns all begin with its name: so every field whose columns could
 *   clash is counted, whether the table has those columns or not);
 * - the table exists and has none of the new columns, and none of the new enum types exists.
 * Everything else of the workspace is as its fingerprint records: the trust a workspace in sync is
 * given. When the check fails, the caller rolls back and plans from a read of the workspace,
 * which names the conflict or drift and what to do.
 *
 * Parameters: $1 the workspace's id, $2 its fingerprint, $3 its version, $4 its schema, $5 the
 * objects' ids in the order of `additions`. What the additions are is part of the text (and of
 * the statement's name).
 */
export const additionsExpectation = (additions: readonly ExpectedAddition[]): AdditionsExpectation => {
  const conditions = [
    `EXISTS (SELECT FROM core.workspace w WHERE w."id" = $1 AND w."fingerprint" = $2 AND w."version" IS NOT DISTINCT FROM $3)`,
  ];
  additions.forEach(({ object, fields }, index) => {
    const objectId = `$5[${index + 1}]`;
    const table = `to_regclass(format('%I.%I', $4, ${quoteLiteral(object.tableName)}))`;
    const columns = fields.flatMap((field) => field.columns.map((column) => column.name));
    const enums = fields.flatMap((field) => field.columns.flatMap((column) => (column.enumName ? [column.enumName] : [])));
    conditions.push(
      `EXISTS (SELECT FROM metadata."objectMetadata" o WHERE o."id" = ${objectId} AND o."workspaceId" = $1 AND NOT o."isCustom"
                  AND o."standardId" = ${quoteLiteral(object.declared.standardId)} AND o."tableName" = ${quoteLiteral(object.tableName)})`,
      `NOT EXISTS (SELECT FROM metadata."fieldMetadata" f WHERE f."objectMetadataId" = ${objectId}
                  AND (f."name" = ANY(${textArray(fields.map((field) => field.declared.name))})
                       OR f."standardId" = ANY(${textArray(fields.map((field) => field.declared.standardId))}::uuid[])
                       OR EXISTS (SELECT FROM unnest(${textArray(columns)}) c WHERE starts_with(c, f."name"))))`,
      `${table} IS NOT NULL`,
      `NOT EXISTS (SELECT FROM pg_attribute a WHERE a."attrelid" = ${table} AND a."attnum" > 0 AND NOT a."attisdropped"
                  AND a."attname" = ANY(${textArray(columns)}::name[]))`,
      ...enums.map((name) => `to_regtype(format('%I.%I', $4, ${quoteLiteral(name)})) IS NULL`),
    );
  });
  const text = `SELECT core."expect"(${conditions.join('\n   AND ')}, '${NOT_AS_EXPECTED}',
    'the workspace is not in the state its fingerprint records where its new fields go') AS "asExpected"`;
  return {
    statement: {
      name: `wms_expect_additions_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`,
      types: ['uuid', 'text', 'text', 'text', 'uuid[]'],
      text,
    },
    args: (workspace, fingerprint, objectIds) => [
      quoteLiteral(workspace.id),
      quoteLiteral(fingerprint),
      workspace.version === null ? 'NULL' : quoteLiteral(workspace.version),
      quoteLiteral(workspace.schemaName),
      `ARRAY[${objectIds.map(quoteLiteral).join(', ')}]::uuid[]`,
    ],
  };
};
