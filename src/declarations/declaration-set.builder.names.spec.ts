import { buildError, expectIssue, object, SpecBaseEntity } from './declaration-set.spec-support';
import { WorkspaceEntity, WorkspaceField } from './decorators/workspace.decorators';
import { FieldType } from './field-type';

/**
 * Every test declares its own classes: the decorator storage is keyed by class object, so sets
 * never leak into each other (declaration-set.spec-support.ts says more).
 */

describe('DeclarationSetBuilder', () => {
  describe('rejects an invalid set: names', () => {
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
        @WorkspaceField({
          standardId: 'ee70aacd-0560-4940-bd4d-21e854de9d28',
          type: FieldType.TEXT,
          label: 'Second email',
          defaultValue: '',
        })
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
        @WorkspaceField({
          standardId: 'c54058d4-5462-46ae-a941-e6a5e0067913',
          type: FieldType.NUMBER,
          label: 'Average reply time',
          defaultValue: 0,
        })
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
  });
});
