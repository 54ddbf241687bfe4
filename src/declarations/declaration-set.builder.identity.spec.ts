import { DeclarationSetBuilder } from './declaration-set.builder';
import { buildError, expectIssue, object, SpecBaseEntity } from './declaration-set.spec-support';
import { WorkspaceEntity, WorkspaceField, WorkspaceIsNullable, WorkspaceRelation } from './decorators/workspace.decorators';
import { FieldType, RelationType } from './field-type';

/**
 * Every test declares its own classes: the decorator storage is keyed by class object, so sets
 * never leak into each other (declaration-set.spec-support.ts says more).
 */

describe('DeclarationSetBuilder', () => {
  describe('rejects an invalid set: decorators and standardIds', () => {
    it('missing-entity-decorator: a class in the set without @WorkspaceEntity', () => {
      class UndecoratedEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: 'f90c647d-0101-4c0c-a7bb-8932c2040448', type: FieldType.TEXT, label: 'Title', defaultValue: '' })
        title: string;
      }

      const error = buildError({ entities: [UndecoratedEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'UndecoratedEntity', propertyName: null, rule: 'missing-entity-decorator' },
        'UndecoratedEntity [missing-entity-decorator]',
      );
    });

    it('missing-field-decorator: a flag decorator without @WorkspaceField', () => {
      @WorkspaceEntity(object('b8e7cd03-5161-41e1-84a9-543270933dac', 'contact', 'contacts'))
      class FlagOnlyContactEntity extends SpecBaseEntity {
        @WorkspaceIsNullable()
        nickname: string | null;
      }

      const error = buildError({ entities: [FlagOnlyContactEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'FlagOnlyContactEntity', propertyName: 'nickname', rule: 'missing-field-decorator' },
        'FlagOnlyContactEntity.nickname [missing-field-decorator]',
      );
    });

    it('invalid-standard-id: an object standardId that is not a UUID', () => {
      @WorkspaceEntity(object('person', 'person', 'people'))
      class BadObjectIdPersonEntity extends SpecBaseEntity {}

      const error = buildError({ entities: [BadObjectIdPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'BadObjectIdPersonEntity', propertyName: null, rule: 'invalid-standard-id' },
        'BadObjectIdPersonEntity [invalid-standard-id]',
      );
    });

    it('invalid-standard-id: a field standardId that is not a UUID', () => {
      @WorkspaceEntity(object('f6a9883a-49be-4afe-85c2-dac0e8975cac', 'person', 'people'))
      class BadFieldIdPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '2d5232c8-9d37-4b6f-b7a9-96373a5d2fc', type: FieldType.TEXT, label: 'City', defaultValue: '' })
        city: string;
      }

      const error = buildError({ entities: [BadFieldIdPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'BadFieldIdPersonEntity', propertyName: 'city', rule: 'invalid-standard-id' },
        'BadFieldIdPersonEntity.city [invalid-standard-id]',
      );
    });

    it('duplicate-standard-id: two fields of one object', () => {
      const shared = 'eb3231af-0886-4394-85bc-131bc9cf4be0';

      @WorkspaceEntity(object('d9392ff2-e083-4258-8be0-a6276787abc8', 'person', 'people'))
      class TwinFieldsPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: shared, type: FieldType.TEXT, label: 'Email', defaultValue: '' })
        primaryEmail: string;

        @WorkspaceField({ standardId: shared, type: FieldType.TEXT, label: 'Email', defaultValue: '' })
        email: string;
      }

      const error = buildError({ entities: [TwinFieldsPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'TwinFieldsPersonEntity', propertyName: 'email', rule: 'duplicate-standard-id' },
        'TwinFieldsPersonEntity.email [duplicate-standard-id]',
      );
    });

    it('duplicate-standard-id: two objects', () => {
      const shared = '79c032de-43ad-443a-a4e4-30687b1bffee';

      @WorkspaceEntity(object(shared, 'company', 'companies'))
      class FirstSameIdCompanyEntity extends SpecBaseEntity {}

      @WorkspaceEntity(object(shared, 'organisation', 'organisations'))
      class SecondSameIdOrganisationEntity extends SpecBaseEntity {}

      const error = buildError({ entities: [FirstSameIdCompanyEntity, SecondSameIdOrganisationEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'SecondSameIdOrganisationEntity', propertyName: null, rule: 'duplicate-standard-id' },
        'SecondSameIdOrganisationEntity [duplicate-standard-id]',
      );
    });

    it('accepts a field standardId reused in another object, as real sets do', () => {
      const shared = '9062672d-4527-4e84-9c71-61a45f0710f4';

      @WorkspaceEntity(object('f648e60e-4762-4204-9716-81e4aac4a064', 'company', 'companies'))
      class ReusedFieldCompanyEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: shared, type: FieldType.TEXT, label: 'Domain', defaultValue: '' })
        domain: string;
      }

      @WorkspaceEntity(object('cb8e59c8-ce08-4d4b-90c0-eb0f49bbf2db', 'person', 'people'))
      class ReusedFieldPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: shared, type: FieldType.TEXT, label: 'Email', defaultValue: '' })
        email: string;
      }

      const declared = DeclarationSetBuilder.build({ entities: [ReusedFieldCompanyEntity, ReusedFieldPersonEntity] });

      expect(declared.objects.map((entry) => entry.fields.find((field) => field.standardId === shared)?.name)).toEqual(['domain', 'email']);
    });

    it('duplicate-standard-id: a field reusing the standardId of an earlier object', () => {
      const shared = '0a4c0b5e-5f7e-4f35-8d7e-3b8f0d6f3a51';

      @WorkspaceEntity(object(shared, 'company', 'companies'))
      class ObjectFirstCompanyEntity extends SpecBaseEntity {}

      @WorkspaceEntity(object('8f3e36f4-13c2-4b8e-9a53-2a4c3a7f7c10', 'person', 'people'))
      class FieldSecondPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: shared, type: FieldType.TEXT, label: 'Email', defaultValue: '' })
        email: string;
      }

      const error = buildError({ entities: [ObjectFirstCompanyEntity, FieldSecondPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'FieldSecondPersonEntity', propertyName: 'email', rule: 'duplicate-standard-id' },
        `FieldSecondPersonEntity.email [duplicate-standard-id]: standardId ${shared} is already used by ObjectFirstCompanyEntity`,
      );
    });

    it('duplicate-standard-id: an object reusing the standardId of an earlier object field', () => {
      const shared = '2d8509df-1089-4bf6-b668-3be508dd48bb';

      @WorkspaceEntity(object('ed1cbec0-ff3b-40c8-aad8-d418768028d9', 'company', 'companies'))
      class FieldFirstCompanyEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: shared, type: FieldType.TEXT, label: 'Domain', defaultValue: '' })
        domain: string;
      }

      @WorkspaceEntity(object(shared, 'person', 'people'))
      class ObjectSecondPersonEntity extends SpecBaseEntity {}

      const error = buildError({ entities: [FieldFirstCompanyEntity, ObjectSecondPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'ObjectSecondPersonEntity', propertyName: null, rule: 'duplicate-standard-id' },
        'ObjectSecondPersonEntity [duplicate-standard-id]',
      );
      expect(error.message).toContain('FieldFirstCompanyEntity.domain');
    });

    it('duplicate-object-name: two objects with the same nameSingular', () => {
      @WorkspaceEntity(object('4ed588bc-bc3f-4918-b6fc-0986775177b7', 'company', 'companies'))
      class FirstNamedCompanyEntity extends SpecBaseEntity {}

      @WorkspaceEntity(object('4641ed7b-65e1-4376-bb0b-a8bccc93982c', 'company', 'companyRecords'))
      class SecondNamedCompanyEntity extends SpecBaseEntity {}

      const error = buildError({ entities: [FirstNamedCompanyEntity, SecondNamedCompanyEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'SecondNamedCompanyEntity', propertyName: null, rule: 'duplicate-object-name' },
        'SecondNamedCompanyEntity [duplicate-object-name]',
      );
      expect(error.message).toContain('already used by FirstNamedCompanyEntity');
    });

    it('duplicate-object-name: nameSingular equal to namePlural', () => {
      @WorkspaceEntity(object('d6b1a231-47bc-4af8-bcb1-0f7035b563a6', 'sheep', 'sheep'))
      class SheepEntity extends SpecBaseEntity {}

      const error = buildError({ entities: [SheepEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'SheepEntity', propertyName: null, rule: 'duplicate-object-name' },
        'SheepEntity [duplicate-object-name]',
      );
    });

    it('duplicate-field-name: a subclass redeclaring a field of its base class', () => {
      @WorkspaceEntity(object('8d784136-13b2-43b2-b5c8-39274ecf0f6f', 'ticket', 'tickets'))
      class RedeclaredIdTicketEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '2c9bee52-01a5-43d3-9787-a88e28043f8c', type: FieldType.TEXT, label: 'Id', defaultValue: '' })
        declare id: string;
      }

      const error = buildError({ entities: [RedeclaredIdTicketEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'RedeclaredIdTicketEntity', propertyName: 'id', rule: 'duplicate-field-name' },
        'RedeclaredIdTicketEntity.id [duplicate-field-name]',
      );
      expect(error.message).toContain('in RedeclaredIdTicketEntity and SpecBaseEntity');
    });

    it('duplicate-field-name: a property declared both as a field and as a relation', () => {
      @WorkspaceEntity(object('6de7ef24-291c-42b8-818f-5be57df351f1', 'company', 'companies'))
      class FieldAndRelationCompanyEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '47fc2bd2-278a-45b3-add4-ed78cc2a4e2a', type: FieldType.TEXT, label: 'Parent', defaultValue: '' })
        @WorkspaceRelation({
          standardId: 'ad14e9f4-8072-47b3-b59f-c6dfdc2e9d9a',
          type: RelationType.MANY_TO_ONE,
          label: 'Parent',
          inverseSideTarget: () => FieldAndRelationCompanyEntity,
          inverseSideFieldKey: 'parent',
        })
        parent: object | null;
      }

      const error = buildError({ entities: [FieldAndRelationCompanyEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'FieldAndRelationCompanyEntity', propertyName: 'parent', rule: 'duplicate-field-name' },
        'FieldAndRelationCompanyEntity.parent [duplicate-field-name]',
      );
    });
  });
});
