import { qualified } from '../../../database/sql';
import { COMPANY_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from '../../../standard-objects/standard-ids.constant';
import { StepReport, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';
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
      const tables: Array<{ tableName: string; standardId: string }> = await manager.query(
        `SELECT "tableName", "standardId" FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "standardId" = ANY($2::uuid[]) AND NOT "isCustom"`,
        [context.workspace.id, [STANDARD_OBJECT_IDS.viewField]],
      );
      const viewFieldTable = qualified(context.workspace.schemaName, tables[0].tableName);
      const targets: Array<{ viewId: string; position: number; isVisible: boolean; size: number }> = await manager.query(
        `SELECT old."viewId", old."position", old."isVisible", old."size" FROM ${viewFieldTable} old
          WHERE old."fieldMetadataId" = $1 AND old."deletedAt" IS NULL
            AND NOT EXISTS (SELECT 1 FROM ${viewFieldTable} n WHERE n."viewId" = old."viewId" AND n."fieldMetadataId" = $2 AND n."deletedAt" IS NULL)`,
        [oldField.id, newField.id],
      );
      for (const target of targets) {
        await manager.query(`UPDATE ${viewFieldTable} SET "position" = "position" + 1 WHERE "viewId" = $1 AND "position" >= $2`, [target.viewId, target.position]);
        await manager.query(
          `INSERT INTO ${viewFieldTable} ("fieldMetadataId", "viewId", "position", "isVisible", "size") VALUES ($1, $2, $3, $4, $5)`,
          [newField.id, target.viewId, target.position, target.isVisible, target.size],
        );
      }
      // Counted with the change itself: a run stopped before the step is marked done counts it on the rerun, which finds nothing left to place.
      await context.ledger(manager).addRows(context.entry.id, targets.length);
      return { rowsAffected: targets.length, notes: [`address placed in ${targets.length} view(s) before addressOld`], maxBatchMs: 0 };
    });
  },
};
