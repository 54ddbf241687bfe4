import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import { qualified, quoteIdentifier } from '../src/database/sql';
import { csvColumns } from '../src/records/record-csv';
import { RecordCsvService } from '../src/records/record-csv.service';
import { recordFields } from '../src/records/record-fields';
import { buildStandardDeclarations } from '../src/standard-objects/standard-objects';
import { ActualStateRepository } from '../src/metadata/actual-state.repository';
import { WorkspaceCreationService } from '../src/workspace/workspace-creation.service';
import { WorkspaceRow } from '../src/metadata/workspace.repository';
import { openBenchDatabase, round } from './bench-database';

const run = promisify(execFile);

interface ChildResult {
  rows: number;
  ms: number;
  maxRssMb: number;
}

/**
 * CSV export and import of people: rows per second of the export and of the import (default
 * 100,000 people), each against a raw COPY of the same columns, and the peak memory of an export
 * of `bigRows` people (default 1,000,000) in a process of its own, against the same export of
 * `rows` people (memory must not grow with the table) and a raw COPY TO STDOUT of `bigRows`.
 */
export const csvBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const rows = Number(args[0] ?? 100_000);
  const bigRows = Number(args[1] ?? 1_000_000);
  const database = await openBenchDatabase();
  const directory = mkdtempSync(join(tmpdir(), 'wms-bench-csv-'));
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const { dataSource } = database;
    const creation = new WorkspaceCreationService(dataSource, buildStandardDeclarations());
    const workspace = async (name: string): Promise<WorkspaceRow> =>
      (await creation.create({ displayName: name, prefill: false })).workspace;
    const seed = async (target: WorkspaceRow, count: number) => {
      await client.query(
        `INSERT INTO ${qualified(target.schemaName, 'person')} ("nameFirstName", "nameLastName", "emailsPrimaryEmail", "emailsAdditionalEmails", "jobTitle", "city")
         SELECT 'First ' || n, 'Last, ' || n, 'person.' || n || '@example.com', jsonb_build_array('alt.' || n || '@example.com'), 'Job "' || (n % 50) || '"', 'City ' || (n % 300)
           FROM generate_series(1, $1) AS n`,
        [count],
      );
      await client.query(`VACUUM ANALYZE ${qualified(target.schemaName, 'person')}`);
    };
    const service = new RecordCsvService(dataSource);

    const source = await workspace('source');
    await seed(source, rows);
    const objects = await new ActualStateRepository(dataSource.manager).objects(source.id);
    const csv = csvColumns(recordFields(objects.find((object) => object.nameSingular === 'person')!));
    const columns = csv.map((column) => column.column.name);

    const exportFile = join(directory, 'people.csv');
    let start = performance.now();
    const exported = await service.export(source.id, 'person', () => createWriteStream(exportFile));
    const exportMs = performance.now() - start;
    if (exported.rows !== rows) throw new Error(`exported ${exported.rows} rows, expected ${rows}`);

    // The same export in a process of its own: its peak memory, to compare with the big one's.
    const smallExport = await child(['service', database.url, source.id, source.schemaName, join(directory, 'people-child.csv'), '']);

    const copyFile = join(directory, 'people-copy.csv');
    const copyOut = await child(['copy', database.url, source.id, source.schemaName, copyFile, columns.join(',')]);

    const importTarget = await workspace('import');
    start = performance.now();
    const imported = await service.import(importTarget.id, 'person', createReadStream(exportFile));
    const importMs = performance.now() - start;
    if (imported.imported !== rows) throw new Error(`imported ${imported.imported} rows, expected ${rows}: ${imported.errors[0]?.message}`);

    const copyTarget = await workspace('copy');
    start = performance.now();
    const copyIn = client.query(
      copyFrom(
        `COPY ${qualified(copyTarget.schemaName, 'person')} (${columns.map(quoteIdentifier).join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true)`,
      ),
    );
    await pipeline(createReadStream(exportFile), copyIn);
    const copyInMs = performance.now() - start;

    const big = await workspace('big');
    await seed(big, bigRows);
    const bigFile = join(directory, 'big.csv');
    const bigExport = await child(['service', database.url, big.id, big.schemaName, bigFile, '']);
    const bigBytes = statSync(bigFile).size;
    rmSync(bigFile);
    const bigCopy = await child(['copy', database.url, big.id, big.schemaName, bigFile, columns.join(',')]);

    const perSecond = (count: number, ms: number) => Math.round(count / (ms / 1000));
    return {
      rows,
      exportRowsPerSecond: perSecond(rows, exportMs),
      baselineCopyToRowsPerSecond: perSecond(rows, copyOut.ms),
      importRowsPerSecond: perSecond(rows, importMs),
      baselineCopyFromRowsPerSecond: perSecond(rows, copyInMs),
      exportPeakRssMb: smallExport.maxRssMb,
      bigExportRows: bigExport.rows,
      bigExportMb: round(bigBytes / 1024 / 1024, 1),
      bigExportPeakRssMb: bigExport.maxRssMb,
      bigExportRowsPerSecond: perSecond(bigExport.rows, bigExport.ms),
      baselineBigCopyToPeakRssMb: bigCopy.maxRssMb,
      baselineBigCopyToRowsPerSecond: perSecond(bigCopy.rows, bigCopy.ms),
    };
  } finally {
    await client.end();
    rmSync(directory, { recursive: true, force: true });
    await database.drop();
  }
};

const child = async (args: string[]): Promise<ChildResult> => {
  const { stdout } = await run(process.execPath, [join(__dirname, 'csv-export.child.js'), ...args], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
};
