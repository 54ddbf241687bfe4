import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FieldType } from '../declarations/field-type';
import { buildStandardDeclarations } from './standard-objects';
import { PERSON_STANDARD_FIELD_IDS } from './standard-ids.constant';
import { CURRENT_VERSION, getVersionSnapshot, serializeSnapshot, snapshotVersions, UnknownVersionError } from './version-snapshots';

const field = (version: string, object: string, name: string) =>
  getVersionSnapshot(version)
    .objects.find((candidate) => candidate.nameSingular === object)
    ?.fields.find((candidate) => candidate.name === name);

describe('version snapshots', () => {
  it('the committed snapshot of the current version is the declarations, byte for byte (run snapshot:generate)', () => {
    const committed = readFileSync(join(__dirname, 'snapshots', `${CURRENT_VERSION}.json`), 'utf8');
    expect(committed).toBe(serializeSnapshot(buildStandardDeclarations()));
  });

  it('ships 0.22, 0.23, 0.24 and 0.25', () => {
    expect(snapshotVersions()).toEqual(['0.22', '0.23', '0.24', '0.25']);
    expect(getVersionSnapshot('0.25').version).toBe('0.25');
    expect(getVersionSnapshot('0.22').version).toBe('0.22');
    expect(getVersionSnapshot('0.23').version).toBe('0.23');
    expect(getVersionSnapshot('0.24').version).toBe('0.24');
  });

  it('0.22 holds the legacy shapes that upgrade-0.23 migrates', () => {
    expect(field('0.22', 'person', 'email')).toMatchObject({ type: FieldType.EMAIL, standardId: PERSON_STANDARD_FIELD_IDS.emails });
    expect(field('0.22', 'person', 'emails')).toBeUndefined();
    expect(field('0.22', 'person', 'phone')?.type).toBe(FieldType.PHONE);
    expect(field('0.22', 'company', 'domainName')?.type).toBe(FieldType.LINK);
    expect(field('0.22', 'company', 'linkedinLink')?.type).toBe(FieldType.LINK);
    expect(field('0.22', 'company', 'address')?.type).toBe(FieldType.TEXT);
    expect(field('0.22', 'company', 'annualRecurringRevenue')?.type).toBe(FieldType.CURRENCY);
  });

  it('0.23 holds the new shapes under the same standardIds', () => {
    expect(field('0.23', 'person', 'emails')).toMatchObject({
      type: FieldType.EMAILS,
      standardId: field('0.22', 'person', 'email')!.standardId,
    });
    expect(field('0.23', 'company', 'domainName')?.type).toBe(FieldType.LINKS);
    expect(field('0.23', 'company', 'address')?.type).toBe(FieldType.ADDRESS);
  });

  it('0.24 adds an inactive birthdate, deprecates ARR and pointOfContactEmail, adds pointOfContact, the email unique index and CASCADE', () => {
    expect(field('0.23', 'person', 'birthdate')).toBeUndefined();
    expect(field('0.24', 'person', 'birthdate')).toMatchObject({ type: FieldType.DATE, isActive: false, isNullable: true });
    expect(field('0.23', 'company', 'annualRecurringRevenue')?.isDeprecated).toBe(false);
    expect(field('0.24', 'company', 'annualRecurringRevenue')?.isDeprecated).toBe(true);
    expect(field('0.24', 'opportunity', 'pointOfContactEmail')?.isDeprecated).toBe(true);
    expect(field('0.23', 'opportunity', 'pointOfContact')).toBeUndefined();
    expect(field('0.24', 'opportunity', 'pointOfContact')?.relation).toEqual({
      type: 'MANY_TO_ONE',
      targetObject: 'person',
      inverseFieldName: 'pointOfContactForOpportunities',
      onDelete: 'SET_NULL',
    });
    expect(field('0.23', 'opportunity', 'company')?.relation?.onDelete).toBe('SET_NULL');
    expect(field('0.24', 'opportunity', 'company')?.relation?.onDelete).toBe('CASCADE');
    const person = getVersionSnapshot('0.24').objects.find((object) => object.nameSingular === 'person')!;
    expect(person.indexes.find((index) => index.isUnique)).toEqual({
      name: 'IDX_UNIQUE_person_emailsPrimaryEmail',
      fields: ['emails.primaryEmail'],
      isUnique: true,
      where: `"emailsPrimaryEmail" IS NOT NULL AND "emailsPrimaryEmail" <> ''`,
    });
  });

  it('every relation of every snapshot points at an object and inverse field of the same snapshot', () => {
    for (const version of snapshotVersions()) {
      const snapshot = getVersionSnapshot(version);
      for (const object of snapshot.objects) {
        for (const candidate of object.fields.filter((f) => f.relation?.inverseFieldName)) {
          const target = snapshot.objects.find((o) => o.nameSingular === candidate.relation!.targetObject);
          expect(target?.fields.map((f) => f.name)).toContain(candidate.relation!.inverseFieldName);
        }
      }
    }
  });

  it('0.25 turns phone into phones and body into bodyV2 under the same standardIds, adds tasks, target objects and search vectors', () => {
    expect(field('0.24', 'person', 'phone')?.type).toBe(FieldType.PHONE);
    expect(field('0.25', 'person', 'phones')).toMatchObject({
      type: FieldType.PHONES,
      standardId: field('0.24', 'person', 'phone')!.standardId,
    });
    expect(field('0.25', 'person', 'phone')).toBeUndefined();
    expect(field('0.25', 'note', 'bodyV2')).toMatchObject({
      type: FieldType.RICH_TEXT_V2,
      standardId: field('0.24', 'note', 'body')!.standardId,
    });
    expect(field('0.25', 'task', 'status')?.options?.map((option) => option.value)).toEqual(['TODO', 'IN_PROGRESS', 'DONE']);
    for (const object of ['person', 'company', 'opportunity', 'note', 'task']) {
      expect(field('0.25', object, 'searchVector')?.type).toBe(FieldType.TS_VECTOR);
    }
    const shared = getVersionSnapshot('0.25').customObjectFields.map((candidate) => candidate.name);
    expect(shared).toEqual(expect.arrayContaining(['noteTargets', 'attachments', 'taskTargets', 'favorites', 'timelineActivities']));
  });

  it('refuses an unknown version and names the known ones', () => {
    expect(() => getVersionSnapshot('0.21')).toThrow(UnknownVersionError);
    expect(() => getVersionSnapshot('0.21')).toThrow('Unknown version "0.21". Known versions: 0.22, 0.23, 0.24, 0.25.');
  });
});
