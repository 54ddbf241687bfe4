import { buildError, expectIssue, object, SpecBaseEntity } from './declaration-set.spec-support';
import { WorkspaceEntity, WorkspaceField, WorkspaceIndex, WorkspaceIsNullable, WorkspaceRelation } from './decorators/workspace.decorators';
import { FieldType, RelationType } from './field-type';

/**
 * Every test declares its own classes: the decorator storage is keyed by class object, so sets
 * never leak into each other (declaration-set.spec-support.ts says more).
 */

describe('DeclarationSetBuilder', () => {
  describe('rejects an invalid set: types, defaults, options, label identifiers and indexes', () => {
    it('unknown-field-type: a type that is not a FieldType', () => {
      @WorkspaceEntity(object('b59b5bc4-5565-4d78-9e2f-40cbddf74a6c', 'person', 'people'))
      class StringTypePersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '8f4dcf72-687f-422c-a399-f37b0e64f322', type: 'STRING' as FieldType, label: 'Bio', defaultValue: '' })
        bio: string;
      }

      const error = buildError({ entities: [StringTypePersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'StringTypePersonEntity', propertyName: 'bio', rule: 'unknown-field-type' },
        'StringTypePersonEntity.bio [unknown-field-type]',
      );
    });

    it('unknown-field-type: RELATION declared with @WorkspaceField', () => {
      @WorkspaceEntity(object('09c43436-54c9-4bc2-b3d6-a0a02589b5df', 'person', 'people'))
      class FieldRelationPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '57a9e57e-35e6-436c-be88-89fbf0b17b22', type: FieldType.RELATION, label: 'Company' })
        company: object | null;
      }

      const error = buildError({ entities: [FieldRelationPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'FieldRelationPersonEntity', propertyName: 'company', rule: 'unknown-field-type' },
        'FieldRelationPersonEntity.company [unknown-field-type]',
      );
    });

    it('invalid-default-value: a NUMBER default that is a string', () => {
      @WorkspaceEntity(object('80b0b112-00d1-4028-9438-8726e5214e1d', 'deal', 'deals'))
      class StringNumberDealEntity extends SpecBaseEntity {
        @WorkspaceField({
          standardId: '57cc794d-8f6f-452e-9a0c-992178c938c5',
          type: FieldType.NUMBER,
          label: 'Amount',
          defaultValue: 'abc',
        })
        amount: number;
      }

      const error = buildError({ entities: [StringNumberDealEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'StringNumberDealEntity', propertyName: 'amount', rule: 'invalid-default-value' },
        'StringNumberDealEntity.amount [invalid-default-value]',
      );
    });

    it('invalid-default-value: a SELECT default that is not among the options', () => {
      @WorkspaceEntity(object('27afacd3-b236-4ca4-b2d6-ab891c7a2a04', 'deal', 'deals'))
      class UnknownOptionDealEntity extends SpecBaseEntity {
        @WorkspaceField({
          standardId: '0e572d8e-01c9-45a0-b404-340829166a79',
          type: FieldType.SELECT,
          label: 'Stage',
          defaultValue: 'LOST',
          options: [
            { value: 'NEW', label: 'New', position: 0 },
            { value: 'WON', label: 'Won', position: 1 },
          ],
        })
        stage: string;
      }

      const error = buildError({ entities: [UnknownOptionDealEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'UnknownOptionDealEntity', propertyName: 'stage', rule: 'invalid-default-value' },
        'UnknownOptionDealEntity.stage [invalid-default-value]',
      );
    });

    it('invalid-default-value: a composite default with an unknown subfield', () => {
      @WorkspaceEntity(object('5db48474-8b00-41e7-a3d8-9b8bf7f4c5d7', 'person', 'people'))
      class MiddleNamePersonEntity extends SpecBaseEntity {
        @WorkspaceField({
          standardId: 'b5103d68-9a79-46ad-bf80-a6e36bfde4e1',
          type: FieldType.FULL_NAME,
          label: 'Name',
          defaultValue: { firstName: '', middleName: '' },
        })
        name: object;
      }

      const error = buildError({ entities: [MiddleNamePersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'MiddleNamePersonEntity', propertyName: 'name', rule: 'invalid-default-value' },
        'MiddleNamePersonEntity.name [invalid-default-value]',
      );
      expect(error.message).toContain('unknown subfield middleName');
    });

    it('invalid-default-value: a BOOLEAN default that is a string', () => {
      @WorkspaceEntity(object('9d55d979-3b5b-42ba-b612-3a2d292cbc67', 'person', 'people'))
      class YesBooleanPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '3800af54-994f-4ec5-8330-7283a19b58c4', type: FieldType.BOOLEAN, label: 'VIP', defaultValue: 'yes' })
        isVip: boolean;
      }

      const error = buildError({ entities: [YesBooleanPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'YesBooleanPersonEntity', propertyName: 'isVip', rule: 'invalid-default-value' },
        'YesBooleanPersonEntity.isVip [invalid-default-value]',
      );
    });

    it('non-nullable-without-default: a plain field neither nullable nor defaulted', () => {
      @WorkspaceEntity(object('730f6b94-de52-4980-9a8b-99f151e6e717', 'person', 'people'))
      class NoDefaultPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: 'fc8ea818-3aac-4dbd-988b-660150a3c3d2', type: FieldType.TEXT, label: 'Job title' })
        jobTitle: string;
      }

      const error = buildError({ entities: [NoDefaultPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'NoDefaultPersonEntity', propertyName: 'jobTitle', rule: 'non-nullable-without-default' },
        'NoDefaultPersonEntity.jobTitle [non-nullable-without-default]',
      );
    });

    it('select-options-missing: a SELECT field without options', () => {
      @WorkspaceEntity(object('df60a975-5ff7-4126-b69f-b1af461a0a18', 'deal', 'deals'))
      class NoOptionsDealEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: 'dd6c59d1-ff21-4451-b548-6ab1164a6672', type: FieldType.SELECT, label: 'Stage' })
        @WorkspaceIsNullable()
        stage: string | null;
      }

      const error = buildError({ entities: [NoOptionsDealEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'NoOptionsDealEntity', propertyName: 'stage', rule: 'select-options-missing' },
        'NoOptionsDealEntity.stage [select-options-missing]',
      );
    });

    it('select-options-missing: a MULTI_SELECT field with an empty option list', () => {
      @WorkspaceEntity(object('93efb3e6-cf9f-4a8a-b522-f73a40ee854f', 'deal', 'deals'))
      class EmptyOptionsDealEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: 'f84cca6a-6aa5-4a0d-8794-3e13272e6eee', type: FieldType.MULTI_SELECT, label: 'Tags', options: [] })
        @WorkspaceIsNullable()
        tags: string[] | null;
      }

      const error = buildError({ entities: [EmptyOptionsDealEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'EmptyOptionsDealEntity', propertyName: 'tags', rule: 'select-options-missing' },
        'EmptyOptionsDealEntity.tags [select-options-missing]',
      );
    });

    it('select-options-not-unique: the same option value twice', () => {
      @WorkspaceEntity(object('ed5d0d4a-26d1-4841-a269-a44a4e3eef97', 'deal', 'deals'))
      class RepeatedOptionDealEntity extends SpecBaseEntity {
        @WorkspaceField({
          standardId: '64172406-c26d-410b-8c83-82d3a27a5839',
          type: FieldType.SELECT,
          label: 'Stage',
          defaultValue: 'NEW',
          options: [
            { value: 'NEW', label: 'New', position: 0 },
            { value: 'NEW', label: 'Fresh', position: 1 },
          ],
        })
        stage: string;
      }

      const error = buildError({ entities: [RepeatedOptionDealEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'RepeatedOptionDealEntity', propertyName: 'stage', rule: 'select-options-not-unique' },
        'RepeatedOptionDealEntity.stage [select-options-not-unique]',
      );
    });

    it('invalid-option-value: an option value with a space', () => {
      @WorkspaceEntity(object('5eb2fd89-fbd0-4585-a2fe-519a061ed0b5', 'deal', 'deals'))
      class SpacedOptionDealEntity extends SpecBaseEntity {
        @WorkspaceField({
          standardId: '47f9438f-cf98-4fa4-937b-21ebf72ce62f',
          type: FieldType.SELECT,
          label: 'Stage',
          defaultValue: 'NEW',
          options: [
            { value: 'NEW', label: 'New', position: 0 },
            { value: 'closed won', label: 'Won', position: 1 },
          ],
        })
        stage: string;
      }

      const error = buildError({ entities: [SpacedOptionDealEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'SpacedOptionDealEntity', propertyName: 'stage', rule: 'invalid-option-value' },
        'SpacedOptionDealEntity.stage [invalid-option-value]',
      );
      expect(error.message).toContain('"closed won" must be letters, digits');
    });

    it('options-not-allowed: options on a TEXT field', () => {
      @WorkspaceEntity(object('7ef4844e-7629-4705-94d2-ff3a83906012', 'person', 'people'))
      class TextOptionsPersonEntity extends SpecBaseEntity {
        @WorkspaceField({
          standardId: '3ea20ec2-205a-476f-bfb5-c4e21ece599c',
          type: FieldType.TEXT,
          label: 'Title',
          defaultValue: '',
          options: [{ value: 'MR', label: 'Mr', position: 0 }],
        })
        title: string;
      }

      const error = buildError({ entities: [TextOptionsPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'TextOptionsPersonEntity', propertyName: 'title', rule: 'options-not-allowed' },
        'TextOptionsPersonEntity.title [options-not-allowed]',
      );
    });

    it('invalid-label-identifier: pointing to a NUMBER field', () => {
      @WorkspaceEntity(
        object('c1c29310-6638-4440-bddf-399e512262b9', 'invoice', 'invoices', {
          labelIdentifierStandardId: '9b754494-b0be-4f39-957c-5ebf10a962be',
        }),
      )
      class NumberLabelInvoiceEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '9b754494-b0be-4f39-957c-5ebf10a962be', type: FieldType.NUMBER, label: 'Number', defaultValue: 0 })
        number: number;
      }

      const error = buildError({ entities: [NumberLabelInvoiceEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'NumberLabelInvoiceEntity', propertyName: 'number', rule: 'invalid-label-identifier' },
        'NumberLabelInvoiceEntity.number [invalid-label-identifier]',
      );
    });

    it('invalid-label-identifier: pointing to an unknown standardId', () => {
      @WorkspaceEntity(
        object('15d7efd1-f47b-4ce7-9839-0c2b899b8111', 'invoice', 'invoices', {
          labelIdentifierStandardId: '951440f0-7c3f-473b-acee-896b14f05aa8',
        }),
      )
      class UnknownLabelInvoiceEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '84395257-7607-43e8-a115-9d29ba3b41af', type: FieldType.TEXT, label: 'Reference', defaultValue: '' })
        reference: string;
      }

      const error = buildError({ entities: [UnknownLabelInvoiceEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'UnknownLabelInvoiceEntity', propertyName: null, rule: 'invalid-label-identifier' },
        'UnknownLabelInvoiceEntity [invalid-label-identifier]',
      );
    });

    it('index-unknown-field: a class-level index naming a missing field', () => {
      @WorkspaceEntity(object('fc6e1d38-efca-4b06-9c52-248e574ebc47', 'person', 'people'))
      @WorkspaceIndex(['email'], { isUnique: true })
      class MissingIndexFieldPersonEntity extends SpecBaseEntity {}

      const error = buildError({ entities: [MissingIndexFieldPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'MissingIndexFieldPersonEntity', propertyName: null, rule: 'index-unknown-field' },
        'MissingIndexFieldPersonEntity [index-unknown-field]',
      );
      expect(error.message).toContain('"email"');
    });

    it('index-unknown-field: a property index on a ONE_TO_MANY relation, which has no column', () => {
      @WorkspaceEntity(object('deb0e5d0-59f4-43ea-9b68-9ea498aa2afe', 'company', 'companies'))
      class IndexedManyCompanyEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: 'a99631b5-6055-483c-99b4-b979ae6f9428',
          type: RelationType.ONE_TO_MANY,
          label: 'People',
          inverseSideTarget: () => IndexedManyPersonEntity,
          inverseSideFieldKey: 'company',
        })
        @WorkspaceIndex()
        people: object[];
      }

      @WorkspaceEntity(object('0010d030-50ee-453d-883f-50fef7b90e10', 'person', 'people'))
      class IndexedManyPersonEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '3affbed5-2c55-4c70-b8f2-82266cbad4c3',
          type: RelationType.MANY_TO_ONE,
          label: 'Company',
          inverseSideTarget: () => IndexedManyCompanyEntity,
          inverseSideFieldKey: 'people',
        })
        company: object | null;
      }

      const error = buildError({ entities: [IndexedManyCompanyEntity, IndexedManyPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'IndexedManyCompanyEntity', propertyName: 'people', rule: 'index-unknown-field' },
        'IndexedManyCompanyEntity.people [index-unknown-field]',
      );
    });
  });
});
