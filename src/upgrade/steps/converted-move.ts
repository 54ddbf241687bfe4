import { performance } from 'node:perf_hooks';

import { EntityManager } from 'typeorm';

import { DeclaredSchema } from '../../declarations/declared-schema';
import { FieldType } from '../../declarations/field-type';
import { qualified, quoteIdentifier } from '../../database/sql';
import { SqlStatement } from '../../database/sql-statement';
import { ActualField, ActualObject } from '../../metadata/actual-state';
import { searchVectorSpec } from '../../metadata/search-vector';
import { StatementRenderer } from '../../sync/statement.renderer';
import { UpgradeStepContext } from '../upgrade-step';
import { BatchSizer, moveInBatches } from './batched-move';
import { ColumnSyncTrigger } from './column-sync-trigger';
import { tableShape } from './page-range-fill';
import { inBriefLockTransaction } from './brief-lock';
import { hasSearchField, readSearchVectorPlan, searchFieldLabel, searchFieldStatements } from './search-vector-online';

/** One row of the old column, as a converter reads it. */
export interface OldValue {
  id: string;
  value: string | null;
}

/** A new column of the field: its name and SQL type. */
export interface NewColumn {
  name: string;
  type: 'text' | 'jsonb';
}

/**
 * A field whose values change shape on the way to a new type (PHONE -> PHONES, TEXT ->
 * RICH_TEXT_V2): the conversion runs in Node, so it cannot be one UPDATE of SQL assignments.
 */
export interface ConvertedMove {
  object: ActualObject;
  field: ActualField;
  newName: string;
  newType: FieldType;
  /** The label of a standard field after the move; custom fields keep theirs. */
  newLabel: string;
  newColumns: NewColumn[];
  /** The values of the new columns for a batch of old values: one array per new column, in order, one value per row. */
  convert(rows: OldValue[]): unknown[][];
  /** plpgsql assignments on NEW filling the new columns for a row written by the old app (converted again before the switch). */
  rawAssignments: string;
  /**
   * The declared state whose search fields of this object, missing from the workspace and reading
   * the new columns, are added before the batches: each batch then fills them as it writes its
   * rows (their triggers fire on the new columns), and no pass of their own rewrites the table.
   */
  searchFieldsOf?: DeclaredSchema;
}

export interface ConvertedMoveResult {
  rows: number;
  batches: number;
  maxBatchMs: number;
  /** Rows written during the move, converted again from their latest value. */
  rewritten: number;
  /** Search fields added before the batches, which filled them (`object.field`). */
  searchAdded: string[];
}

// Conversion yields to the event loop this often, so that the database's answers to the batch
// being written are read while the next batch is parsed.
const CONVERT_CHUNK = 32;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The rows of a move still to convert, as a condition on `row` (`t.` in a query, `NEW.` in a
 * trigger): the old value set and none of the new columns, or a search column the batches fill
 * still empty.
 */
const stillToConvert = (move: ConvertedMove, searchColumns: string[], row: string): string =>
  [
    `(${row}${quoteIdentifier(move.field.name)} IS NOT NULL AND ${move.newColumns.map((column) => `${row}${quoteIdentifier(column.name)} IS NULL`).join(' AND ')})`,
    ...searchColumns.map((column) => `${row}${quoteIdentifier(column)} IS NULL`),
  ].join(' OR ');

/**
 * The sync trigger of a move, and the table where it notes the rows the old app wrote meanwhile.
 * It fires on a write of the old column, and on any write of a row still to convert: such a write
 * may move the row to a page the batches have passed, so the row is noted and converted again
 * (a batch's own write leaves no row still to convert, and does not fire it).
 */
const moveObjects = (schema: string, move: ConvertedMove, searchColumns: string[]) => {
  const probe = new ColumnSyncTrigger(schema, move.object.tableName, '', [move.field.name], move.field.id);
  const pending = `${probe.name}_pending`;
  const trigger = new ColumnSyncTrigger(
    schema,
    move.object.tableName,
    `${move.rawAssignments} INSERT INTO ${qualified(schema, pending)} ("id") VALUES (NEW."id") ON CONFLICT DO NOTHING;`,
    [move.field.name],
    move.field.id,
    stillToConvert(move, searchColumns, 'NEW.'),
  );
  return { trigger, pending: qualified(schema, pending) };
};

