import { FieldType, RelationType } from '../declarations/field-type';
import { COMPANY_STANDARD_FIELD_IDS, PERSON_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { getVersionSnapshot } from '../standard-objects/version-snapshots';
import { csvColumns, legacyCsvColumns, resolveHeaders, rowParams } from './record-csv';
import { actualField, actualObject } from '../../test/fixtures/records';
import { recordFields } from './record-fields';
import { RecordError } from './record.error';

const person = actualObject(
  'person',
  [
    actualField('name', FieldType.FULL_NAME, { standardId: PERSON_STANDARD_FIELD_IDS.name, isCustom: false }),
    actualField('emails', FieldType.EMAILS, { standardId: PERSON_STANDARD_FIELD_IDS.emails, isCustom: false }),
    actualField('tags', FieldType.ARRAY),
    actualField('skills', FieldType.MULTI_SELECT, {
      options: [
        { value: 'SQL', label: 'SQL', position: 0 },
        { value: 'GO', label: 'Go', position: 1 },
      ],
    }),
    actualField('score', FieldType.NUMBER),
    actualField('company', FieldType.RELATION, { relationType: RelationType.MANY_TO_ONE, label: 'Company' }),
    actualField('position', FieldType.POSITION, { isSystem: true }),
  ],
  { standardId: STANDARD_OBJECT_IDS.person },
);
const columns = csvColumns(recordFields(person));

describe('CSV columns', () => {
  it('has the id first, one column per composite subfield, relations as ids, system fields such as the position', () => {
    expect(columns.map((column) => column.header)).toEqual([
      'Id',
      'Name / First Name',
      'Name / Last Name',
      'Emails / Primary Email',
      'Emails / Additional Emails',
      'Tags',
      'Skills',
      'Score',
      'Company Id',
      'Position',
    ]);
  });

  it.each([
    ["'=1+1", '=1+1'],
    ["'+33 6", '+33 6'],
    ["'-x", '-x'],
    ["'@A1", '@A1'],
    ["'\tx", '\tx'],
    ["'\rx", '\rx'],
    ["''=x", "'=x"],
    ["'plain", "'plain"],
    ['=raw', '=raw'],
  ])('strips exactly the quote the export put before a formula (%j -> %j), unless told not to', (cell, value) => {
    const cells: Array<string | null> = Array(columns.length).fill(null);
    cells[1] = cell;
    expect(rowParams(columns, cells).nameFirstName).toBe(value);
    expect(rowParams(columns, cells, false).nameFirstName).toBe(cell);
  });

  it('reads a row back into the columns it came from', () => {
    const cells = [
      '7d3c2f4e-2c1a-4b7e-9a55-1f2e3d4c5b6a',
      'Ada',
      null,
      'ada@example.com',
      '["a@b.c"]',
      '["x"]',
      'SQL, GO',
      '-1.5',
      null,
      '2.5',
    ];
    expect(rowParams(columns, cells)).toEqual({
      id: '7d3c2f4e-2c1a-4b7e-9a55-1f2e3d4c5b6a',
      nameFirstName: 'Ada',
      nameLastName: null,
      emailsPrimaryEmail: 'ada@example.com',
      emailsAdditionalEmails: '["a@b.c"]',
      tags: ['x'],
      skills: ['SQL', 'GO'],
      score: -1.5,
      companyId: null,
      position: 2.5,
    });
    expect(rowParams(columns, [...cells.slice(0, 6), '', ...cells.slice(7)])).toMatchObject({ skills: [] });
  });

  it('gives a row with an empty id a new one', () => {
    const params = rowParams(columns, ['', 'Ada', '', '', '', '', '', '', '', '']);
    expect(params.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    [7, 'abc', /"Score" must be a number; got "abc"/],
    [6, 'SQL,COBOL', /"Skills" must be a list of options among SQL, GO/],
    [5, '"x"', /"Tags" must be a list of strings/],
    [5, '[x', /"Tags" must hold JSON/],
    [8, 'not-a-uuid', /"Company Id" must be the id/],
  ])('names the column of a bad cell (cell %i: %s)', (index, text, message) => {
    const cells = ['7d3c2f4e-2c1a-4b7e-9a55-1f2e3d4c5b6a', '', '', '', '', '', '', '', '', ''];
    cells[index] = text;
    expect(() => rowParams(columns, cells)).toThrow(message);
  });

  it('refuses a header that names no field, and two headers for one column', () => {
    expect(() => resolveHeaders(['Id', 'Salary'], columns, [])).toThrow(/line 1: the column "Salary" matches no field/);
    expect(() => resolveHeaders(['Tags', 'tags'], columns, [])).toThrow(/both fill tags/);
    expect(resolveHeaders(['emailsPrimaryEmail'], columns, [])[0].header).toBe('Emails / Primary Email');
  });
});

describe('CSV columns of older versions', () => {
  const snapshots = [getVersionSnapshot('0.22'), getVersionSnapshot('0.23')];

  it('maps Email of a 0.22 person file onto Emails / Primary Email', () => {
    const legacy = legacyCsvColumns(person, recordFields(person), snapshots);
    const [email] = resolveHeaders(['Email'], columns, legacy);
    expect(email.column.name).toBe('emailsPrimaryEmail');
  });

  it('maps the LINK columns of a 0.22 company file onto LINKS, a bare domain becoming https://domain', () => {
    const company = actualObject(
      'company',
      [
        actualField('domainName', FieldType.LINKS, {
          standardId: COMPANY_STANDARD_FIELD_IDS.domainName,
          isCustom: false,
          label: 'Domain Name',
        }),
      ],
      {
        standardId: STANDARD_OBJECT_IDS.company,
      },
    );
    const fields = recordFields(company);
    const resolved = resolveHeaders(
      ['Domain Name / URL', 'Domain Name / Label'],
      csvColumns(fields),
      legacyCsvColumns(company, fields, snapshots),
    );
    expect(resolved.map((column) => column.column.name)).toEqual(['domainNamePrimaryLinkUrl', 'domainNamePrimaryLinkLabel']);
    expect(rowParams(resolved, ['acme.com', 'Acme'])).toEqual({
      domainNamePrimaryLinkUrl: 'https://acme.com',
      domainNamePrimaryLinkLabel: 'Acme',
    });
    expect(rowParams(resolved, ['http://old.example', ''])).toMatchObject({ domainNamePrimaryLinkUrl: 'http://old.example' });
  });

  it('refuses what it cannot map, without guessing', () => {
    expect(() => resolveHeaders(['Emails / Url'], columns, legacyCsvColumns(person, recordFields(person), snapshots))).toThrow(RecordError);
  });
});
