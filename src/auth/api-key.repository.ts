import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface ApiKeyRow {
  id: string;
  workspaceId: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const COLUMNS = `"id", "workspaceId", "name", "createdAt", "revokedAt"`;

/** All SQL on core."apiKey". Keys are looked up by their hash; the key itself is never stored. */
@Injectable()
export class ApiKeyRepository {
  constructor(@Inject(EntityManager) private readonly manager: EntityManager) {}

  async insert(workspaceId: string, name: string, keyHash: string): Promise<ApiKeyRow> {
    const [row] = await this.manager.query(
      `INSERT INTO core."apiKey" ("workspaceId", "name", "keyHash") VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
      [workspaceId, name, keyHash],
    );
    return row;
  }

  /** The workspace of a key that is not revoked, or null. */
  async findActiveByHash(keyHash: string): Promise<ApiKeyRow | null> {
    const [row] = await this.manager.query(`SELECT ${COLUMNS} FROM core."apiKey" WHERE "keyHash" = $1 AND "revokedAt" IS NULL`, [keyHash]);
    return row ?? null;
  }

  async listForWorkspace(workspaceId: string): Promise<ApiKeyRow[]> {
    return this.manager.query(`SELECT ${COLUMNS} FROM core."apiKey" WHERE "workspaceId" = $1 ORDER BY "createdAt", "id"`, [workspaceId]);
  }

  /** Revokes a key of the workspace; null when the workspace has no such key. */
  async revoke(workspaceId: string, id: string): Promise<ApiKeyRow | null> {
    // An UPDATE ... RETURNING answers [rows, count] through TypeORM.
    const [rows]: [ApiKeyRow[], number] = await this.manager.query(
      `UPDATE core."apiKey" SET "revokedAt" = coalesce("revokedAt", now()) WHERE "workspaceId" = $1 AND "id" = $2 RETURNING ${COLUMNS}`,
      [workspaceId, id],
    );
    return rows[0] ?? null;
  }
}
