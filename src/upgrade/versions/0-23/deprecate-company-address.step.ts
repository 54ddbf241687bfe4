import { FieldType } from '../../../declarations/field-type';
import { qualified, quoteIdentifier } from '../../../database/sql';
import { COMPANY_STANDARD_FIELD_IDS } from '../../../standard-objects/standard-ids.constant';
import { StepReport, UpgradePreflightContext, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';
import { COMPANY, snapshotField } from './snapshot-shapes';

const from = snapshotField('0.22', COMPANY, COMPANY_STANDARD_FIELD_IDS.address);
export const ADDRESS_OLD_NAME = 'addressOld';
export const ADDRESS_OLD_LABEL = 'Address (Deprecated)';
const CLASH = `company already has a field "${ADDRESS_OLD_NAME}"; rename it, then run the step again`;

/**
 * Company `address` TEXT -> ADDRESS without moving data: the old field becomes the custom,
 * deprecated `addressOld` with its values untouched; the sync that follows creates the new
 * standard `address`.
 */
export const deprecateCompanyAddress: UpgradeStep = {
  version: '0.23',
  name: 'deprecate-company-address',
  phase: 'before-sync',
  description: 'Keep the TEXT company address as the deprecated custom field addressOld, making room for the ADDRESS field',
  definition: {
    revision: 1,
    standardId: from.standardId,
    from: { name: from.name, type: from.type },
    to: { name: ADDRESS_OLD_NAME, label: ADDRESS_OLD_LABEL },
  },
  async preflight({ state }: UpgradePreflightContext): Promise<string[]> {
    const company = state.objects.find((object) => object.standardId === COMPANY && !object.isCustom);
    const address = company?.fields.find(
      (field) => field.standardId === from.standardId && !field.isCustom && field.type === FieldType.TEXT && field.name === from.name,
    );
    return address && company!.fields.some((field) => field.name === ADDRESS_OLD_NAME) ? [CLASH] : [];
  },
  async run(context: UpgradeStepContext): Promise<StepReport> {
    return context.transaction(async (manager) => {
      const [field]: Array<{ id: string; tableName: string; objectMetadataId: string }> = await manager.query(
        `SELECT f."id", o."tableName", o."id" AS "objectMetadataId"
           FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
          WHERE f."workspaceId" = $1 AND o."standardId" = $2 AND NOT o."isCustom"
            AND f."standardId" = $3 AND NOT f."isCustom" AND f."type" = $4 AND f."name" = $5`,
        [context.workspace.id, COMPANY, from.standardId, FieldType.TEXT, from.name],
      );
      if (!field) {
        return { rowsAffected: 0, notes: ['company.address is no TEXT standard field: nothing to do'], maxBatchMs: 0 };
      }
      const [clash] = await manager.query(`SELECT "name" FROM metadata."fieldMetadata" WHERE "objectMetadataId" = $1 AND "name" = $2`, [
        field.objectMetadataId,
        ADDRESS_OLD_NAME,
      ]);
      if (clash) {
        throw new Error(CLASH);
      }
      await manager.query(
        `ALTER TABLE ${qualified(context.workspace.schemaName, field.tableName)} RENAME COLUMN ${quoteIdentifier(from.name)} TO ${quoteIdentifier(ADDRESS_OLD_NAME)}`,
      );
      await manager.query(
        `UPDATE metadata."fieldMetadata" SET "name" = $1, "label" = $2, "isDeprecated" = true, "isCustom" = true, "updatedAt" = now() WHERE "id" = $3`,
        [ADDRESS_OLD_NAME, ADDRESS_OLD_LABEL, field.id],
      );
      return { rowsAffected: 0, notes: [`company.address (TEXT) kept as ${ADDRESS_OLD_NAME}, deprecated and custom`], maxBatchMs: 0 };
    });
  },
};
