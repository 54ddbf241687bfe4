import { DeclarationSetBuilder, DeclarationSetInput } from './declaration-set.builder';
import { DeclarationError, DeclarationIssue } from './declaration.error';
import { WorkspaceEntityOptions } from './declaration.storage';
import {
  WorkspaceEntity,
  WorkspaceField,
  WorkspaceIndex,
  WorkspaceIsInactive,
  WorkspaceIsNullable,
  WorkspaceRelation,
} from './decorators/workspace.decorators';
import { FieldType, OnDeleteAction, RelationType } from './field-type';
import { fieldColumns, indexName } from './column-names';

/**
 * Every test declares its own classes: the decorator storage is keyed by class object, so sets
 * never leak into each other. Relation properties are typed `object`, not as the target class,
 * because emitted decorator metadata would read a class declared further down (TDZ).
 */

const SPEC_BASE_ID_STANDARD_ID = '45277723-accd-4948-9f51-2af70e490b49';

abstract class SpecBaseEntity {
  @WorkspaceField({ standardId: SPEC_BASE_ID_STANDARD_ID, type: FieldType.UUID, label: 'Id', defaultValue: 'uuid' })
  id: string;
}

const object = (
  standardId: string,
  nameSingular: string,
  namePlural: string,
  extra: Partial<WorkspaceEntityOptions> = {},
): WorkspaceEntityOptions => ({
  standardId,
  nameSingular,
  namePlural,
  labelSingular: nameSingular,
  labelPlural: namePlural,
  ...extra,
});

/** Builds the set and returns the DeclarationError it must throw. */
const buildError = (input: DeclarationSetInput): DeclarationError => {
  let thrown: unknown;
  try {
    DeclarationSetBuilder.build(input);
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof DeclarationError)) {
    throw new Error(`expected a DeclarationError, got ${thrown === undefined ? 'no error' : String(thrown)}`);
  }
  return thrown;
};

/** The structured issue must be listed, and the message must show it as a person reads it. */
const expectIssue = (
  error: DeclarationError,
  issue: Pick<DeclarationIssue, 'className' | 'propertyName' | 'rule'>,
  formatted: string,
): void => {
  expect(error.issues).toContainEqual(expect.objectContaining(issue));
  expect(error.message).toContain(formatted);
};

