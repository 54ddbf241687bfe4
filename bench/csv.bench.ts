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

/** The old-space limit of the capped big import. */
const CAPPED_HEAP_MB = 48;

interface ChildResult {
  rows: number;
  ms: number;
  maxRssMb: number;
}

/**
 * CSV export and import of people: rows per second of the export and of the import (default
 * 100,000 people), each against a raw COPY of the same columns (the import and its COPY in
 * `rounds` interleaved rounds, default 3, medians: the machine is shared), and the peak memory
 * of an export and an import of `bigRows` people (default 1,000,000) in a process of its own,
 * against the same of `rows` people (memory must not grow with the file) and a raw COPY of
 * `bigRows` in a process of its own; the big import also runs with V8's heap capped, to show
 * that what its memory holds does not grow with the file.
 */
export const csvBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const rows = Number(args[0] ?? 100_000);
  const bigRows = Number(args[1] ?? 1_000_000);
  const rounds = Number(args[2] ?? 3);
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
    const smallExport = await child(['export', database.url, source.id, source.schemaName, join(directory, 'people-child.csv'), '']);

    const copyFile = join(directory, 'people-copy.csv');
    const copyOut = await child(['copy-out', database.url, source.id, source.schemaName, copyFile, columns.join(',')]);

    const importTimes: number[] = [];
    const copyInTimes: number[] = [];
    for (let index = 0; index < rounds; index += 1) {
      const importTarget = await workspace(`import ${index}`);
      start = performance.now();
      const imported = await service.import(importTarget.id, 'person', createReadStream(exportFile));
      importTimes.push(performance.now() - start);
      if (imported.imported !== rows)
        throw new Error(`imported ${imported.imported} rows, expected ${rows}: ${imported.errors[0]?.message}`);

      const copyTarget = await workspace(`copy ${index}`);
      start = performance.now();
      const copyIn = client.query(
        copyFrom(
          `COPY ${qualified(copyTarget.schemaName, 'person')} (${columns.map(quoteIdentifier).join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true)`,
        ),
      );
      await pipeline(createReadStream(exportFile), copyIn);
      copyInTimes.push(performance.now() - start);
    }
    const importMs = median(importTimes);
    const copyInMs = median(copyInTimes);

    // The same import in a process of its own: its peak memory, to compare with the big one's.
    const smallImport = await child(['import', database.url, (await workspace('import child')).id, '', exportFile, '']);

    const big = await workspace('big');
    await seed(big, bigRows);
    const bigFile = join(directory, 'big.csv');
    const bigExport = await child(['export', database.url, big.id, big.schemaName, bigFile, '']);
    const bigBytes = statSync(bigFile).size;
    const bigImport = await child(['import', database.url, (await workspace('big import')).id, '', bigFile, '']);
    if (bigImport.rows !== bigRows) throw new Error(`imported ${bigImport.rows} rows, expected ${bigRows}`);
    // The same import with V8's heap capped: what it needs, apart from the slack V8 allows itself.
    const cappedImport = await child(
      ['import', database.url, (await workspace('capped import')).id, '', bigFile, ''],
      [`--max-old-space-size=${CAPPED_HEAP_MB}`],
    );
    if (cappedImport.rows !== bigRows) throw new Error(`imported ${cappedImport.rows} rows with a capped heap, expected ${bigRows}`);
    const bigCopyIn = await child(['copy-in', database.url, '', (await workspace('big copy')).schemaName, bigFile, columns.join(',')]);
    rmSync(bigFile);
    const bigCopy = await child(['copy-out', database.url, big.id, big.schemaName, bigFile, columns.join(',')]);

    const perSecond = (count: number, ms: number) => Math.round(count / (ms / 1000));
    return {
      rows,
      exportRowsPerSecond: perSecond(rows, exportMs),
      baselineCopyToRowsPerSecond: perSecond(rows, copyOut.ms),
      importRowsPerSecond: perSecond(rows, importMs),
      baselineCopyFromRowsPerSecond: perSecond(rows, copyInMs),
      importRatio: round(copyInMs / importMs, 2),
      importRounds: rounds,
      exportPeakRssMb: smallExport.maxRssMb,
      bigExportRows: bigExport.rows,
      bigExportMb: round(bigBytes / 1024 / 1024, 1),
      bigExportPeakRssMb: bigExport.maxRssMb,
      bigExportRowsPerSecond: perSecond(bigExport.rows, bigExport.ms),
      baselineBigCopyToPeakRssMb: bigCopy.maxRssMb,
      baselineBigCopyToRowsPerSecond: perSecond(bigCopy.rows, bigCopy.ms),
      importPeakRssMb: smallImport.maxRssMb,
      bigImportPeakRssMb: bigImport.maxRssMb,
      bigImportRowsPerSecond: perSecond(bigImport.rows, bigImport.ms),
      bigImportCappedHeapMb: CAPPED_HEAP_MB,
      bigImportCappedPeakRssMb: cappedImport.maxRssMb,
      baselineBigCopyFromPeakRssMb: bigCopyIn.maxRssMb,
      baselineBigCopyFromRowsPerSecond: perSecond(bigCopyIn.rows, bigCopyIn.ms),
    };
  } finally {
    await client.end();
    rmSync(directory, { recursive: true, force: true });
    await database.drop();
  }
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const child = async (args: string[], nodeFlags: string[] = []): Promise<ChildResult> => {
  const { stdout } = await run(process.execPath, [...nodeFlags, join(__dirname, 'csv.child.js'), ...args], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
};
