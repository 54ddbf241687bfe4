import { Client } from 'pg';

/**
 * Adds a custom TEXT field to a standard object of a workspace behind the service's back: its
 * metadata row and its column, as a workspace made by hand or by an older release may hold one.
 */
export const addRawCustomTextField = async (
  client: Client,
  workspace: { id: string; schemaName: string },
  objectName: string,
  fieldName: string,
  label: string,
): Promise<void> => {
  const [{ id: objectId }] = (
    await client.query(`SELECT "id" FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "nameSingular" = $2`, [
      workspace.id,
      objectName,
    ])
  ).rows;
  await client.query(
    `INSERT INTO metadata."fieldMetadata" ("workspaceId", "objectMetadataId", "name", "label", "type", "isCustom", "isNullable")
     VALUES ($1, $2, $3, $4, 'TEXT', true, true)`,
    [workspace.id, objectId, fieldName, label],
  );
  await client.query(`ALTER TABLE "${workspace.schemaName}"."${objectName}" ADD COLUMN "${fieldName}" text`);
};