const convertYielding = async (move: ConvertedMove, rows: OldValue[]): Promise<unknown[][]> => {
  const columns: unknown[][] = move.newColumns.map(() => []);
  for (let start = 0; start < rows.length; start += CONVERT_CHUNK) {
    const converted = move.convert(rows.slice(start, start + CONVERT_CHUNK));
    converted.forEach((values, index) => columns[index].push(...values));
    await yieldToEventLoop();
  }
  // The batches tell a converted row by a new column set: a value must never convert to none.
  const empty = rows.findIndex((row, index) => row.value !== null && columns.every((values) => values[index] === null));
  if (empty >= 0) {
    throw new Error(
      `the conversion of ${move.object.nameSingular}.${move.field.name} gave no value for the value of row ${rows[empty].id}; nothing of this batch was written`,
    );
  }
  return columns;
};

/**
 * One UPDATE ... FROM unnest(...) writing a converted batch, by id (`ids` sorted). The range of the
 * ids is given to the table too, so that it is read through its primary key: the planner cannot
 * see how few rows unnest yields and would otherwise scan the whole table for every batch.
 */
const writeBatch = async (manager: EntityManager, table: string, move: ConvertedMove, ids: string[], columns: unknown[][]) => {
  const names = move.newColumns.map((column) => quoteIdentifier(column.name));
  const arrays = move.newColumns.map((column, index) => `$${index + 2}::${column.type}[]`);
  const first = `$${move.newColumns.length + 2}::uuid`;
  const last = `$${move.newColumns.length + 3}::uuid`;
  await manager.query(
    `UPDATE ${table} AS t SET ${names.map((name) => `${name} = u.${name}`).join(', ')}
       FROM unnest($1::uuid[], ${arrays.join(', ')}) AS u("id", ${names.join(', ')})
      WHERE t."id" = u."id" AND t."id" BETWEEN ${first} AND ${last}`,
    [ids, ...columns, ids[0], ids[ids.length - 1]],
  );
};

/**
 * Converts every row that the old app wrote since the move began (the trigger noted them), from
 * its latest value. Each row is locked before its note is removed, in the order the old app's
 * writes take them (row, then note), so a write during the drain queues behind it and notes the
 * row again. Under the switch's table lock, `manager` drains whatever is left in one go.
 */
const drainPending = async (
  context: UpgradeStepContext,
  move: ConvertedMove,
  table: string,
  pending: string,
  manager?: EntityManager,
): Promise<number> => {
  let drained = 0;
  const old = quoteIdentifier(move.field.name);
  const once = async (tx: EntityManager): Promise<{ noted: number; converted: number }> => {
    const noted: Array<{ id: string }> = await tx.query(`SELECT "id"::text AS "id" FROM ${pending} ORDER BY "id" LIMIT $1`, [
      context.options.batchSize,
    ]);
    if (noted.length === 0) return { noted: 0, converted: 0 };
    const ids = noted.map((row) => row.id);
    const rows: OldValue[] = await tx.query(
      `SELECT "id"::text AS "id", ${old} AS "value" FROM ${table} WHERE "id" = ANY($1::uuid[]) ORDER BY "id" FOR UPDATE`,
      [ids],
    );
    await tx.query(`DELETE FROM ${pending} WHERE "id" = ANY($1::uuid[])`, [ids]);
    if (rows.length > 0) {
      await writeBatch(
        tx,
        table,
        move,
        rows.map((row) => row.id),
        move.convert(rows),
      );
    }
    return { noted: ids.length, converted: rows.length };
  };
  for (;;) {
    const { noted, converted } = manager ? await once(manager) : await context.batch(once);
    if (noted === 0) return drained;
    drained += converted;
  }
};

/**
 * Where a move's batches are: the last row read (its `ctid`) and the page the pass ends at; and
 * the search fields added for the batches to fill.
 */
interface MoveState {
  after?: string;
  endBlock?: number;
  copied?: boolean;
  /** Search fields added before the first batch (`object.field`), filled by the batches. */
  searchFilled?: string[];
  /** Their columns. */
  searchColumns?: string[];
}

const moveKey = (move: ConvertedMove): string => `field:${move.field.id}`;

/** Before the first row of a table: no row has offset 0. */
const TABLE_START = '(0,0)';

/** A search field to add before the batches, which fill it. */
interface SearchFieldToFill {
  label: string;
  column: string;
  statements: SqlStatement[];
}

/**
 * The search fields of `move.searchFieldsOf` on the moved object that the workspace lacks and that
 * read a new column of the move (their other columns there already), with the statements adding
 * them.
 */
