import { buildError, expectIssue, object, SpecBaseEntity } from './declaration-set.spec-support';
import { WorkspaceEntity, WorkspaceField, WorkspaceIsNullable, WorkspaceRelation } from './decorators/workspace.decorators';
import { FieldType, OnDeleteAction, RelationType } from './field-type';

/**
 * Every test declares its own classes: the decorator storage is keyed by class object, so sets
 * never leak into each other (declaration-set.spec-support.ts says more).
 */

describe('DeclarationSetBuilder', () => {
  describe('rejects an invalid set: columns and relations', () => {
    it('column-name-collision: a FULL_NAME field and a TEXT field named like its subfield column', () => {
      @WorkspaceEntity(object('a51d4a8f-b0b7-422e-be7c-154d0cb0b9d2', 'person', 'people'))
      class CollidingNamePersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '0156a6bd-c0fd-4d76-bd91-fddf9ad68ed7', type: FieldType.FULL_NAME, label: 'Name' })
        name: object;

        @WorkspaceField({ standardId: '289683e3-c6c7-4046-8abe-fe45c432fbaa', type: FieldType.TEXT, label: 'First name', defaultValue: '' })
        nameFirstName: string;
      }

      const error = buildError({ entities: [CollidingNamePersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'CollidingNamePersonEntity', propertyName: 'nameFirstName', rule: 'column-name-collision' },
        'CollidingNamePersonEntity.nameFirstName [column-name-collision]',
      );
      expect(error.message).toContain('column "nameFirstName"');
    });

    it('column-name-collision: a MANY_TO_ONE relation and a UUID field named like its join column', () => {
      @WorkspaceEntity(object('cb4b9a7b-0c36-43f4-a447-6d8a6fd6cffb', 'company', 'companies'))
      class JoinTargetCompanyEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: 'c77977ad-e8a2-4903-9c54-3f26616f5852',
          type: RelationType.ONE_TO_MANY,
          label: 'People',
          inverseSideTarget: () => JoinColumnPersonEntity,
          inverseSideFieldKey: 'company',
        })
        people: object[];
      }

      @WorkspaceEntity(object('9dc04487-57c9-48ef-9693-40f5b9af3991', 'person', 'people'))
      class JoinColumnPersonEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '856fe4e9-ab88-42f8-a4ad-0f8873f0c6e0',
          type: RelationType.MANY_TO_ONE,
          label: 'Company',
          inverseSideTarget: () => JoinTargetCompanyEntity,
          inverseSideFieldKey: 'people',
        })
        company: object | null;

        @WorkspaceField({ standardId: 'f8d4f4b5-d633-4be4-985a-5fb2d3ce7e62', type: FieldType.UUID, label: 'Company id' })
        @WorkspaceIsNullable()
        companyId: string | null;
      }

      const error = buildError({ entities: [JoinTargetCompanyEntity, JoinColumnPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'JoinColumnPersonEntity', propertyName: 'companyId', rule: 'column-name-collision' },
        'JoinColumnPersonEntity.companyId [column-name-collision]',
      );
    });

    it('relation-target-unknown: a target class outside the set', () => {
      @WorkspaceEntity(object('ee34d51d-df72-49a0-92b8-a93034584065', 'company', 'companies'))
      class OutsideCompanyEntity extends SpecBaseEntity {}

      @WorkspaceEntity(object('9c3c0bd3-2d28-47ac-adc2-c0a731ae635f', 'person', 'people'))
      class OutsideTargetPersonEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '3df93eff-432c-4228-ab67-ea082233593d',
          type: RelationType.MANY_TO_ONE,
          label: 'Company',
          inverseSideTarget: () => OutsideCompanyEntity,
          inverseSideFieldKey: 'people',
        })
        company: object | null;
      }

      const error = buildError({ entities: [OutsideTargetPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'OutsideTargetPersonEntity', propertyName: 'company', rule: 'relation-target-unknown' },
        'OutsideTargetPersonEntity.company [relation-target-unknown]',
      );
      expect(error.message).toContain('OutsideCompanyEntity');
    });

    it('relation-inverse-missing: no inverseSideFieldKey', () => {
      @WorkspaceEntity(object('e148da27-a866-4bea-ba82-b001cdac40cf', 'company', 'companies'))
      class NoInverseCompanyEntity extends SpecBaseEntity {}

      @WorkspaceEntity(object('82484c26-7795-4b1c-a93d-0d0498b7d345', 'person', 'people'))
      class NoInverseKeyPersonEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '675ce117-0136-454d-89d0-953b92ed5c3a',
          type: RelationType.MANY_TO_ONE,
          label: 'Company',
          inverseSideTarget: () => NoInverseCompanyEntity,
        })
        company: object | null;
      }

      const error = buildError({ entities: [NoInverseCompanyEntity, NoInverseKeyPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'NoInverseKeyPersonEntity', propertyName: 'company', rule: 'relation-inverse-missing' },
        'NoInverseKeyPersonEntity.company [relation-inverse-missing]',
      );
    });

    it('relation-inverse-missing: an inverse key naming a field the target does not have', () => {
      @WorkspaceEntity(object('9c90ffb8-945a-46ca-8f22-4621428d8cca', 'company', 'companies'))
      class GhostInverseCompanyEntity extends SpecBaseEntity {}

      @WorkspaceEntity(object('02785632-8036-4ed1-8dab-9b2d0eb44407', 'person', 'people'))
      class GhostInversePersonEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: 'd7728483-594b-4d2f-851b-86a87a19be04',
          type: RelationType.MANY_TO_ONE,
          label: 'Company',
          inverseSideTarget: () => GhostInverseCompanyEntity,
          inverseSideFieldKey: 'employees',
        })
        company: object | null;
      }

      const error = buildError({ entities: [GhostInverseCompanyEntity, GhostInversePersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'GhostInversePersonEntity', propertyName: 'company', rule: 'relation-inverse-missing' },
        'GhostInversePersonEntity.company [relation-inverse-missing]',
      );
      expect(error.message).toContain('"employees" is not a relation of GhostInverseCompanyEntity');
    });

    it('relation-inverse-missing: an inverse key naming a plain field', () => {
      @WorkspaceEntity(object('87663830-673d-4070-bfef-9efab389a64f', 'company', 'companies'))
      class PlainInverseCompanyEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '6709c00b-cfc6-474e-b9e5-b071b31f12d0', type: FieldType.NUMBER, label: 'Employees', defaultValue: 0 })
        employees: number;
      }

      @WorkspaceEntity(object('903a2898-b087-41bd-b2b1-e7515ae87a67', 'person', 'people'))
      class PlainInversePersonEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '59f7d564-0c30-4dc5-a3d0-8f493c6f227b',
          type: RelationType.MANY_TO_ONE,
          label: 'Company',
          inverseSideTarget: () => PlainInverseCompanyEntity,
          inverseSideFieldKey: 'employees',
        })
        company: object | null;
      }

      const error = buildError({ entities: [PlainInverseCompanyEntity, PlainInversePersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'PlainInversePersonEntity', propertyName: 'company', rule: 'relation-inverse-missing' },
        'PlainInversePersonEntity.company [relation-inverse-missing]',
      );
    });

    it('relation-inverse-mismatch: the inverse points back to another field', () => {
      @WorkspaceEntity(object('60a8e187-ca0e-477c-a240-d593b4ce5573', 'company', 'companies'))
      class ElsewhereCompanyEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '486f84e7-6a66-4472-b0ea-c477138882e7',
          type: RelationType.ONE_TO_MANY,
          label: 'People',
          inverseSideTarget: () => ElsewherePersonEntity,
          inverseSideFieldKey: 'employer',
        })
        people: object[];
      }

      @WorkspaceEntity(object('99160c48-8985-4273-adeb-e6b24bc7893e', 'person', 'people'))
      class ElsewherePersonEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '67c4d556-d069-44ac-95e5-90095a711f8e',
          type: RelationType.MANY_TO_ONE,
          label: 'Employer',
          inverseSideTarget: () => ElsewhereCompanyEntity,
          inverseSideFieldKey: 'people',
        })
        employer: object | null;

        @WorkspaceRelation({
          standardId: 'ad30b2d5-d25a-45c5-9c47-c75b44ab30fc',
          type: RelationType.MANY_TO_ONE,
          label: 'Company',
          inverseSideTarget: () => ElsewhereCompanyEntity,
          inverseSideFieldKey: 'people',
        })
        company: object | null;
      }

      const error = buildError({ entities: [ElsewhereCompanyEntity, ElsewherePersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'ElsewherePersonEntity', propertyName: 'company', rule: 'relation-inverse-mismatch' },
        'ElsewherePersonEntity.company [relation-inverse-mismatch]',
      );
    });

    it('relation-inverse-mismatch: both sides MANY_TO_ONE', () => {
      @WorkspaceEntity(object('ab1d9067-1b40-4be8-aaac-ebc19e9328b4', 'company', 'companies'))
      class BothManyCompanyEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '4543a606-bd6a-4dd2-9943-e7e19a9f06a1',
          type: RelationType.MANY_TO_ONE,
          label: 'Contact',
          inverseSideTarget: () => BothManyPersonEntity,
          inverseSideFieldKey: 'company',
        })
        contact: object | null;
      }

      @WorkspaceEntity(object('e00a685c-774f-46b0-b9eb-ee84111e8652', 'person', 'people'))
      class BothManyPersonEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: 'c7b0bfb9-2c61-4a2c-ad6c-4f85e0edb581',
          type: RelationType.MANY_TO_ONE,
          label: 'Company',
          inverseSideTarget: () => BothManyCompanyEntity,
          inverseSideFieldKey: 'contact',
        })
        company: object | null;
      }

      const error = buildError({ entities: [BothManyCompanyEntity, BothManyPersonEntity] });

      expect(error.issues).toHaveLength(2);
      expectIssue(
        error,
        { className: 'BothManyCompanyEntity', propertyName: 'contact', rule: 'relation-inverse-mismatch' },
        'BothManyCompanyEntity.contact [relation-inverse-mismatch]',
      );
      expectIssue(
        error,
        { className: 'BothManyPersonEntity', propertyName: 'company', rule: 'relation-inverse-mismatch' },
        'BothManyPersonEntity.company [relation-inverse-mismatch]',
      );
    });

    it('relation-on-delete-invalid: onDelete on a ONE_TO_MANY side with no inverse field to hold the foreign key', () => {
      @WorkspaceEntity(object('f2f53ecf-9a26-4cc2-ba7a-57c220940633', 'company', 'companies'))
      class CascadeCompanyEntity extends SpecBaseEntity {}

      class CascadeCustomBase extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '35c55379-b6ba-4486-ae7d-ef4d8cc66ea4',
          type: RelationType.ONE_TO_MANY,
          label: 'Companies',
          inverseSideTarget: () => CascadeCompanyEntity,
          onDelete: OnDeleteAction.CASCADE,
        })
        companies: object[];
      }

      const error = buildError({ entities: [CascadeCompanyEntity], customObjectBase: CascadeCustomBase });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'CascadeCustomBase', propertyName: 'companies', rule: 'relation-on-delete-invalid' },
        'CascadeCustomBase.companies [relation-on-delete-invalid]: onDelete on a ONE_TO_MANY side applies to the foreign key of its inverse field',
      );
    });
  });
});
