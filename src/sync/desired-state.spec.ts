import { DeclarationSetBuilder } from '../declarations/declaration-set.builder';
import { object, SpecBaseEntity } from '../declarations/declaration-set.spec-support';
import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIndex,
  WorkspaceIsNullable,
  WorkspaceIsUnique,
} from '../declarations/decorators/workspace.decorators';
import { FieldType } from '../declarations/field-type';
import { getVersionSnapshot } from '../standard-objects/version-snapshots';
import { buildDesiredState, sharedDesiredState } from './desired-state';

describe('buildDesiredState: unique fields', () => {
  it('makes a unique composite unique on its primary subfield where that holds a value, and a plain field on its column', () => {
    @WorkspaceEntity(object('3b9d2f4e-8a7c-4e1b-9f0a-5c6d7e8f9a01', 'company', 'companies'))
    @WorkspaceIndex(['emails.primaryEmail'], { isUnique: true, where: `"emailsPrimaryEmail" IS NOT NULL AND "emailsPrimaryEmail" <> ''` })
    class UniqueFieldsCompanyEntity extends SpecBaseEntity {
      @WorkspaceField({ standardId: '3b9d2f4e-8a7c-4e1b-9f0a-5c6d7e8f9a02', type: FieldType.EMAILS, label: 'Emails' })
      @WorkspaceIsNullable()
      @WorkspaceIsUnique()
      emails: object | null;

      @WorkspaceField({ standardId: '3b9d2f4e-8a7c-4e1b-9f0a-5c6d7e8f9a03', type: FieldType.LINKS, label: 'Domain' })
      @WorkspaceIsNullable()
      @WorkspaceIsUnique()
      domain: object | null;

      @WorkspaceField({ standardId: '3b9d2f4e-8a7c-4e1b-9f0a-5c6d7e8f9a04', type: FieldType.PHONES, label: 'Phones' })
      @WorkspaceIsNullable()
      @WorkspaceIsUnique()
      phones: object | null;

      @WorkspaceField({ standardId: '3b9d2f4e-8a7c-4e1b-9f0a-5c6d7e8f9a05', type: FieldType.TEXT, label: 'Code' })
      @WorkspaceIsNullable()
      @WorkspaceIsUnique()
      code: string | null;
    }

    const declared = DeclarationSetBuilder.build({ entities: [UniqueFieldsCompanyEntity] });
    const [company] = buildDesiredState(declared).objects;

    expect(declared.objects[0].fields.filter((field) => field.isUnique).map((field) => field.name)).toEqual([
      'emails',
      'domain',
      'phones',
      'code',
    ]);
    // The declared index and the unique emails field are one index.
    expect(company.indexes).toEqual([
      {
        name: 'IDX_UNIQUE_company_emailsPrimaryEmail',
        columns: ['emailsPrimaryEmail'],
        isUnique: true,
        where: `"emailsPrimaryEmail" IS NOT NULL AND "emailsPrimaryEmail" <> ''`,
      },
      {
        name: 'IDX_UNIQUE_company_domainPrimaryLinkUrl',
        columns: ['domainPrimaryLinkUrl'],
        isUnique: true,
        where: `"domainPrimaryLinkUrl" IS NOT NULL AND "domainPrimaryLinkUrl" <> ''`,
      },
      {
        name: 'IDX_UNIQUE_company_phonesPrimaryPhoneNumber',
        columns: ['phonesPrimaryPhoneNumber'],
        isUnique: true,
        where: `"phonesPrimaryPhoneNumber" IS NOT NULL AND "phonesPrimaryPhoneNumber" <> ''`,
      },
      { name: 'IDX_UNIQUE_company_code', columns: ['code'], isUnique: true, where: null },
    ]);
  });
});

describe('sharedDesiredState', () => {
  it('builds once per declared state and set of flags, whatever their order, and equals what buildDesiredState gives', () => {
    const snapshot = getVersionSnapshot('0.25');
    const flagged = sharedDesiredState(snapshot, ['IS_B', 'IS_A', 'IS_B']);
    expect(sharedDesiredState(snapshot, ['IS_A', 'IS_B'])).toBe(flagged);
    expect(sharedDesiredState(snapshot)).not.toBe(flagged);
    expect(sharedDesiredState(snapshot)).toBe(sharedDesiredState(snapshot, []));
    expect(sharedDesiredState(getVersionSnapshot('0.24'))).not.toBe(sharedDesiredState(snapshot));
    expect(JSON.parse(JSON.stringify(flagged))).toEqual(JSON.parse(JSON.stringify(buildDesiredState(snapshot, new Set(['IS_A', 'IS_B'])))));
  });

  it('is frozen through and through, so no caller can change what the next one gets', () => {
    const desired = sharedDesiredState(getVersionSnapshot('0.25'));
    const person = desired.objects.find((object) => object.declared.nameSingular === 'person')!;
    expect(() => person.fields.push(person.fields[0])).toThrow(TypeError);
    expect(() => {
      (person.declared as { labelSingular: string }).labelSingular = 'Changed';
    }).toThrow(TypeError);
    expect(() => {
      (person.fields[0].columns[0] as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(person.declared.labelSingular).toBe('Person');
  });
});
