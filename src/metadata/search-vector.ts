import { quoteIdentifier } from '../database/sql';
import { DeclaredField } from '../declarations/declared-schema';
import { FieldType } from '../declarations/field-type';
import { SearchColumn, searchColumns } from '../declarations/search-fields';
import { boundedName } from './column-layout';

/*
 * A search field (TS_VECTOR) is a tsvector column kept current by a BEFORE INSERT OR UPDATE
 * trigger of its table, with a GIN index: the same objects on a workspace created with the field
 * and on one that gets it by sync (which then fills the existing rows once). A trigger, not a
 * STORED generated column: adding one of those rewrites the table under an exclusive lock.
 */

/** The trigger function of a search column; named after its table (it follows a renamed table). */
export const searchFunctionName = (tableName: string, column: string): string => boundedName(`${tableName}_${column}_search`);

/** The trigger of a search column; trigger names are per table. */
export const searchTriggerName = (column: string): string => boundedName(`${column}_search`);

/** What maintains one search column: its function, its trigger, and the columns it reads with their weights. */
export interface SearchVectorSpec {
  tableName: string;
  column: string;
  functionName: string;
  triggerName: string;
  sources: SearchColumn[];
}

export const isSearchField = (field: Pick<DeclaredField, 'type'>): boolean => field.type === FieldType.TS_VECTOR;

/** The spec of the search field `field` of a table whose fields are `fields`. */
export const searchVectorSpec = (
  tableName: string,
  field: Pick<DeclaredField, 'name' | 'settings'>,
  fields: Array<Pick<DeclaredField, 'name' | 'type'>>,
): SearchVectorSpec => ({
  tableName,
  column: field.name,
  functionName: searchFunctionName(tableName, field.name),
  triggerName: searchTriggerName(field.name),
  sources: searchColumns(field.settings, fields),
});

/**
 * The tsvector of a row, as the trigger computes it and as a backfill fills it (`row`: `NEW.` in
 * the trigger, '' in an UPDATE of the table): each source column's words with its weight, in the
 * 'simple' configuration (no stemming, no stop words: names and addresses are not prose).
 * Addresses are indexed whole and in parts (jane@acme.com also as jane, acme, com).
 */
export const searchVectorExpression = (spec: Pick<SearchVectorSpec, 'sources'>, row: string): string => {
  const parts = spec.sources.map((source) => {
    const value = `coalesce(${row}${quoteIdentifier(source.column)}, '')`;
    const text = source.splitsAddress ? `${value} || ' ' || translate(${value}, '@.:/_-+', '       ')` : value;
    return `setweight(to_tsvector('simple', ${text}), '${source.weight}')`;
  });
  return parts.length > 0 ? parts.join(' || ') : `''::tsvector`;
};