const searchFieldsToFill = async (context: UpgradeStepContext, move: ConvertedMove): Promise<SearchFieldToFill[]> => {
  if (!move.searchFieldsOf || move.object.isCustom) return [];
  const plan = await readSearchVectorPlan(context, move.searchFieldsOf);
  const table = plan.actual.live.tables.get(move.object.tableName);
  const coming = move.newColumns.map((column) => column.name);
  return plan.targets
    .filter((target) => target.object.id === move.object.id && !hasSearchField(target))
    .filter((target) => target.spec.sources.some((source) => coming.includes(source.column)))
    .filter((target) => target.spec.sources.every((source) => table?.columns.has(source.column) || coming.includes(source.column)))
    .map((target) => ({
      label: searchFieldLabel(target),
      column: target.spec.column,
      statements: searchFieldStatements(context, plan, target, coming),
    }));
};

/** A row read by a batch: its place in the table too, by which the batch writes it. */
interface ReadRow extends OldValue {
  ctid: string;
}

/**
 * One UPDATE ... FROM unnest(...) writing a converted batch, each row by its place (a TID scan)
 * and its id. A row the old app changed since it was read is a newer version elsewhere, which
 * this does not touch: the trigger noted it (its old column changed), or a later pass finds it
 * still to convert (another column changed).
 */
const writeBatchInPlace = async (manager: EntityManager, table: string, move: ConvertedMove, rows: ReadRow[], columns: unknown[][]) => {
  const names = move.newColumns.map((column) => quoteIdentifier(column.name));
  const arrays = move.newColumns.map((column, index) => `$${index + 3}::${column.type}[]`);
  await manager.query(
    `UPDATE ${table} AS t SET ${names.map((name) => `${name} = u.${name}`).join(', ')}
       FROM unnest($1::tid[], $2::uuid[], ${arrays.join(', ')}) AS u("ctid", "id", ${names.join(', ')})
      WHERE t.ctid = u."ctid" AND t."id" = u."id"`,
    [rows.map((row) => row.ctid), rows.map((row) => row.id), ...columns],
  );
};

/**
 * The batches of a converted move, over the table in the order of its pages (TID range scans, so
 * it is read and written once, in order, as one UPDATE would, where batches of random ids visit
 * its pages at random): each reads the next rows still to convert, converts them in Node and
 * writes them by place with the checkpoint in the same transaction. The next batch is read before
 * and parsed while the database writes the current one. Reads take no lock. One pass over the
 * pages the table had when it began is enough: a row the old app inserts, or writes while it is
 * still to convert, is noted by the trigger and converted again from its latest value.
 */
const convertInBatches = async (
  context: UpgradeStepContext,
  move: ConvertedMove,
  table: string,
  /** The move's state in the step's checkpoint, which each batch writes. */
  state: MoveState,
): Promise<ConvertedMoveResult> => {
  const key = moveKey(move);
  const checkpoint = context.entry.checkpoint!;
  const result: ConvertedMoveResult = { rows: 0, batches: 0, maxBatchMs: 0, rewritten: 0, searchAdded: [] };
  if (state.copied) return result;
  const shape = await tableShape(context, table);
  if (state.after === undefined) Object.assign(state, { after: TABLE_START, endBlock: shape.blocks });
  const endBlock = state.endBlock!;
  const sizer = new BatchSizer(context.options.batchSize, context.options.batchTargetMs);
  const old = quoteIdentifier(move.field.name);
  const toConvert = stillToConvert(move, state.searchColumns ?? [], 't.');
  const blockOf = (ctid: string): number => Number(ctid.slice(1, ctid.indexOf(',')));
  // The next `size` rows to convert after `after`: read in ranges of about twice the pages they
  // fill, so that no read sorts more than a few batches' rows.
  const read = async (after: string, size: number): Promise<ReadRow[]> => {
    const rows: ReadRow[] = [];
    let from = after;
    while (rows.length < size && blockOf(from) < endBlock) {
      const wanted = size - rows.length;
      const to = Math.min(blockOf(from) + 1 + Math.ceil((2 * wanted) / shape.rowsPerBlock), endBlock);
      const found: ReadRow[] = await context.connection.query(
        `SELECT t.ctid::text AS "ctid", t."id"::text AS "id", t.${old} AS "value" FROM ${table} AS t
          WHERE t.ctid > $1::tid AND t.ctid < $2::tid AND (${toConvert}) ORDER BY t.ctid LIMIT $3`,
        [from, `(${to},0)`, wanted],
      );
      rows.push(...found);
      from = found.length === wanted ? found[found.length - 1].ctid : `(${to},0)`;
    }
    return rows;
  };
  const { onProgress } = context.options;
  // Progress in rows: those with nothing (left) to convert are done.
  const [counted]: Array<{ total: number; done: number }> = onProgress
    ? await context.connection.query(
        `SELECT count(*)::float8 AS "total", count(*) FILTER (WHERE NOT (${toConvert}))::float8 AS "done" FROM ${table} AS t`,
      )
    : [{ total: 0, done: 0 }];
  let done = counted.done;
  const report = (finished: boolean) => onProgress?.({ task: 'move', done, total: Math.max(counted.total, done), finished });
  report(false);

  let current = await read(state.after!, sizer.next);
  let converted = await convertYielding(move, current);
  while (current.length > 0) {
    const batch = current;
    const values = converted;
    const last = batch[batch.length - 1].ctid;
    // The next batch is read first, then parsed while the database writes this one.
    const next = await read(last, sizer.next);
    // The batch's transaction, from its start to its commit, is what the batch size is fitted to.
    const started = performance.now();
    const writing = context
      .batch(async (manager) => {
        await writeBatchInPlace(manager, table, move, batch, values);
        state.after = last;
        await context.ledger(manager).checkpoint(context.entry.id, checkpoint, batch.length);
        await context.options.beforeBatchCommit?.(key, result.batches + 1, manager);
      })
      .then(() => performance.now() - started);
    const parsing = convertYielding(move, next);
    // Both settle before either's failure is raised: no query of this connection is left running.
    const [written, parsed] = await Promise.allSettled([writing, parsing]);
    if (written.status === 'rejected') throw written.reason;
    if (parsed.status === 'rejected') throw parsed.reason;
    const elapsed = written.value;
    sizer.record(batch.length, elapsed);
    done += batch.length;
    report(false);
    result.rows += batch.length;
    result.batches += 1;
    result.maxBatchMs = Math.max(result.maxBatchMs, elapsed);
    await context.options.onBatch?.(key, result.batches, elapsed);
    current = next;
    converted = parsed.value;
  }
  await context.transaction(async (manager) => {
    state.copied = true;
    await context.ledger(manager).checkpoint(context.entry.id, checkpoint, 0);
  });
  report(true);
  return result;
};

