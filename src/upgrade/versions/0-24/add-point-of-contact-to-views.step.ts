import { OPPORTUNITY_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from '../../../standard-objects/standard-ids.constant';
import { StepReport, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';
import { placeFieldBeforeInViews } from '../../steps/view-placement';

/**
 * After sync: the new `pointOfContact` relation goes into every view that shows the deprecated
 * `pointOfContactEmail`, right before it, so users see the person next to the text it came from.
 */
export const addPointOfContactToViews: UpgradeStep = {
  version: '0.24',
  name: 'add-point-of-contact-to-views',
  phase: 'after-sync',
  description: 'Place opportunity.pointOfContact in every view that shows pointOfContactEmail, right before it',
  definition: {
    revision: 1,
    field: OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContact,
    before: OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContactEmail,
  },
  async run(context: UpgradeStepContext): Promise<StepReport> {
    return context.transaction(async (manager) => {
      const fields: Array<{ id: string; standardId: string }> = await manager.query(
        `SELECT f."id", f."standardId" FROM metadata."fieldMetadata" f
           JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
          WHERE f."workspaceId" = $1 AND o."standardId" = $2 AND NOT o."isCustom" AND f."standardId" = ANY($3::uuid[])`,
        [
          context.workspace.id,
          STANDARD_OBJECT_IDS.opportunity,
          [OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContact, OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContactEmail],
        ],
      );
      const relation = fields.find((field) => field.standardId === OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContact);
      const email = fields.find((field) => field.standardId === OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContactEmail);
      if (!relation || !email) {
        return { rowsAffected: 0, notes: ['no pointOfContactEmail field: nothing to place'], maxBatchMs: 0 };
      }
      const placed = await placeFieldBeforeInViews(manager, context.workspace, relation.id, email.id);
      await context.ledger(manager).addRows(context.entry.id, placed);
      return { rowsAffected: placed, notes: [`pointOfContact placed in ${placed} view(s) before pointOfContactEmail`], maxBatchMs: 0 };
    });
  },
};
