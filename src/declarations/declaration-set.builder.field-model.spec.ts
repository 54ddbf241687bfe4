import { DeclarationSetBuilder } from './declaration-set.builder';
import { buildError, expectIssue, object, SpecBaseEntity } from './declaration-set.spec-support';
import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIsNullable,
  WorkspaceIsUnique,
  WorkspaceRelation,
} from './decorators/workspace.decorators';
import { DeclaredSelectOption } from './declared-schema';
import { FieldType, OnDeleteAction, RelationType } from './field-type';

/**
 * The field model of a real CRM: unique composites, relation rules, option values as declared and
 * object properties. Every test declares its own classes (declaration-set.spec-support.ts says why).
 */

const NAME_ID = '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a01';
const DOMAIN_ID = '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a02';
const SCORE_ID = '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a03';
const OLD_ID = '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a04';

/** A company with a TEXT name, a LINKS domain, a NUMBER score and a deprecated TEXT field, under `options`. */
const companyWith = (options: Parameters<typeof object>[3], className = 'PropertiesCompanyEntity') => {
  @WorkspaceEntity(object('6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a00', 'company', 'companies', options))
  class PropertiesCompanyEntity extends SpecBaseEntity {
    @WorkspaceField({ standardId: NAME_ID, type: FieldType.TEXT, label: 'Name', defaultValue: '' })
    name: string;

    @WorkspaceField({ standardId: DOMAIN_ID, type: FieldType.LINKS, label: 'Domain' })
    @WorkspaceIsNullable()
    domain: object | null;

    @WorkspaceField({ standardId: SCORE_ID, type: FieldType.NUMBER, label: 'Score', defaultValue: 0 })
    score: number;
  }
  Object.defineProperty(PropertiesCompanyEntity, 'name', { value: className });
  return PropertiesCompanyEntity;
};