/**
 * The search fields of the object whose columns change with the move, each re-made to read the
 * new columns (before the old column is dropped: a trigger `UPDATE OF` it would hold the drop).
 * Returns the search columns whose rows must be computed again.
 */
const remakeSearchFields = async (
  manager: EntityManager,
  context: UpgradeStepContext,
  move: ConvertedMove,
): Promise<Array<{ column: string; sourceColumn: string }>> => {
  const before = move.object.fields;
  const after = before.map((field) => (field.id === move.field.id ? { ...field, name: move.newName, type: move.newType } : field));
  const renderer = new StatementRenderer(context.workspace.id, context.workspace.schemaName);
  const refills: Array<{ column: string; sourceColumn: string }> = [];
  // A search field added for the batches to fill reads the new columns already.
  const filledByMove = (context.entry.checkpoint?.[moveKey(move)] as MoveState | undefined)?.searchFilled ?? [];
  const remade = before.filter(
    (field) => field.type === FieldType.TS_VECTOR && !filledByMove.includes(`${move.object.nameSingular}.${field.name}`),
  );
  for (const search of remade) {
    const was = searchVectorSpec(move.object.tableName, search, before);
    const will = searchVectorSpec(move.object.tableName, search, after);
    if (JSON.stringify(was.sources) === JSON.stringify(will.sources)) continue;
    for (const statement of renderer.render({ kind: 'setSearchVector', spec: will, replaces: null, backfill: false })) {
      await manager.query(statement.sql, statement.params as unknown[] | undefined);
    }
    if (will.sources.length > 0) refills.push({ column: search.name, sourceColumn: will.sources[0].column });
  }
  return refills;
};

/**
 * A transformed type change of one field, resumable at every point: the new columns and a sync
 * trigger, the search fields the batches are to fill (`searchFieldsOf`), the converted batches, the rows the old app wrote meanwhile converted again, then the
 * switch in one transaction under a lock that holds writers (last rows converted, field row
 * retyped under its id, search fields re-made, old column dropped), then the search columns over
 * the new columns computed again in batches.
 */