describe('DeclarationSetBuilder', () => {
  describe('accepts a valid set', () => {
    it('builds plain data with columns, relation defaults, inactive fields and index names', () => {
      @WorkspaceEntity(object('694e0a0f-7f8f-4edd-83e7-6f4ea5bab800', 'company', 'companies'))
      class ValidCompanyEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '4920f888-99d0-4600-8a6d-ab26d765bbc5', type: FieldType.TEXT, label: 'Name', defaultValue: '' })
        @WorkspaceIndex({ isUnique: true })
        name: string;

        @WorkspaceRelation({
          standardId: '41ad7bf4-e838-430b-b6e0-d9ed13940e12',
          type: RelationType.ONE_TO_MANY,
          label: 'People',
          inverseSideTarget: () => ValidPersonEntity,
          inverseSideFieldKey: 'company',
        })
        people: object[];
      }

      @WorkspaceEntity(object('dac32dc0-1cc2-4bfa-9764-a2a9bd664914', 'person', 'people', { labelIdentifierStandardId: 'f6ab6232-c007-41d6-811d-70c3d7df773f' }))
      @WorkspaceIndex(['name', 'company'])
      class ValidPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: 'f6ab6232-c007-41d6-811d-70c3d7df773f', type: FieldType.FULL_NAME, label: 'Name' })
        name: object;

        @WorkspaceField({ standardId: '73890bbf-48c0-438d-9b4c-72b734fd99a6', type: FieldType.NUMBER, label: 'Score', defaultValue: 0 })
        @WorkspaceIsInactive()
        score: number;

        @WorkspaceRelation({
          standardId: '763d8feb-dae3-4c73-a241-f0c2b83c9b7c',
          type: RelationType.MANY_TO_ONE,
          label: 'Company',
          inverseSideTarget: () => ValidCompanyEntity,
          inverseSideFieldKey: 'people',
        })
        company: object | null;
      }

      const schema = DeclarationSetBuilder.build({ entities: [ValidCompanyEntity, ValidPersonEntity], version: '0.23' });

      expect(schema.version).toBe('0.23');
      expect(schema.customObjectFields).toEqual([]);
      const [company, person] = schema.objects;
      expect(company.nameSingular).toBe('company');
      expect(company.fields.map((field) => field.name)).toEqual(['name', 'people', 'id']);
      expect(person.fields.map((field) => field.name)).toEqual(['name', 'score', 'company', 'id']);
      expect(person.labelIdentifierStandardId).toBe('f6ab6232-c007-41d6-811d-70c3d7df773f');

      const personField = (name: string) => person.fields.find((field) => field.name === name)!;
      const companyField = (name: string) => company.fields.find((field) => field.name === name)!;
      expect(fieldColumns(personField('name'))).toEqual(['nameFirstName', 'nameLastName']);
      expect(fieldColumns(personField('company'))).toEqual(['companyId']);
      expect(fieldColumns(companyField('people'))).toEqual([]);
      expect(fieldColumns(personField('score'))).toEqual(['score']);

      expect(personField('company')).toMatchObject({
        type: FieldType.RELATION,
        isNullable: true,
        relation: {
          type: RelationType.MANY_TO_ONE,
          targetObject: 'company',
          inverseFieldName: 'people',
          onDelete: OnDeleteAction.SET_NULL,
        },
      });
      expect(companyField('people').relation).toEqual({
        type: RelationType.ONE_TO_MANY,
        targetObject: 'person',
        inverseFieldName: 'company',
      });
      expect(personField('score').isActive).toBe(false);
      expect(personField('name').isActive).toBe(true);
      expect(personField('id')).toMatchObject({ type: FieldType.UUID, defaultValue: 'uuid', isNullable: false });

      expect(company.indexes).toEqual([
        { name: indexName('company', ['name'], true), fields: ['name'], isUnique: true, where: null },
      ]);
      expect(company.indexes[0].name).toBe('IDX_UNIQUE_company_name');
      expect(person.indexes).toEqual([
        {
          name: 'IDX_person_nameFirstName_nameLastName_companyId',
          fields: ['name', 'company'],
          isUnique: false,
          where: null,
        },
      ]);
      expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    });

    it('lets a custom-object base declare a relation without an inverse field key', () => {
      @WorkspaceEntity(object('2d94c309-0ea3-48e1-8001-ac9296e3e9ea', 'member', 'members'))
      class CustomTargetMemberEntity extends SpecBaseEntity {}

      class CustomObjectSpecBase extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '02b09007-48a5-4416-a662-e08a4020e2c3',
          type: RelationType.MANY_TO_ONE,
          label: 'Owner',
          inverseSideTarget: () => CustomTargetMemberEntity,
          onDelete: OnDeleteAction.CASCADE,
        })
        owner: object | null;
      }

      const schema = DeclarationSetBuilder.build({
        entities: [CustomTargetMemberEntity],
        customObjectBase: CustomObjectSpecBase,
      });

      expect(schema.customObjectFields.map((field) => field.name)).toEqual(['owner', 'id']);
      expect(schema.customObjectFields[0].relation).toEqual({
        type: RelationType.MANY_TO_ONE,
        targetObject: 'member',
        inverseFieldName: null,
        onDelete: OnDeleteAction.CASCADE,
      });
    });

    it('lets objects share the fields of their common base class', () => {
      @WorkspaceEntity(object('92f352ba-c1c6-4b21-8cfc-e2c67d763956', 'task', 'tasks'))
      class SharedBaseTaskEntity extends SpecBaseEntity {}

      @WorkspaceEntity(object('1c7cb7c8-8997-46ce-a7b6-3352973f5c9a', 'note', 'notes'))
      class SharedBaseNoteEntity extends SpecBaseEntity {}

      const schema = DeclarationSetBuilder.build({ entities: [SharedBaseTaskEntity, SharedBaseNoteEntity] });

      expect(schema.objects.map((o) => o.fields.map((field) => field.standardId))).toEqual([
        [SPEC_BASE_ID_STANDARD_ID],
        [SPEC_BASE_ID_STANDARD_ID],
      ]);
    });
  });

  describe('rejects an invalid set', () => {
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

    it('duplicate-standard-id: a field standardId reused in another object', () => {
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

      const error = buildError({ entities: [ReusedFieldCompanyEntity, ReusedFieldPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'ReusedFieldPersonEntity', propertyName: 'email', rule: 'duplicate-standard-id' },
        'ReusedFieldPersonEntity.email [duplicate-standard-id]',
      );
      expect(error.message).toContain('ReusedFieldCompanyEntity.domain');
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

    it('invalid-name: a snake_case object name', () => {
      @WorkspaceEntity(object('c708c121-166f-4576-9f73-e6ec79be5066', 'sales_lead', 'salesLeads'))
      class SnakeCaseSalesLeadEntity extends SpecBaseEntity {}

      const error = buildError({ entities: [SnakeCaseSalesLeadEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'SnakeCaseSalesLeadEntity', propertyName: null, rule: 'invalid-name' },
        'SnakeCaseSalesLeadEntity [invalid-name]',
      );
      expect(error.message).toContain('"sales_lead"');
    });

    it('invalid-name: an object name with a leading digit', () => {
      @WorkspaceEntity(object('005cda5a-a938-4976-a87c-8f0615e311e2', 'model', '3dModels'))
      class LeadingDigitModelEntity extends SpecBaseEntity {}

      const error = buildError({ entities: [LeadingDigitModelEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'LeadingDigitModelEntity', propertyName: null, rule: 'invalid-name' },
        'LeadingDigitModelEntity [invalid-name]',
      );
      expect(error.message).toContain('"3dModels"');
    });

    it('invalid-name: a snake_case field name', () => {
      @WorkspaceEntity(object('eec3ffbe-2474-49ba-bf11-b7da25bb2f2a', 'person', 'people'))
      class SnakeFieldPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: 'a6d14136-48ba-4447-ad01-7aa5074fdb82', type: FieldType.TEXT, label: 'First name', defaultValue: '' })
        first_name: string;
      }

      const error = buildError({ entities: [SnakeFieldPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'SnakeFieldPersonEntity', propertyName: 'first_name', rule: 'invalid-name' },
        'SnakeFieldPersonEntity.first_name [invalid-name]',
      );
    });

    it('invalid-name: a field name with a leading digit', () => {
      @WorkspaceEntity(object('1797ca59-658b-43b2-abc7-57339b59985f', 'person', 'people'))
      class DigitFieldPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: 'ee70aacd-0560-4940-bd4d-21e854de9d28', type: FieldType.TEXT, label: 'Second email', defaultValue: '' })
        '2ndEmail': string;
      }

      const error = buildError({ entities: [DigitFieldPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'DigitFieldPersonEntity', propertyName: '2ndEmail', rule: 'invalid-name' },
        'DigitFieldPersonEntity.2ndEmail [invalid-name]',
      );
    });

    it('invalid-name: a field name with a quote', () => {
      @WorkspaceEntity(object('1f0b9cdb-d19f-4dd8-8479-20759ecd2cf6', 'person', 'people'))
      class QuoteFieldPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '94a627c1-f3ca-41f0-b4e4-a87796dcfa1f', type: FieldType.TEXT, label: 'Name', defaultValue: '' })
        'na"me': string;
      }

      const error = buildError({ entities: [QuoteFieldPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'QuoteFieldPersonEntity', propertyName: 'na"me', rule: 'invalid-name' },
        'QuoteFieldPersonEntity.na"me [invalid-name]',
      );
    });

    it('invalid-name: a field name with a space', () => {
      @WorkspaceEntity(object('204e7590-cd4b-48c1-a4f2-8acc73be1256', 'person', 'people'))
      class SpaceFieldPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: 'ccc9ca45-869f-4f0e-9083-871be27dbf7f', type: FieldType.TEXT, label: 'Job title', defaultValue: '' })
        'job title': string;
      }

      const error = buildError({ entities: [SpaceFieldPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'SpaceFieldPersonEntity', propertyName: 'job title', rule: 'invalid-name' },
        'SpaceFieldPersonEntity.job title [invalid-name]',
      );
    });

    it('reserved-name: a field named like a Postgres system column', () => {
      @WorkspaceEntity(object('0ea8e049-34c6-4b58-92cc-eeb4f59f386b', 'person', 'people'))
      class SystemColumnPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '23472762-c76f-4b79-b392-ad2c04d13513', type: FieldType.NUMBER, label: 'Xmin', defaultValue: 0 })
        xmin: number;
      }

      const error = buildError({ entities: [SystemColumnPersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'SystemColumnPersonEntity', propertyName: 'xmin', rule: 'reserved-name' },
        'SystemColumnPersonEntity.xmin [reserved-name]',
      );
    });

    it('reserved-name: an object named workspace', () => {
      @WorkspaceEntity(object('96b11d72-2d0b-41a2-821c-a4d79aa741cd', 'workspace', 'workspaceEntries'))
      class ReservedWorkspaceEntity extends SpecBaseEntity {}

      const error = buildError({ entities: [ReservedWorkspaceEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'ReservedWorkspaceEntity', propertyName: null, rule: 'reserved-name' },
        'ReservedWorkspaceEntity [reserved-name]',
      );
    });

    it('name-too-long: a field name of 63 characters', () => {
      @WorkspaceEntity(object('706bee02-f122-41b0-8b45-1f8053957355', 'ticket', 'tickets'))
      class LongFieldTicketEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: 'c54058d4-5462-46ae-a941-e6a5e0067913', type: FieldType.NUMBER, label: 'Average reply time', defaultValue: 0 })
        averageFirstReplyTimeInBusinessHoursAcrossEveryOpenTicketToDate: number;
      }

      const error = buildError({ entities: [LongFieldTicketEntity] });

      expect('averageFirstReplyTimeInBusinessHoursAcrossEveryOpenTicketToDate').toHaveLength(63);
      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        {
          className: 'LongFieldTicketEntity',
          propertyName: 'averageFirstReplyTimeInBusinessHoursAcrossEveryOpenTicketToDate',
          rule: 'name-too-long',
        },
        'LongFieldTicketEntity.averageFirstReplyTimeInBusinessHoursAcrossEveryOpenTicketToDate [name-too-long]',
      );
    });

    it('name-too-long: an object name of 63 characters', () => {
      const longName = 'quarterlyRevenueForecastAdjustedForSeasonalityAndChurnEstimates';

      @WorkspaceEntity(object('1a2652e6-6120-4553-bd0d-86690f979734', longName, 'forecasts'))
      class LongObjectNameEntity extends SpecBaseEntity {}

      const error = buildError({ entities: [LongObjectNameEntity] });

      expect(longName).toHaveLength(63);
      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'LongObjectNameEntity', propertyName: null, rule: 'name-too-long' },
        'LongObjectNameEntity [name-too-long]',
      );
    });

    it('name-too-long: a composite column beyond 63 characters', () => {
      // A 49-character name + 'AddressPostcode' (15) = 64; every other ADDRESS column fits in 63.
      @WorkspaceEntity(object('21db264f-fcbb-4a41-a8e9-d1994817200b', 'company', 'companies'))
      class LongColumnCompanyEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: 'e063f987-e484-46aa-8c68-5cd221983638', type: FieldType.ADDRESS, label: 'Address' })
        registeredHeadquarterAddressesOfTheHoldingCompany: object;
      }

      const error = buildError({ entities: [LongColumnCompanyEntity] });

      expect('registeredHeadquarterAddressesOfTheHoldingCompany').toHaveLength(49);
      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        {
          className: 'LongColumnCompanyEntity',
          propertyName: 'registeredHeadquarterAddressesOfTheHoldingCompany',
          rule: 'name-too-long',
        },
        'LongColumnCompanyEntity.registeredHeadquarterAddressesOfTheHoldingCompany [name-too-long]',
      );
      expect(error.message).toContain('column "registeredHeadquarterAddressesOfTheHoldingCompanyAddressPostcode"');
    });

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

    it('relation-on-delete-invalid: onDelete on the ONE_TO_MANY side', () => {
      @WorkspaceEntity(object('f2f53ecf-9a26-4cc2-ba7a-57c220940633', 'company', 'companies'))
      class CascadeCompanyEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '35c55379-b6ba-4486-ae7d-ef4d8cc66ea4',
          type: RelationType.ONE_TO_MANY,
          label: 'People',
          inverseSideTarget: () => CascadePersonEntity,
          inverseSideFieldKey: 'company',
          onDelete: OnDeleteAction.CASCADE,
        })
        people: object[];
      }

      @WorkspaceEntity(object('7a6b6aa8-d790-4125-8276-75020d6ff2b6', 'person', 'people'))
      class CascadePersonEntity extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '4e70def0-0ddd-446b-80d4-f26e80131985',
          type: RelationType.MANY_TO_ONE,
          label: 'Company',
          inverseSideTarget: () => CascadeCompanyEntity,
          inverseSideFieldKey: 'people',
        })
        company: object | null;
      }

      const error = buildError({ entities: [CascadeCompanyEntity, CascadePersonEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'CascadeCompanyEntity', propertyName: 'people', rule: 'relation-on-delete-invalid' },
        'CascadeCompanyEntity.people [relation-on-delete-invalid]',
      );
    });

    it('invalid-default-value: a NUMBER default that is a string', () => {
      @WorkspaceEntity(object('80b0b112-00d1-4028-9438-8726e5214e1d', 'deal', 'deals'))
      class StringNumberDealEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '57cc794d-8f6f-452e-9a0c-992178c938c5', type: FieldType.NUMBER, label: 'Amount', defaultValue: 'abc' })
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

    it('invalid-option-value: a lowercase option value', () => {
      @WorkspaceEntity(object('5eb2fd89-fbd0-4585-a2fe-519a061ed0b5', 'deal', 'deals'))
      class LowercaseOptionDealEntity extends SpecBaseEntity {
        @WorkspaceField({
          standardId: '47f9438f-cf98-4fa4-937b-21ebf72ce62f',
          type: FieldType.SELECT,
          label: 'Stage',
          defaultValue: 'NEW',
          options: [
            { value: 'NEW', label: 'New', position: 0 },
            { value: 'won', label: 'Won', position: 1 },
          ],
        })
        stage: string;
      }

      const error = buildError({ entities: [LowercaseOptionDealEntity] });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'LowercaseOptionDealEntity', propertyName: 'stage', rule: 'invalid-option-value' },
        'LowercaseOptionDealEntity.stage [invalid-option-value]',
      );
      expect(error.message).toContain('"won"');
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
      @WorkspaceEntity(object('c1c29310-6638-4440-bddf-399e512262b9', 'invoice', 'invoices', { labelIdentifierStandardId: '9b754494-b0be-4f39-957c-5ebf10a962be' }))
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
      @WorkspaceEntity(object('15d7efd1-f47b-4ce7-9839-0c2b899b8111', 'invoice', 'invoices', { labelIdentifierStandardId: '951440f0-7c3f-473b-acee-896b14f05aa8' }))
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

    it('names the custom-object base class in issues about its fields', () => {
      @WorkspaceEntity(object('3896ce2c-9ab8-417c-a2cf-11d96808acb1', 'member', 'members'))
      class CustomBaseTargetEntity extends SpecBaseEntity {}

      class BrokenCustomObjectBase extends SpecBaseEntity {
        @WorkspaceField({ standardId: 'e99f5878-bcad-48ae-9f50-346b1e34a22f', type: FieldType.POSITION, label: 'Position', defaultValue: 'first' })
        position: number;
      }

      const error = buildError({ entities: [CustomBaseTargetEntity], customObjectBase: BrokenCustomObjectBase });

      expect(error.issues).toHaveLength(1);
      expectIssue(
        error,
        { className: 'BrokenCustomObjectBase', propertyName: 'position', rule: 'invalid-default-value' },
        'BrokenCustomObjectBase.position [invalid-default-value]',
      );
    });

    it('reports every problem of a set together', () => {
      @WorkspaceEntity(object('7bf2405a-6a93-4e4b-bffe-b79e9f0c4df3', 'opportunity', 'opportunity'))
      class ManyProblemsOpportunityEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '7e82d42a-672a-4c5a-96a3-7209ba9854a6', type: FieldType.NUMBER, label: 'Amount', defaultValue: 'abc' })
        amount: number;

        @WorkspaceField({ standardId: '5ac801f9-7900-4af7-b7c0-133206d62ece', type: FieldType.TEXT, label: 'Stage' })
        stage_name: string;
      }

      class ManyProblemsUndecoratedEntity {}

      const error = buildError({ entities: [ManyProblemsOpportunityEntity, ManyProblemsUndecoratedEntity] });

      expect(error.issues).toHaveLength(5);
      expect(error.message).toContain('Invalid declarations (5 issues)');
      expectIssue(
        error,
        { className: 'ManyProblemsOpportunityEntity', propertyName: 'amount', rule: 'invalid-default-value' },
        'ManyProblemsOpportunityEntity.amount [invalid-default-value]',
      );
      expectIssue(
        error,
        { className: 'ManyProblemsOpportunityEntity', propertyName: 'stage_name', rule: 'invalid-name' },
        'ManyProblemsOpportunityEntity.stage_name [invalid-name]',
      );
      expectIssue(
        error,
        { className: 'ManyProblemsOpportunityEntity', propertyName: 'stage_name', rule: 'non-nullable-without-default' },
        'ManyProblemsOpportunityEntity.stage_name [non-nullable-without-default]',
      );
      expectIssue(
        error,
        { className: 'ManyProblemsOpportunityEntity', propertyName: null, rule: 'duplicate-object-name' },
        'ManyProblemsOpportunityEntity [duplicate-object-name]',
      );
      expectIssue(
        error,
        { className: 'ManyProblemsUndecoratedEntity', propertyName: null, rule: 'missing-entity-decorator' },
        'ManyProblemsUndecoratedEntity [missing-entity-decorator]',
      );
    });
  });
});
