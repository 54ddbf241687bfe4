import { compositeColumnName } from './column-names';
import { DeclaredField } from './declared-schema';
import { FieldType } from './field-type';

/*
 * A TS_VECTOR field is a search field: its declaration names, in `settings.searchFields`, the
 * fields of its object it indexes, each with a weight (A ranks highest). The column is kept
 * current by the database (metadata/search-vector.ts); these are the rules of the declaration.
 */

export type SearchWeight = 'A' | 'B' | 'C' | 'D';

export const SEARCH_WEIGHTS: readonly SearchWeight[] = ['A', 'B', 'C', 'D'];

/** One field a search field indexes, as declared in its settings. */
export interface SearchFieldSource {
  field: string;
  weight: SearchWeight;
}

/**
 * The types a search field can index and the subfields it reads of each (null: the plain column).
 * `splitsAddress`: the values are addresses (emails, URLs) whose parts are indexed too, so that
 * "acme" finds jane@acme.com and https://acme.com.
 */
const SEARCHABLE: Partial<Record<FieldType, { subfields: Array<string | null>; splitsAddress: boolean }>> = {
  [FieldType.TEXT]: { subfields: [null], splitsAddress: false },
  [FieldType.FULL_NAME]: { subfields: ['firstName', 'lastName'], splitsAddress: false },
  [FieldType.EMAILS]: { subfields: ['primaryEmail'], splitsAddress: true },
  [FieldType.LINKS]: { subfields: ['primaryLinkUrl'], splitsAddress: true },
  [FieldType.PHONES]: { subfields: ['primaryPhoneNumber'], splitsAddress: false },
  [FieldType.RICH_TEXT_V2]: { subfields: ['markdown'], splitsAddress: false },
};

export const SEARCHABLE_TYPES = Object.keys(SEARCHABLE) as FieldType[];

/** A column a search field reads, with its weight. */
export interface SearchColumn {
  column: string;
  weight: SearchWeight;
  splitsAddress: boolean;
}

/** The sources declared in a search field's settings; [] when they are missing or malformed (validation says why). */
export const searchFieldSources = (settings: Record<string, unknown> | null): SearchFieldSource[] => {
  const sources = settings?.searchFields;
  return Array.isArray(sources) ? (sources as SearchFieldSource[]) : [];
};

/** The columns a search field reads, in declaration order. */
export const searchColumns = (
  settings: Record<string, unknown> | null,
  fields: Array<Pick<DeclaredField, 'name' | 'type'>>,
): SearchColumn[] =>
  searchFieldSources(settings).flatMap((source) => {
    const field = fields.find((candidate) => candidate.name === source.field);
    const searchable = field ? SEARCHABLE[field.type] : undefined;
    if (!field || !searchable) return [];
    return searchable.subfields.map((subfield) => ({
      column: subfield === null ? field.name : compositeColumnName(field.name, subfield),
      weight: source.weight,
      splitsAddress: searchable.splitsAddress,
    }));
  });

/** What is wrong with a declared search field, one message per problem. */
export const searchFieldProblems = (field: DeclaredField, fields: DeclaredField[]): string[] => {
  const problems: string[] = [];
  const example = 'e.g. settings: { searchFields: [{ field: "name", weight: "A" }] }';
  if (!field.isNullable) problems.push('a TS_VECTOR field is kept by the database and must be @WorkspaceIsNullable');
  if (field.isUnique) problems.push('a TS_VECTOR field cannot be unique');
  const declared = field.settings?.searchFields;
  if (!Array.isArray(declared) || declared.length === 0) {
    problems.push(`a TS_VECTOR field names the fields it indexes in settings.searchFields (${example})`);
    return problems;
  }
  const otherKeys = Object.keys(field.settings ?? {}).filter((key) => key !== 'searchFields');
  if (otherKeys.length > 0) problems.push(`a TS_VECTOR field's settings hold only searchFields, not ${otherKeys.join(', ')}`);
  const seen = new Set<string>();
  for (const source of declared as unknown[]) {
    const { field: name, weight } = (source ?? {}) as Partial<SearchFieldSource>;
    if (typeof name !== 'string' || !SEARCH_WEIGHTS.includes(weight as SearchWeight)) {
      problems.push(`each entry of settings.searchFields is { field, weight } with weight A, B, C or D; got ${JSON.stringify(source)}`);
      continue;
    }
    if (seen.has(name)) problems.push(`settings.searchFields names "${name}" twice`);
    seen.add(name);
    const target = fields.find((candidate) => candidate.name === name);
    if (!target) {
      problems.push(`settings.searchFields names "${name}", which is no field of this object`);
    } else if (!SEARCHABLE[target.type]) {
      problems.push(`settings.searchFields names "${name}", a ${target.type} field; a search field indexes ${SEARCHABLE_TYPES.join(', ')}`);
    } else if (target.isDeprecated) {
      problems.push(`settings.searchFields names "${name}", which is deprecated`);
    }
  }
  return problems;
};