/** A deal with a SELECT field of `options`. */
const dealWith = (options: DeclaredSelectOption[]) => {
  @WorkspaceEntity(object('6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4b00', 'deal', 'deals'))
  class OptionsDealEntity extends SpecBaseEntity {
    @WorkspaceField({ standardId: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4b01', type: FieldType.SELECT, label: 'Stage', options })
    @WorkspaceIsNullable()
    stage: string | null;
  }
  return OptionsDealEntity;
};

describe('DeclarationSetBuilder: the field model', () => {
  describe('unique composites', () => {
    it('accepts @WorkspaceIsUnique on EMAILS, LINKS and PHONES, with isUnique in the declared field', () => {
      @WorkspaceEntity(object('6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4c00', 'person', 'people'))
      class UniqueCompositesPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4c01', type: FieldType.EMAILS, label: 'Emails' })
        @WorkspaceIsNullable()
        @WorkspaceIsUnique()
        emails: object | null;

        @WorkspaceField({ standardId: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4c02', type: FieldType.LINKS, label: 'Links' })
        @WorkspaceIsNullable()
        @WorkspaceIsUnique()
        links: object | null;

        @WorkspaceField({ standardId: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4c03', type: FieldType.PHONES, label: 'Phones' })
        @WorkspaceIsNullable()
        @WorkspaceIsUnique()
        phones: object | null;
      }

      const declared = DeclarationSetBuilder.build({ entities: [UniqueCompositesPersonEntity] });

      expect(declared.objects[0].fields.filter((field) => field.isUnique).map((field) => field.name)).toEqual([
        'emails',
        'links',
        'phones',
      ]);
    });

    it('unique-not-supported: @WorkspaceIsUnique on a composite without a primary subfield names the field', () => {
      @WorkspaceEntity(object('6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4d00', 'person', 'people'))
      class UniqueFullNamePersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4d01', type: FieldType.FULL_NAME, label: 'Name' })
        @WorkspaceIsNullable()
        @WorkspaceIsUnique()
        name: object | null;

        @WorkspaceField({ standardId: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4d02', type: FieldType.ADDRESS, label: 'Address' })
        @WorkspaceIsNullable()
        @WorkspaceIsUnique()
        address: object | null;
      }

      const error = buildError({ entities: [UniqueFullNamePersonEntity] });

      expect(error.issues).toHaveLength(2);
      expectIssue(
        error,
        { className: 'UniqueFullNamePersonEntity', propertyName: 'name', rule: 'unique-not-supported' },
        'UniqueFullNamePersonEntity.name [unique-not-supported]: @WorkspaceIsUnique on a field of type FULL_NAME: a composite is unique on its primary subfield, and FULL_NAME has none (only EMAILS, LINKS and PHONES do)',
      );
      expectIssue(
        error,
        { className: 'UniqueFullNamePersonEntity', propertyName: 'address', rule: 'unique-not-supported' },
        'UniqueFullNamePersonEntity.address [unique-not-supported]: @WorkspaceIsUnique on a field of type ADDRESS',
      );
    });
  });

  describe('relation rules', () => {
    const relationSet = (rules: { here?: OnDeleteAction; there?: OnDeleteAction; isRequired?: boolean; requiredOnMany?: boolean }) => {
      @WorkspaceEntity(object('6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4e00', 'company', 'companies'))
      class RulesCompanyEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4e01',
          type: RelationType.ONE_TO_MANY,
          label: 'People',
          inverseSideTarget: () => RulesPersonEntity,
          inverseSideFieldKey: 'company',
          onDelete: rules.there,
          isRequired: rules.requiredOnMany,
        })
        people: object[];
      }

      @WorkspaceEntity(object('6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4e10', 'person', 'people'))
      class RulesPersonEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4e11',
          type: RelationType.MANY_TO_ONE,
          label: 'Company',
          inverseSideTarget: () => RulesCompanyEntity,
          inverseSideFieldKey: 'people',
          onDelete: rules.here,
          isRequired: rules.isRequired,
        })
        company: object | null;
      }
      return { entities: [RulesCompanyEntity, RulesPersonEntity] };
    };
    const companyOf = (input: ReturnType<typeof relationSet>) =>
      DeclarationSetBuilder.build(input).objects[1].fields.find((field) => field.name === 'company')!;

    it('takes the rule declared on either side, the same on both, or SET_NULL when none is', () => {
      expect(companyOf(relationSet({ there: OnDeleteAction.CASCADE })).relation!.onDelete).toBe(OnDeleteAction.CASCADE);
      expect(companyOf(relationSet({ here: OnDeleteAction.RESTRICT })).relation!.onDelete).toBe(OnDeleteAction.RESTRICT);
      expect(companyOf(relationSet({ here: OnDeleteAction.CASCADE, there: OnDeleteAction.CASCADE })).relation!.onDelete).toBe(
        OnDeleteAction.CASCADE,
      );
      expect(companyOf(relationSet({})).relation!.onDelete).toBe(OnDeleteAction.SET_NULL);
      const declared = DeclarationSetBuilder.build(relationSet({ there: OnDeleteAction.CASCADE }));
      expect(declared.objects[0].fields.find((field) => field.name === 'people')!.relation).not.toHaveProperty('onDelete');
    });

    it('relation-on-delete-conflict: both sides declaring different rules', () => {
      const error = buildError(relationSet({ here: OnDeleteAction.SET_NULL, there: OnDeleteAction.CASCADE }));

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'RulesPersonEntity', propertyName: 'company', rule: 'relation-on-delete-conflict' },
        'RulesPersonEntity.company [relation-on-delete-conflict]: onDelete is SET_NULL here and CASCADE on RulesCompanyEntity.people; a relation has one rule',
      );
    });

    it('a required relation is not nullable, RESTRICT unless declared otherwise', () => {
      expect(companyOf(relationSet({ isRequired: true }))).toMatchObject({
        isNullable: false,
        relation: { onDelete: OnDeleteAction.RESTRICT },
      });
      expect(companyOf(relationSet({ isRequired: true, there: OnDeleteAction.CASCADE }))).toMatchObject({
        isNullable: false,
        relation: { onDelete: OnDeleteAction.CASCADE },
      });
      expect(companyOf(relationSet({}))).toMatchObject({ isNullable: true });
    });

    it('relation-required-invalid: a required relation set to NULL on delete, or required on the ONE_TO_MANY side', () => {
      const setNull = buildError(relationSet({ isRequired: true, there: OnDeleteAction.SET_NULL }));
      expectIssue(
        setNull,
        { className: 'RulesPersonEntity', propertyName: 'company', rule: 'relation-required-invalid' },
        'RulesPersonEntity.company [relation-required-invalid]: a required relation cannot set its foreign key to NULL on delete',
      );
      const onMany = buildError(relationSet({ requiredOnMany: true }));
      expectIssue(
        onMany,
        { className: 'RulesCompanyEntity', propertyName: 'people', rule: 'relation-required-invalid' },
        'RulesCompanyEntity.people [relation-required-invalid]: isRequired belongs on the MANY_TO_ONE side',
      );
    });

    it('accepts a relation from an object to itself', () => {
      @WorkspaceEntity(object('6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4f00', 'company', 'companies'))
      class SelfCompanyEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4f01',
          type: RelationType.MANY_TO_ONE,
          label: 'Parent company',
          inverseSideTarget: () => SelfCompanyEntity,
          inverseSideFieldKey: 'childCompanies',
        })
        parentCompany: object | null;

        @WorkspaceRelation({
          standardId: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4f02',
          type: RelationType.ONE_TO_MANY,
          label: 'Child companies',
          inverseSideTarget: () => SelfCompanyEntity,
          inverseSideFieldKey: 'parentCompany',
        })
        childCompanies: object[];
      }

      const [company] = DeclarationSetBuilder.build({ entities: [SelfCompanyEntity] }).objects;

      expect(company.fields.find((field) => field.name === 'parentCompany')!.relation).toEqual({
        type: RelationType.MANY_TO_ONE,
        targetObject: 'company',
        inverseFieldName: 'childCompanies',
        onDelete: OnDeleteAction.SET_NULL,
      });
    });
  });

  describe('option values as declared', () => {
    it('keeps lowercase and mixed-case values and their ids', () => {
      const options = [
        { id: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4b11', value: 'lead', label: 'Lead', position: 0 },
        { value: 'Closed_Won', label: 'Won', position: 1 },
        { value: 'fr-FR', label: 'French', position: 2 },
      ];
      const [deal] = DeclarationSetBuilder.build({ entities: [dealWith(options)] }).objects;

      expect(deal.fields.find((field) => field.name === 'stage')!.options).toEqual(options);
    });

    it.each([
      ['an empty value', [{ value: '', label: 'Empty', position: 0 }], 'invalid-option-value', 'an option value must be a non-empty text'],
      [
        'a value longer than an enum label may be',
        [{ value: 'a'.repeat(64), label: 'Long', position: 0 }],
        'invalid-option-value',
        `option value "${'a'.repeat(40)}..." is longer than 63 characters`,
      ],
      [
        'values that differ only in case',
        [
          { value: 'lead', label: 'Lead', position: 0 },
          { value: 'LEAD', label: 'Lead', position: 1 },
        ],
        'select-options-not-unique',
        'option values "lead" and "LEAD" differ only in case',
      ],
      [
        'a value twice',
        [
          { value: 'Lead', label: 'Lead', position: 0 },
          { value: 'Lead', label: 'Lead', position: 1 },
        ],
        'select-options-not-unique',
        'option value "Lead" appears more than once',
      ],
      [
        'an option id twice',
        [
          { id: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4b12', value: 'a', label: 'A', position: 0 },
          { id: '6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4b12', value: 'b', label: 'B', position: 1 },
        ],
        'select-options-not-unique',
        'option id 6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4b12 appears more than once',
      ],
      [
        'an option id that is no UUID',
        [{ id: 'first', value: 'a', label: 'A', position: 0 }],
        'invalid-option-value',
        'option id "first" is not a UUID',
      ],
    ] as const)('%s is an error naming the field', (_case, options, rule, message) => {
      const error = buildError({ entities: [dealWith([...options])] });

      expect(error.issues).toHaveLength(1);
      expectIssue(error, { className: 'OptionsDealEntity', propertyName: 'stage', rule }, `OptionsDealEntity.stage [${rule}]: ${message}`);
    });
  });

  describe('object properties', () => {
    it('carries the properties declared, and leaves out those not declared', () => {
      const declared = DeclarationSetBuilder.build({
        entities: [
          companyWith({
            labelIdentifierStandardId: NAME_ID,
            imageIdentifierStandardId: DOMAIN_ID,
            shortcut: 'C',
            icon: 'IconBuildingSkyscraper',
            isSearchable: true,
            isAuditLogged: false,
          }),
        ],
      });
      expect(declared.objects[0]).toMatchObject({
        labelIdentifierStandardId: NAME_ID,
        imageIdentifierStandardId: DOMAIN_ID,
        shortcut: 'C',
        icon: 'IconBuildingSkyscraper',
        isSearchable: true,
        isAuditLogged: false,
      });

      const [plain] = DeclarationSetBuilder.build({ entities: [companyWith({})] }).objects;
      for (const key of ['imageIdentifierStandardId', 'shortcut', 'isSearchable', 'isAuditLogged']) expect(plain).not.toHaveProperty(key);
    });

    it.each([
      [
        { imageIdentifierStandardId: SCORE_ID },
        'score',
        'invalid-image-identifier',
        'an image identifier must be TEXT or LINKS, not NUMBER',
      ],
      [
        { imageIdentifierStandardId: OLD_ID },
        null,
        'invalid-image-identifier',
        `imageIdentifierStandardId ${OLD_ID} names no field of this object`,
      ],
      [
        { labelIdentifierStandardId: DOMAIN_ID },
        'domain',
        'invalid-label-identifier',
        'a label identifier must be TEXT, FULL_NAME or UUID, not LINKS',
      ],
      [{ shortcut: 'ab' }, null, 'invalid-object-property', 'shortcut "ab" must be one capital letter (A-Z)'],
      [{ icon: 'building' }, null, 'invalid-object-property', 'icon "building" must be an icon name such as IconBuilding'],
      [
        { isSearchable: true },
        null,
        'invalid-object-property',
        'a searchable object needs a labelIdentifierStandardId: search results show each record by its label identifier',
      ],
    ] as const)('%j is an error', (options, propertyName, rule, message) => {
      const error = buildError({ entities: [companyWith(options)] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'PropertiesCompanyEntity', propertyName, rule },
        `PropertiesCompanyEntity${propertyName ? `.${propertyName}` : ''} [${rule}]: ${message}`,
      );
    });

    it('invalid-object-property: a shortcut taken by another object', () => {
      @WorkspaceEntity(object('6a0f7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a10', 'contact', 'contacts', { shortcut: 'C' }))
      class ShortcutContactEntity extends SpecBaseEntity {}

      const error = buildError({ entities: [companyWith({ shortcut: 'C' }), ShortcutContactEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'ShortcutContactEntity', propertyName: null, rule: 'invalid-object-property' },
        'ShortcutContactEntity [invalid-object-property]: shortcut "C" is already the shortcut of PropertiesCompanyEntity',
      );
    });
  });
});
