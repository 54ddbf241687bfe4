import 'reflect-metadata';

import { createReadStream, createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';

import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';

import { qualified, quoteIdentifier } from '../src/database/sql';
import { RecordCsvService } from '../src/records/record-csv.service';

/**
 * One CSV export or import of people in a process of its own, so that its peak memory is its own:
 * `export` runs the streaming CSV export to `file`, `copy-out` a raw COPY ... TO STDOUT of the
 * same columns; `import` runs the CSV import of `file`, `copy-in` a raw COPY ... FROM STDIN of it
 * into the columns of its header. Prints one JSON line.
 */
const main = async (): Promise<void> => {
  const [mode, url, workspaceId, schemaName, file, columnList] = process.argv.slice(2);
  const started = performance.now();
  let rows: number;
  if (mode === 'export' || mode === 'import') {
    const dataSource = await new DataSource({ type: 'postgres', url, extra: { max: 1 } }).initialize();
    try {
      const service = new RecordCsvService(dataSource);
      if (mode === 'export') ({ rows } = await service.export(workspaceId, 'person', () => createWriteStream(file)));
      else ({ imported: rows } = await service.import(workspaceId, 'person', createReadStream(file)));
    } finally {
      await dataSource.destroy();
    }
  } else {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const columns = columnList.split(',').map(quoteIdentifier).join(', ');
      const table = qualified(schemaName, 'person');
      if (mode === 'copy-out') {
        const stream = client.query(
          copyTo(`COPY (SELECT ${columns} FROM ${table} ORDER BY "id") TO STDOUT WITH (FORMAT csv, HEADER true)`),
        );
        await pipeline(stream, createWriteStream(file));
        rows = stream.rowCount;
      } else {
        const stream = client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN WITH (FORMAT csv, HEADER true)`));
        await pipeline(createReadStream(file), stream);
        rows = stream.rowCount;
      }
    } finally {
      await client.end();
    }
  }
  process.stdout.write(
    `${JSON.stringify({ rows, ms: performance.now() - started, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
};

main().catch((error: Error) => {
  process.stderr.write(`Error: ${error.message}\n`);
  process.exit(1);
});
