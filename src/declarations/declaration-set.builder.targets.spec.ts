import { DeclarationSetBuilder } from './declaration-set.builder';
import { buildError, expectIssue, object, SpecBaseEntity } from './declaration-set.spec-support';
import { WorkspaceEntity, WorkspaceField, WorkspaceRelation, WorkspaceTargets } from './decorators/workspace.decorators';
import { FieldType, OnDeleteAction, RelationType } from './field-type';

/** `@WorkspaceTargets`: a polymorphic target object declared once (declaration-set.spec-support.ts on the classes). */
describe('DeclarationSetBuilder: @WorkspaceTargets', () => {
  const IDS = {
    deal: '6d0c2a56-8f0e-4a57-9d2e-0b5a3c1e7f01',
    account: '6d0c2a56-8f0e-4a57-9d2e-0b5a3c1e7f02',
    dealTarget: '6d0c2a56-8f0e-4a57-9d2e-0b5a3c1e7f03',
    dealTargetDeal: '6d0c2a56-8f0e-4a57-9d2e-0b5a3c1e7f04',
    dealTargetAccount: '6d0c2a56-8f0e-4a57-9d2e-0b5a3c1e7f05',
    dealTargets: '6d0c2a56-8f0e-4a57-9d2e-0b5a3c1e7f06',
    accountTargets: '6d0c2a56-8f0e-4a57-9d2e-0b5a3c1e7f07',
    customTargets: '6d0c2a56-8f0e-4a57-9d2e-0b5a3c1e7f08',
    customName: '6d0c2a56-8f0e-4a57-9d2e-0b5a3c1e7f09',
    memo: '6d0c2a56-8f0e-4a57-9d2e-0b5a3c1e7f0a',
  };

  it('becomes a nullable, indexed relation to each object and the shared field of custom objects', () => {
    @WorkspaceEntity(object(IDS.deal, 'deal', 'deals', { icon: 'IconDeal' }))
    class DealEntity extends SpecBaseEntity {
      @WorkspaceRelation({
        standardId: IDS.dealTargets,
        type: RelationType.ONE_TO_MANY,
        label: 'Targets',
        inverseSideTarget: () => TargetEntity,
        inverseSideFieldKey: 'deal',
      })
      targets: object[];
    }

    @WorkspaceEntity(object(IDS.account, 'account', 'accounts'))
    class AccountEntity extends SpecBaseEntity {
      @WorkspaceRelation({
        standardId: IDS.accountTargets,
        type: RelationType.ONE_TO_MANY,
        label: 'Targets',
        inverseSideTarget: () => TargetEntity,
        inverseSideFieldKey: 'account',
      })
      targets: object[];
    }

    @WorkspaceEntity(object(IDS.dealTarget, 'target', 'targets'))
    @WorkspaceTargets({
      objects: () => [DealEntity, AccountEntity],
      standardIds: { deal: IDS.dealTargetDeal, account: IDS.dealTargetAccount },
      inverseSideFieldKey: 'targets',
      description: (name) => `Target ${name}`,
      customObjects: { standardId: IDS.customTargets, label: 'Targets', icon: 'IconTarget' },
    })
    class TargetEntity extends SpecBaseEntity {
      @WorkspaceField({ standardId: IDS.memo, type: FieldType.TEXT, label: 'Memo', defaultValue: '' })
      memo: string;
    }

    abstract class CustomBase extends SpecBaseEntity {
      @WorkspaceField({ standardId: IDS.customName, type: FieldType.TEXT, label: 'Name', defaultValue: '' })
      name: string;
    }

    const declared = DeclarationSetBuilder.build({ entities: [DealEntity, AccountEntity, TargetEntity], customObjectBase: CustomBase });
    const target = declared.objects.find((candidate) => candidate.nameSingular === 'target')!;
    expect(target.fields.map((field) => field.name)).toEqual(['memo', 'deal', 'account', 'id']);
    expect(target.fields.find((field) => field.name === 'deal')).toMatchObject({
      standardId: IDS.dealTargetDeal,
      type: FieldType.RELATION,
      label: 'deal',
      description: 'Target deal',
      icon: 'IconDeal',
      isNullable: true,
      relation: { type: RelationType.MANY_TO_ONE, targetObject: 'deal', inverseFieldName: 'targets', onDelete: OnDeleteAction.CASCADE },
    });
    expect(target.indexes.map((index) => [index.name, index.fields])).toEqual([
      ['IDX_target_dealId', ['deal']],
      ['IDX_target_accountId', ['account']],
    ]);
    expect(declared.customObjectFields.map((field) => field.name)).toEqual(['name', 'targets', 'id']);
    expect(declared.customObjectFields[1]).toMatchObject({
      standardId: IDS.customTargets,
      label: 'Targets',
      icon: 'IconTarget',
      relation: { type: RelationType.ONE_TO_MANY, targetObject: 'target', inverseFieldName: null },
    });
  });

  it('refuses an object without its standardId, an object that is no entity, and a targeted object without its inverse', () => {
    @WorkspaceEntity(object(IDS.deal, 'deal', 'deals'))
    class LonelyDealEntity extends SpecBaseEntity {}

    @WorkspaceEntity(object(IDS.account, 'account', 'accounts'))
    class UnnamedAccountEntity extends SpecBaseEntity {}

    class NotAnEntity {}

    @WorkspaceEntity(object(IDS.dealTarget, 'target', 'targets'))
    @WorkspaceTargets({
      objects: () => [LonelyDealEntity, UnnamedAccountEntity, NotAnEntity],
      standardIds: { deal: IDS.dealTargetDeal },
      inverseSideFieldKey: 'targets',
    })
    class BrokenTargetEntity extends SpecBaseEntity {}

    const error = buildError({ entities: [LonelyDealEntity, UnnamedAccountEntity, BrokenTargetEntity] });
    expectIssue(
      error,
      { className: 'BrokenTargetEntity', propertyName: null, rule: 'invalid-standard-id' },
      'BrokenTargetEntity [invalid-standard-id]: @WorkspaceTargets gives no standardId for account',
    );
    expectIssue(
      error,
      { className: 'BrokenTargetEntity', propertyName: null, rule: 'relation-target-unknown' },
      'BrokenTargetEntity [relation-target-unknown]: @WorkspaceTargets names NotAnEntity, which has no @WorkspaceEntity',
    );
    expect(error.issues.filter((issue) => issue.className === 'BrokenTargetEntity' && issue.propertyName === 'deal')).toEqual([
      expect.objectContaining({ rule: 'relation-inverse-missing' }),
    ]);
  });

  it('refuses custom objects as targets in a set without a custom-object base', () => {
    @WorkspaceEntity(object(IDS.dealTarget, 'target', 'targets'))
    @WorkspaceTargets({
      objects: () => [],
      standardIds: {},
      inverseSideFieldKey: 'targets',
      customObjects: { standardId: IDS.customTargets, label: 'Targets' },
    })
    class CustomOnlyTargetEntity extends SpecBaseEntity {}

    expectIssue(
      buildError({ entities: [CustomOnlyTargetEntity] }),
      { className: 'CustomOnlyTargetEntity', propertyName: null, rule: 'relation-target-unknown' },
      'CustomOnlyTargetEntity [relation-target-unknown]: @WorkspaceTargets targets custom objects, but the set has no custom-object base',
    );
  });
});
