import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ADMIN_API_KEY } from '../config/app-config';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { WorkspaceRepository } from '../metadata/workspace.repository';
import { ApiKeyRepository, ApiKeyRow } from './api-key.repository';

/** Who a bearer token stands for. */
export type Principal = { kind: 'admin' } | { kind: 'workspace'; workspaceId: string; apiKeyId: string };

export class ApiKeyError extends Error {
  constructor(
    readonly code: 'INVALID' | 'NOT_FOUND',
    readonly property: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiKeyError';
  }
}

const KEY_PREFIX = 'wms_';
export const MAX_KEY_NAME_LENGTH = 100;

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

const sameText = (a: string, b: string): boolean => {
  const [x, y] = [createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest()];
  return timingSafeEqual(x, y);
};

/**
 * Workspace API keys: random, shown once at creation, stored as a SHA-256 hash (the keys are
 * 256-bit random, so a fast hash is enough), revocable. The admin token comes from the environment.
 */
@Injectable()
export class ApiKeyService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ADMIN_API_KEY) private readonly adminKey: string | undefined,
  ) {}

  /** The principal of a bearer token; null for a missing, unknown or revoked token. Reads one row at most. */
  async authenticate(token: string | null): Promise<Principal | null> {
    if (!token) return null;
    if (this.adminKey && sameText(token, this.adminKey)) return { kind: 'admin' };
    if (!token.startsWith(KEY_PREFIX) || token.length > 200) return null;
    const row = await new ApiKeyRepository(this.dataSource.manager).findActiveByHash(hashApiKey(token));
    return row ? { kind: 'workspace', workspaceId: row.workspaceId, apiKeyId: row.id } : null;
  }

  async create(workspaceId: string, name: unknown): Promise<ApiKeyRow & { key: string }> {
    if (typeof name !== 'string' || name.trim().length === 0 || name.length > MAX_KEY_NAME_LENGTH) {
      throw new ApiKeyError('INVALID', 'name', `name is required: 1 to ${MAX_KEY_NAME_LENGTH} characters naming who uses the key`);
    }
    await this.requireWorkspace(workspaceId);
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await new ApiKeyRepository(this.dataSource.manager).insert(workspaceId, name.trim(), hashApiKey(key));
    return { ...row, key };
  }

  async list(workspaceId: string): Promise<ApiKeyRow[]> {
    await this.requireWorkspace(workspaceId);
    return new ApiKeyRepository(this.dataSource.manager).listForWorkspace(workspaceId);
  }

  async revoke(workspaceId: string, id: string): Promise<ApiKeyRow> {
    const row = UUID_PATTERN.test(id) ? await new ApiKeyRepository(this.dataSource.manager).revoke(workspaceId, id) : null;
    if (!row) throw new ApiKeyError('NOT_FOUND', 'apiKeyId', `workspace ${workspaceId} has no API key ${id.slice(0, 80)}`);
    return row;
  }

  private async requireWorkspace(workspaceId: string): Promise<void> {
    if (!UUID_PATTERN.test(workspaceId) || !(await new WorkspaceRepository(this.dataSource.manager).findById(workspaceId))) {
      throw new ApiKeyError('NOT_FOUND', 'workspaceId', `workspace ${workspaceId.slice(0, 80)} does not exist`);
    }
  }
}
