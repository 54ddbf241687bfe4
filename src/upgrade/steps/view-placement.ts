import { EntityManager } from 'typeorm';

import { qualified } from '../../database/sql';
import { STANDARD_OBJECT_IDS } from '../../standard-objects/standard-ids.constant';
import { WorkspaceRow } from '../../metadata/workspace.repository';

/**
 * Places `fieldId` right before `anchorFieldId` in every view of the workspace that shows the
 * anchor and not yet the field, with the anchor's visibility and size; the fields from there on
 * move one position up, so no two fields share a position. Returns how many views changed.
 */
export const placeFieldBeforeInViews = async (
  manager: EntityManager,
  workspace: Pick<WorkspaceRow, 'id' | 'schemaName'>,
  fieldId: string,
  anchorFieldId: string,
): Promise<number> => {
  const [viewField]: Array<{ tableName: string }> = await manager.query(
    `SELECT "tableName" FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "standardId" = $2 AND NOT "isCustom"`,
    [workspace.id, STANDARD_OBJECT_IDS.viewField],
  );
  if (!viewField) {
    throw new Error('the workspace has no viewField object: its metadata is incomplete; run workspace:health');
  }
  const table = qualified(workspace.schemaName, viewField.tableName);
  const targets: Array<{ viewId: string; position: number; isVisible: boolean; size: number }> = await manager.query(
    `SELECT anchor."viewId", anchor."position", anchor."isVisible", anchor."size" FROM ${table} anchor
      WHERE anchor."fieldMetadataId" = $1 AND anchor."deletedAt" IS NULL
        AND NOT EXISTS (SELECT 1 FROM ${table} placed WHERE placed."viewId" = anchor."viewId" AND placed."fieldMetadataId" = $2 AND placed."deletedAt" IS NULL)`,
    [anchorFieldId, fieldId],
  );
  for (const target of targets) {
    await manager.query(`UPDATE ${table} SET "position" = "position" + 1 WHERE "viewId" = $1 AND "position" >= $2`, [
      target.viewId,
      target.position,
    ]);
    await manager.query(`INSERT INTO ${table} ("fieldMetadataId", "viewId", "position", "isVisible", "size") VALUES ($1, $2, $3, $4, $5)`, [
      fieldId,
      target.viewId,
      target.position,
      target.isVisible,
      target.size,
    ]);
  }
  return targets.length;
};
