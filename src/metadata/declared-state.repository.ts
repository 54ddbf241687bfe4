import { createHash } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { DeclaredSchema } from '../declarations/declared-schema';
import { SqlStatement } from '../database/sql-statement';

/** Bumped when the way declarations turn into tables changes, so every workspace is re-planned. */
const FINGERPRINT_FORMAT = 1;

export const fingerprintOf = (schema: DeclaredSchema): string =>
  createHash('sha256')
    .update(JSON.stringify({ format: FINGERPRINT_FORMAT, schema }))
    .digest('hex');

/** A declared state with its fingerprint, as a sync desires it. */
export interface FingerprintedState {
  fingerprint: string;
  schema: DeclaredSchema;
}

/** Per database: the fingerprints known to be recorded, and those looked up (null: not recorded or not usable). */
const recorded = new WeakMap<DataSource, Set<string>>();
const found = new WeakMap<DataSource, Map<string, DeclaredSchema | null>>();

const memo = <T>(map: WeakMap<DataSource, T>, dataSource: DataSource, create: () => T): T => {
  let value = map.get(dataSource);
  if (value === undefined) {
    value = create();
    map.set(dataSource, value);
  }
  return value;
};

/**
 * What each fingerprint stands for (core."declaredState"): the gated declared state a workspace was
 * synced to when it was given that fingerprint. Kept as json, not jsonb, so that the text comes back
 * as it was written and hashes to the same fingerprint. Every way of setting a fingerprint records
 * its state first (in the same transaction), once per process and database.
 */
@Injectable()
export class DeclaredStateRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * The statement that records `desired`'s declared state, to run in the transaction that sets its
   * fingerprint; null when this process saw it recorded already. Call `recorded` after the commit.
   */
  recordStatement(desired: FingerprintedState): SqlStatement | null {
    if (memo(recorded, this.dataSource, () => new Set()).has(desired.fingerprint)) return null;
    return {
      sql: `INSERT INTO core."declaredState" ("fingerprint", "declared") VALUES ($1, $2::json) ON CONFLICT ("fingerprint") DO NOTHING`,
      params: [desired.fingerprint, JSON.stringify(desired.schema)],
    };
  }

  /** Records `desired`'s declared state in the manager's transaction; true when it sent the statement (call `committed` after the commit). */
  async record(manager: EntityManager, desired: FingerprintedState): Promise<boolean> {
    const statement = this.recordStatement(desired);
    if (statement) await manager.query(statement.sql, statement.params);
    return statement !== null;
  }

  /** After the transaction that recorded `fingerprint` committed: no need to send it again. */
  committed(fingerprint: string): void {
    memo(recorded, this.dataSource, () => new Set()).add(fingerprint);
  }

  /**
   * The declared state a fingerprint stands for, or null when it was never recorded (a workspace
   * synced before states were recorded) or the record does not hash to it (the fingerprint's format
   * changed since): callers then compare the workspace in full.
   */
  async find(manager: EntityManager, fingerprint: string): Promise<DeclaredSchema | null> {
    const cache = memo(found, this.dataSource, () => new Map<string, DeclaredSchema | null>());
    if (cache.has(fingerprint)) return cache.get(fingerprint)!;
    const [row]: Array<{ declared: DeclaredSchema }> = await manager.query(
      `SELECT "declared" FROM core."declaredState" WHERE "fingerprint" = $1`,
      [fingerprint],
    );
    const declared = row && fingerprintOf(row.declared) === fingerprint ? row.declared : null;
    cache.set(fingerprint, declared);
    return declared;
  }
}
