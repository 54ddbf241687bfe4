import { createHash } from 'node:crypto';

import { EntityManager } from 'typeorm';

import { qualified, quoteIdentifier } from '../../database/sql';

/**
 * While a data move runs in batches, writers may still write the old columns. A trigger copies
 * every write into the new columns too, so that when the batches are done nothing is left behind
 * and the switch-over needs no scan under lock.
 */
export class ColumnSyncTrigger {
  readonly name: string;

  constructor(
    private readonly schema: string,
    private readonly table: string,
    /** Assignments on NEW, e.g. `NEW."b" := NEW."a";` */
    private readonly assignments: string,
    /** The old columns: an update that leaves them alone (such as a batch of the move) skips the trigger. */
    private readonly watchedColumns: string[],
    key: string,
    /** A condition on NEW under which an update that leaves them alone fires it too. */
    private readonly alsoWhen?: string,
  ) {
    this.name = `wms_move_${createHash('sha1').update(`${table}:${key}`).digest('hex').slice(0, 16)}`;
  }

  async install(manager: EntityManager): Promise<void> {
    const fn = qualified(this.schema, this.name);
    await manager.query(
      `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN ${this.assignments} RETURN NEW; END $fn$`,
    );
    const table = qualified(this.schema, this.table);
    const changed = [
      ...this.watchedColumns.map((column) => `NEW.${quoteIdentifier(column)} IS DISTINCT FROM OLD.${quoteIdentifier(column)}`),
      ...(this.alsoWhen ? [`(${this.alsoWhen})`] : []),
    ].join(' OR ');
    await this.drop(manager);
    await manager.query(
      `CREATE TRIGGER ${quoteIdentifier(`${this.name}_i`)} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    );
    await manager.query(
      `CREATE TRIGGER ${quoteIdentifier(`${this.name}_u`)} BEFORE UPDATE ON ${table} FOR EACH ROW WHEN (${changed}) EXECUTE FUNCTION ${fn}()`,
    );
  }

  private async drop(manager: EntityManager): Promise<void> {
    for (const suffix of ['_i', '_u']) {
      await manager.query(`DROP TRIGGER IF EXISTS ${quoteIdentifier(`${this.name}${suffix}`)} ON ${qualified(this.schema, this.table)}`);
    }
  }

  async remove(manager: EntityManager): Promise<void> {
    await this.drop(manager);
    await manager.query(`DROP FUNCTION IF EXISTS ${qualified(this.schema, this.name)}()`);
  }
}
