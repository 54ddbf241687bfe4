import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { quoteLiteral } from '../database/sql';
import { timeoutSettings, Timeouts } from '../database/transaction';
import { SqlStatement } from '../database/sql-statement';

export interface WorkspaceRow {
  id: string;
  displayName: string;
  schemaName: string;
  activationStatus: string;
  version: string | null;
  fingerprint: string | null;
  featureFlags: string[];
  /** ISO 3166-1 alpha-2: the country of phone numbers written without an international prefix; null: none. */
  defaultCountry: string | null;
  createdAt: Date;
}

const COLUMNS = `"id", "displayName", "schemaName", "activationStatus", "version", "fingerprint", "featureFlags", "defaultCountry", "createdAt"`;

/**
 * The key of a workspace's advisory lock, whose id `id` (SQL) gives: one lock per workspace, taken
 * for a transaction (sync, custom metadata, baseline) or for a session (an upgrade, across its steps).
 */
const lockKey = (id: string): string => `hashtext('workspace'), hashtext(${id})`;

/** The call that tries the workspace's advisory lock for the current transaction. */
const tryAdvisoryLock = (id: string): string => `pg_try_advisory_xact_lock(${lockKey(id)})`;

/** All SQL on core.workspace. */
@Injectable()
export class WorkspaceRepository {
  constructor(@Inject(EntityManager) private readonly manager: EntityManager) {}

  /** One page in id order, after `afterId`: callers walk the fleet without loading it whole. */
  async page(afterId: string | null, limit: number, options: { activeOnly?: boolean; inclusive?: boolean } = {}): Promise<WorkspaceRow[]> {
    return this.manager.query(
      `SELECT ${COLUMNS} FROM core.workspace
        WHERE ($1::uuid IS NULL OR "id" ${options.inclusive ? '>=' : '>'} $1::uuid) ${options.activeOnly ? `AND "activationStatus" = 'ACTIVE'` : ''}
        ORDER BY "id" LIMIT $2`,
      [afterId, limit],
    );
  }

  async count(fromId: string | null, options: { activeOnly?: boolean } = {}): Promise<number> {
    const [{ count }] = await this.manager.query(
      `SELECT count(*)::int AS count FROM core.workspace
        WHERE ($1::uuid IS NULL OR "id" >= $1::uuid) ${options.activeOnly ? `AND "activationStatus" = 'ACTIVE'` : ''}`,
      [fromId],
    );
    return count;
  }

  async findByIds(ids: string[]): Promise<WorkspaceRow[]> {
    return this.manager.query(`SELECT ${COLUMNS} FROM core.workspace WHERE "id" = ANY($1::uuid[]) ORDER BY "id"`, [ids]);
  }

  async findById(id: string): Promise<WorkspaceRow | null> {
    const [row] = await this.findByIds([id]);
    return row ?? null;
  }

  async insert(
    row: Pick<WorkspaceRow, 'id' | 'displayName' | 'schemaName' | 'version' | 'featureFlags'> &
      Partial<Pick<WorkspaceRow, 'defaultCountry'>>,
  ): Promise<WorkspaceRow> {
    const [created] = await this.manager.query(
      `INSERT INTO core.workspace ("id", "displayName", "schemaName", "activationStatus", "version", "featureFlags", "defaultCountry")
       VALUES ($1, $2, $3, 'ACTIVE', $4, $5, $6) RETURNING ${COLUMNS}`,
      [row.id, row.displayName, row.schemaName, row.version, row.featureFlags, row.defaultCountry ?? null],
    );
    return created;
  }

  async setDefaultCountry(id: string, defaultCountry: string | null): Promise<WorkspaceRow | null> {
    const [updated] = await this.manager.query(
      // Wrapped in a SELECT: the driver returns UPDATE ... RETURNING rows in another shape.
      `WITH updated AS (UPDATE core.workspace SET "defaultCountry" = $1, "updatedAt" = now() WHERE "id" = $2 RETURNING ${COLUMNS})
       SELECT * FROM updated`,
      [defaultCountry, id],
    );
    return updated ?? null;
  }

  /** The fingerprint update as a statement, to run with others in one round trip (WorkspaceStateWriter). */
  static setFingerprintStatement(id: string, fingerprint: string | null): SqlStatement {
    return { sql: `UPDATE core.workspace SET "fingerprint" = $1, "updatedAt" = now() WHERE "id" = $2`, params: [fingerprint, id] };
  }

  async setVersion(id: string, version: string): Promise<void> {
    await this.manager.query(`UPDATE core.workspace SET "version" = $1, "updatedAt" = now() WHERE "id" = $2`, [version, id]);
  }

  /**
   * Takes the workspace's advisory lock for the session of this repository's connection, until
   * unlockSession or the session's end; false when another runner holds it.
   */
  async tryLockSession(id: string): Promise<boolean> {
    const [{ locked }] = await this.manager.query(`SELECT pg_try_advisory_lock(${lockKey('$1')}) AS locked`, [id]);
    return locked;
  }

  async unlockSession(id: string): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_unlock(${lockKey('$1')})`, [id]);
  }

  /** Takes the workspace's advisory lock for the current transaction; false when another runner holds it. */
  async tryLock(id: string): Promise<boolean> {
    const [{ locked }] = await this.manager.query(`SELECT ${tryAdvisoryLock('$1')} AS locked`, [id]);
    return locked;
  }

  /**
   * The statement that tries the workspace's advisory lock for the current transaction (its row
   * says "locked": false when another runner holds it) and sets the transaction's lock and
   * statement timeouts, values inlined, to run in a script. Prepared statements of the transaction
   * are planned once (a generic plan): the state reads take arrays, for which the server would
   * otherwise plan every call anew. With `orFailWith` (a SQLSTATE), a lock held elsewhere is an
   * error with that code instead, which ends the script it is part of (core.expect).
   */
  static lockStatement(id: string, timeouts: Timeouts, orFailWith?: string): string {
    const lock = tryAdvisoryLock(quoteLiteral(id));
    return `SELECT ${orFailWith ? `core."expect"(${lock}, ${quoteLiteral(orFailWith)}, 'locked by another runner')` : lock} AS locked,
              ${[...timeoutSettings(timeouts), `set_config('plan_cache_mode', 'force_generic_plan', true)`].join(',\n              ')}`;
  }
}
