import { Queue } from 'bullmq';
import { Client } from 'pg';

import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { QUEUE_PREFIX, queueNameFor } from '../../src/workspace/workspace-queue';
import { openDataSource } from '../utils/test-services';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface FleetWorkspace {
  id: string;
  schemaName: string;
}

/** Creates `count` workspaces with the standard set (no prefill), at `version` (default: current), in id order. */
export const createFleet = async (url: string, count: number, version?: string): Promise<FleetWorkspace[]> => {
  const dataSource = await openDataSource(url, 1);
  try {
    const creation = new WorkspaceCreationService(dataSource, buildStandardDeclarations());
    const created: FleetWorkspace[] = [];
    for (let i = 0; i < count; i += 1) {
      const { workspace } = await creation.create({ displayName: `Fleet ${i}`, prefill: false, version });
      created.push({ id: workspace.id, schemaName: workspace.schemaName });
    }
    return created.sort((a, b) => a.id.localeCompare(b.id));
  } finally {
    await dataSource.destroy();
  }
};

/**
 * Takes the standard field person.city away from each workspace (metadata row and column) and
 * clears its fingerprint, as if the declarations had gained the field since the last sync.
 */
export const takeCityAway = async (client: Client, workspaces: FleetWorkspace[]): Promise<void> => {
  for (const workspace of workspaces) {
    await client.query(
      `DELETE FROM metadata."fieldMetadata" f USING metadata."objectMetadata" o
        WHERE f."objectMetadataId" = o."id" AND o."workspaceId" = $1 AND o."nameSingular" = 'person' AND f."name" = 'city'`,
      [workspace.id],
    );
    await client.query(`ALTER TABLE "${workspace.schemaName}"."person" DROP COLUMN "city"`);
  }
  await client.query(`UPDATE core.workspace SET "fingerprint" = NULL WHERE "id" = ANY($1::uuid[])`, [
    workspaces.map((workspace) => workspace.id),
  ]);
};

/** For each workspace: its person.city metadata rows and whether the column exists. */
export const cityOf = async (
  client: Client,
  workspaces: FleetWorkspace[],
): Promise<Array<{ id: string; rows: number; column: boolean }>> => {
  const result: Array<{ id: string; rows: number; column: boolean }> = [];
  for (const workspace of workspaces) {
    const [{ rows, column }] = (
      await client.query(
        `SELECT (SELECT count(*)::int FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
                  WHERE o."workspaceId" = $1 AND o."nameSingular" = 'person' AND f."name" = 'city') AS rows,
                EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = $2 AND table_name = 'person' AND column_name = 'city') AS column`,
        [workspace.id, workspace.schemaName],
      )
    ).rows;
    result.push({ id: workspace.id, rows, column });
  }
  return result;
};

/** Which workspaces have person.city (metadata row and column), in the order given. */
export const syncedOf = async (client: Client, workspaces: FleetWorkspace[]): Promise<boolean[]> =>
  (await cityOf(client, workspaces)).map((city) => city.rows === 1 && city.column);

/** Metadata and tables of the workspace drift apart (a column renamed), so that its sync is refused; or back. */
export const drift = async (client: Client, workspace: FleetWorkspace, drifted = true): Promise<void> => {
  const [from, to] = drifted ? ['jobTitle', 'jobTitleMoved'] : ['jobTitleMoved', 'jobTitle'];
  await client.query(`ALTER TABLE "${workspace.schemaName}"."person" RENAME COLUMN "${from}" TO "${to}"`);
};

/** Every workspace without person.city and without drift, whatever a test before left. */
export const resetFleet = async (client: Client, workspaces: FleetWorkspace[]): Promise<void> => {
  for (const workspace of workspaces) {
    const { rowCount } = await client.query(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'person' AND column_name = 'jobTitleMoved'`,
      [workspace.schemaName],
    );
    if (rowCount) await drift(client, workspace, false);
  }
  const cities = await cityOf(client, workspaces);
  await takeCityAway(
    client,
    workspaces.filter((_, index) => cities[index].rows === 1),
  );
};

/** The queue of a test database, for assertions and to remove it from Redis at the end. */
export const queueOf = (databaseUrl: string): Queue =>
  new Queue(queueNameFor(databaseUrl), { connection: { url: REDIS_URL }, prefix: QUEUE_PREFIX });

/** How many times each workspace id starts a line with `mark` (e.g. "✔") in these outputs. */
export const linesPerWorkspace = (outputs: string[], mark: string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const line of outputs.join('\n').split('\n')) {
    const id = line.startsWith(`${mark} `) ? /^\S+ ([0-9a-f-]{36})\b/.exec(line)?.[1] : undefined;
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
};
