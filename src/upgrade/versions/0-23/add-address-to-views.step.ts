import { COMPANY_STANDARD_FIELD_IDS } from '../../../standard-objects/standard-ids.constant';
import { StepReport, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';
import { placeFieldBeforeInViews } from '../../steps/view-placement';
import { COMPANY } from './snapshot-shapes';
import { ADDRESS_OLD_NAME } from './deprecate-company-address.step';

/**
 * After sync: the new `address` goes into every view that shows `addressOld`, right before it,
 * the following fields moving one position on so that no two fields share a position.
 */
export const addAddressToViews: UpgradeStep = {
  version: '0.23',
  name: 'add-address-to-views',
  phase: 'after-sync',
  description: 'Place the new company address in every view that shows addressOld, right before it',
  definition: { revision: 1, field: COMPANY_STANDARD_FIELD_IDS.address, before: ADDRESS_OLD_NAME },
  async run(context: UpgradeStepContext): Promise<StepReport> {
    return context.transaction(async (manager) => {
      const fields: Array<{ id: string; name: string; isCustom: boolean }> = await manager.query(
        `SELECT f."id", f."name", f."isCustom" FROM metadata."fieldMetadata" f
           JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
          WHERE f."workspaceId" = $1 AND o."standardId" = $2 AND NOT o."isCustom"
            AND ((f."name" = $3 AND f."isCustom") OR (f."standardId" = $4 AND NOT f."isCustom"))`,
        [context.workspace.id, COMPANY, ADDRESS_OLD_NAME, COMPANY_STANDARD_FIELD_IDS.address],
      );
      const oldField = fields.find((field) => field.isCustom);
      const newField = fields.find((field) => !field.isCustom);
      if (!oldField || !newField) {
        return { rowsAffected: 0, notes: ['no addressOld field: nothing to place'], maxBatchMs: 0 };
      }
      const placed = await placeFieldBeforeInViews(manager, context.workspace, newField.id, oldField.id);
      // Counted with the change itself: a run stopped before the step is marked done counts it on the rerun, which finds nothing left to place.
      await context.ledger(manager).addRows(context.entry.id, placed);
      return { rowsAffected: placed, notes: [`address placed in ${placed} view(s) before addressOld`], maxBatchMs: 0 };
    });
  },
};
