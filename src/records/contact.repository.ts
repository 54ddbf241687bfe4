import { EntityManager } from 'typeorm';

import { qualified, quoteIdentifier } from '../database/sql';

/** Text of a domain without scheme, "www." or path, lower case: how domains are compared. */
const normalizedDomain = (expression: string): string =>
  `lower(regexp_replace(regexp_replace(${expression}, '^[a-z][a-z0-9+.-]*://', '', 'i'), '^www\\.|[/?#].*$', '', 'g'))`;

/** The SQL of the contact writer: its lock, matching by email and domain. */
export class ContactRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly schemaName: string,
  ) {}

  /** Serialises contact writers of one workspace (not the sync lock: writers run during upgrades). */
  async lockWriters(workspaceId: string): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext('contact-writer'), hashtext($1))`, [workspaceId]);
  }

  /**
   * Takes the lock every write of the objects' tables takes anyway (ROW EXCLUSIVE), in the order
   * of `objectStandardIds`, before any metadata row is locked: an upgrade's switch-over takes a
   * table's lock, then its field rows, so a writer that took the rows first could deadlock with it.
   */
  async lockTables(workspaceId: string, objectStandardIds: string[]): Promise<void> {
    const rows: Array<{ standardId: string; tableName: string }> = await this.manager.query(
      `SELECT "standardId", "tableName" FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "standardId" = ANY($2::uuid[]) AND NOT "isCustom"`,
      [workspaceId, objectStandardIds],
    );
    for (const standardId of objectStandardIds) {
      const row = rows.find((candidate) => candidate.standardId === standardId);
      if (row) await this.manager.query(`LOCK TABLE ${qualified(this.schemaName, row.tableName)} IN ROW EXCLUSIVE MODE`);
    }
  }

  /** Ids of rows whose `column` (compared case-insensitively) is one of `values`, keyed by the value. */
  async idsByText(table: string, column: string, values: string[], domain = false): Promise<Map<string, string>> {
    if (values.length === 0) return new Map();
    const expression = domain ? normalizedDomain(quoteIdentifier(column)) : `lower(${quoteIdentifier(column)})`;
    const rows: Array<{ id: string; key: string }> = await this.manager.query(
      `SELECT DISTINCT ON (${expression}) "id", ${expression} AS "key" FROM ${qualified(this.schemaName, table)}
        WHERE ${expression} = ANY($1::text[]) AND "deletedAt" IS NULL ORDER BY ${expression}, "createdAt", "id"`,
      [values],
    );
    return new Map(rows.map((row) => [row.key, row.id]));
  }
}
