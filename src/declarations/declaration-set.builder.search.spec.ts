import { DeclarationSetBuilder } from './declaration-set.builder';
import { buildError, expectIssue, object, SpecBaseEntity } from './declaration-set.spec-support';
import { WorkspaceEntity, WorkspaceField, WorkspaceIndex, WorkspaceIsNullable, WorkspaceIsSystem } from './decorators/workspace.decorators';
import { FieldType } from './field-type';
import { searchColumns } from './search-fields';

/** Search fields (TS_VECTOR): what they may index, and the rules of their declaration. */
describe('DeclarationSetBuilder: search fields', () => {
  it('accepts a search field over the searchable types and gives the columns it reads', () => {
    @WorkspaceEntity(object('0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e001', 'lead', 'leads'))
    class SearchableLeadEntity extends SpecBaseEntity {
      @WorkspaceField({ standardId: '0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e101', type: FieldType.FULL_NAME, label: 'Name' })
      name: unknown;

      @WorkspaceField({ standardId: '0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e102', type: FieldType.EMAILS, label: 'Emails' })
      emails: unknown;

      @WorkspaceField({ standardId: '0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e103', type: FieldType.RICH_TEXT_V2, label: 'Notes' })
      notes: unknown;

      @WorkspaceField({
        standardId: '0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e104',
        type: FieldType.TS_VECTOR,
        label: 'Search',
        settings: {
          searchFields: [
            { field: 'name', weight: 'A' },
            { field: 'emails', weight: 'B' },
            { field: 'notes', weight: 'D' },
          ],
        },
      })
      @WorkspaceIsNullable()
      @WorkspaceIsSystem()
      searchVector: string | null;
    }

    const schema = DeclarationSetBuilder.build({ entities: [SearchableLeadEntity] });
    const lead = schema.objects[0];
    const search = lead.fields.find((field) => field.name === 'searchVector')!;
    expect(searchColumns(search.settings, lead.fields)).toEqual([
      { column: 'nameFirstName', weight: 'A', splitsAddress: false },
      { column: 'nameLastName', weight: 'A', splitsAddress: false },
      { column: 'emailsPrimaryEmail', weight: 'B', splitsAddress: true },
      { column: 'notesMarkdown', weight: 'D', splitsAddress: false },
    ]);
  });

  it('invalid-search-field: sources missing, unknown, unsearchable, badly weighted or named twice; not nullable', () => {
    @WorkspaceEntity(object('0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e002', 'lead', 'leads'))
    class BadSearchLeadEntity extends SpecBaseEntity {
      @WorkspaceField({ standardId: '0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e201', type: FieldType.TEXT, label: 'Name', defaultValue: '' })
      name: string;

      @WorkspaceField({ standardId: '0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e202', type: FieldType.NUMBER, label: 'Score', defaultValue: 0 })
      score: number;

      @WorkspaceField({
        standardId: '0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e203',
        type: FieldType.TS_VECTOR,
        label: 'Search',
        settings: {
          searchFields: [
            { field: 'name', weight: 'A' },
            { field: 'name', weight: 'B' },
            { field: 'missing', weight: 'A' },
            { field: 'score', weight: 'A' },
            { field: 'name', weight: 'E' },
          ],
        },
      })
      searchVector: string | null;

      @WorkspaceField({ standardId: '0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e204', type: FieldType.TS_VECTOR, label: 'Second search' })
      @WorkspaceIsNullable()
      secondSearch: string | null;
    }

    const error = buildError({ entities: [BadSearchLeadEntity] });
    const messages = error.issues.filter((issue) => issue.rule === 'invalid-search-field').map((issue) => issue.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'a TS_VECTOR field is kept by the database and must be @WorkspaceIsNullable',
        'settings.searchFields names "name" twice',
        'settings.searchFields names "missing", which is no field of this object',
        expect.stringContaining('settings.searchFields names "score", a NUMBER field; a search field indexes TEXT, FULL_NAME'),
        'each entry of settings.searchFields is { field, weight } with weight A, B, C or D; got {"field":"name","weight":"E"}',
        expect.stringContaining('a TS_VECTOR field names the fields it indexes in settings.searchFields'),
        'an object has at most one TS_VECTOR field; "searchVector" is one already: name every field it indexes there',
      ]),
    );
    expectIssue(
      error,
      { className: 'BadSearchLeadEntity', propertyName: 'secondSearch', rule: 'invalid-search-field' },
      'BadSearchLeadEntity.secondSearch [invalid-search-field]',
    );
  });

  it('invalid-search-field: a declared index on it, a default value, and a search field shared by custom objects', () => {
    @WorkspaceEntity(object('0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e003', 'lead', 'leads'))
    class IndexedSearchLeadEntity extends SpecBaseEntity {
      @WorkspaceField({ standardId: '0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e301', type: FieldType.TEXT, label: 'Name', defaultValue: '' })
      name: string;

      @WorkspaceField({
        standardId: '0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e302',
        type: FieldType.TS_VECTOR,
        label: 'Search',
        defaultValue: 'x',
        settings: { searchFields: [{ field: 'name', weight: 'A' }] },
      })
      @WorkspaceIsNullable()
      @WorkspaceIndex()
      searchVector: string | null;
    }

    abstract class CustomBaseWithSearch extends SpecBaseEntity {
      @WorkspaceField({
        standardId: '0d6f0a1e-8c52-4b0e-9d5c-51c0a3f7e303',
        type: FieldType.TS_VECTOR,
        label: 'Search',
        settings: { searchFields: [{ field: 'id', weight: 'A' }] },
      })
      @WorkspaceIsNullable()
      searchVector: string | null;
    }

    const error = buildError({ entities: [IndexedSearchLeadEntity], customObjectBase: CustomBaseWithSearch });
    expect(error.issues.map((issue) => issue.message)).toEqual(
      expect.arrayContaining([
        'index names "searchVector", a TS_VECTOR field: it gets its GIN index without a declaration; remove it from the index',
        'default "x" is invalid for TS_VECTOR: a TS_VECTOR field is computed by the database from the fields it indexes',
        'the fields every custom object shares cannot include a TS_VECTOR field',
      ]),
    );
  });
});
