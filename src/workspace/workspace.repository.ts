import { DataSource } from 'typeorm';

export interface WorkspaceRow {
  id: string;
  displayName: string;
  schemaName: string;
  activationStatus: string;
  version: string | null;
  fingerprint: string | null;
  createdAt: Date;
}

const COLUMNS = `"id", "displayName", "schemaName", "activationStatus", "version", "fingerprint", "createdAt"`;

/** All SQL on core.workspace. */
export class WorkspaceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One page in id order, after `afterId`: callers walk the fleet without loading it whole. */
  async page(afterId: string | null, limit: number): Promise<WorkspaceRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM core.workspace WHERE ($1::uuid IS NULL OR "id" > $1::uuid) ORDER BY "id" LIMIT $2`,
      [afterId, limit],
    );
  }
}
