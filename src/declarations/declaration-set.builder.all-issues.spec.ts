import { buildError, expectIssue, object, SpecBaseEntity } from './declaration-set.spec-support';
import { WorkspaceEntity, WorkspaceField } from './decorators/workspace.decorators';
import { FieldType } from './field-type';

/**
 * Every test declares its own classes: the decorator storage is keyed by class object, so sets
 * never leak into each other (declaration-set.spec-support.ts says more).
 */

describe('DeclarationSetBuilder', () => {
  describe('rejects an invalid set: what every issue names', () => {
    it('names the custom-object base class in issues about its fields', () => {
      @WorkspaceEntity(object('3896ce2c-9ab8-417c-a2cf-11d96808acb1', 'member', 'members'))
      class CustomBaseTargetEntity extends SpecBaseEntity {}

      class BrokenCustomObjectBase extends SpecBaseEntity {
        @WorkspaceField({
          standardId: 'e99f5878-bcad-48ae-9f50-346b1e34a22f',
          type: FieldType.POSITION,
          label: 'Position',
          defaultValue: 'first',
        })
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
        @WorkspaceField({
          standardId: '7e82d42a-672a-4c5a-96a3-7209ba9854a6',
          type: FieldType.NUMBER,
          label: 'Amount',
          defaultValue: 'abc',
        })
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