export const moveConverted = async (
  context: UpgradeStepContext,
  move: ConvertedMove,
  afterDrain?: (manager: EntityManager) => Promise<unknown[]>,
): Promise<ConvertedMoveResult> => {
  const schema = context.workspace.schemaName;
  const table = qualified(schema, move.object.tableName);
  const key = moveKey(move);
  const checkpoint = (context.entry.checkpoint ??= {});
  const state = ((checkpoint[key] as MoveState | undefined) ??= {});
  // Search fields are added only before the first batch: one added later would miss the rows written before it.
  const adding = state.after === undefined && !state.copied ? await searchFieldsToFill(context, move) : [];
  const prepared: MoveState = {
    ...state,
    ...(adding.length > 0
      ? {
          searchFilled: [...(state.searchFilled ?? []), ...adding.map((field) => field.label)],
          searchColumns: [...(state.searchColumns ?? []), ...adding.map((field) => field.column)],
        }
      : {}),
  };
  const { trigger, pending } = moveObjects(schema, move, prepared.searchColumns ?? []);
  await inBriefLockTransaction(context, `preparing the move of ${move.object.nameSingular}.${move.field.name}`, async (manager) => {
    await manager.query(
      `ALTER TABLE ${table} ${move.newColumns.map((column) => `ADD COLUMN IF NOT EXISTS ${quoteIdentifier(column.name)} ${column.type}`).join(', ')}`,
    );
    await manager.query(`CREATE TABLE IF NOT EXISTS ${pending} ("id" uuid PRIMARY KEY)`);
    for (const statement of adding.flatMap((field) => field.statements)) await manager.query(statement.sql, statement.params);
    await trigger.install(manager);
    if (adding.length > 0) await context.ledger(manager).checkpoint(context.entry.id, { ...checkpoint, [key]: prepared }, 0);
  });
  Object.assign(state, prepared);
  context.options.crashPoint?.(`${move.object.nameSingular}.${move.field.name}:prepared`);
  const result = await convertInBatches(context, move, table, state);
  result.searchAdded = state.searchFilled ?? [];
  context.options.crashPoint?.(`${move.object.nameSingular}.${move.field.name}:copied`);
  result.rewritten += await drainPending(context, move, table, pending);
  await context.transaction(async (manager) => {
    // Writers wait from here to the commit: the last rows they wrote are converted under the lock.
    await manager.query(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`);
    result.rewritten += await drainPending(context, move, table, pending, manager);
    const log = (await afterDrain?.(manager)) ?? [];
    await trigger.remove(manager);
    await manager.query(`DROP TABLE ${pending}`);
    await manager.query(
      `UPDATE metadata."fieldMetadata" SET "type" = $1, "name" = $2, "label" = CASE WHEN "isCustom" THEN "label" ELSE $3 END,
              "defaultValue" = NULL, "updatedAt" = now() WHERE "id" = $4`,
      [move.newType, move.newName, move.newLabel, move.field.id],
    );
    const refills = await remakeSearchFields(manager, context, move);
    await manager.query(`ALTER TABLE ${table} DROP COLUMN ${quoteIdentifier(move.field.name)}`);
    const checkpoint = (context.entry.checkpoint ??= {});
    const queued = ((checkpoint.searchRefills as SearchRefill[] | undefined) ??= []);
    queued.push(...refills.map((refill) => ({ ...refill, table: move.object.tableName, key: `search:${move.field.id}:${refill.column}` })));
    await context.ledger(manager).checkpoint(context.entry.id, checkpoint, 0);
    await context.ledger(manager).appendLog(context.entry.id, [
      {
        field: `${move.object.nameSingular}.${move.field.name}`,
        to: `${move.object.nameSingular}.${move.newName}`,
        rows: result.rows,
        rewritten: result.rewritten,
      },
      ...log,
    ]);
  });
  context.options.crashPoint?.(`${move.object.nameSingular}.${move.field.name}:switched`);
  return result;
};

/** The notes of the search fields a move added and filled. */
export const searchFilledNotes = (moved: ConvertedMoveResult): string[] =>
  moved.searchAdded.map((label) => `added ${label} before the batches, which filled it as they wrote`);

interface SearchRefill {
  table: string;
  column: string;
  sourceColumn: string;
  key: string;
}

/**
 * The search columns a switch re-made, computed again for every row in batches: setting a column
 * the search trigger watches to itself runs the trigger. Queued in the checkpoint by the switch,
 * so a run killed after it finishes them.
 */
export const refillSearchColumns = async (context: UpgradeStepContext): Promise<string[]> => {
  const queued = (context.entry.checkpoint?.searchRefills as SearchRefill[] | undefined) ?? [];
  const notes: string[] = [];
  for (const refill of queued) {
    const source = quoteIdentifier(refill.sourceColumn);
    const moved = await moveInBatches(
      context,
      refill.key,
      qualified(context.workspace.schemaName, refill.table),
      `${source} = t.${source}`,
    );
    if (moved.rows > 0) notes.push(`${refill.table}.${refill.column}: computed again for ${moved.rows} row(s)`);
  }
  return notes;
};
