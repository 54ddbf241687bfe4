import 'reflect-metadata';

import { createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';

import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';

import { qualified, quoteIdentifier } from '../src/database/sql';
import { RecordCsvService } from '../src/records/record-csv.service';

/**
 * One export in a process of its own, so that its peak memory is its own: `service` runs the
 * streaming CSV export, `copy` a raw COPY ... TO STDOUT of the same columns. Prints one JSON line.
 */
const main = async (): Promise<void> => {
  const [mode, url, workspaceId, schemaName, file, columnList] = process.argv.slice(2);
  const started = performance.now();
  let rows: number;
  if (mode === 'service') {
    const dataSource = await new DataSource({ type: 'postgres', url, extra: { max: 1 } }).initialize();
    try {
      ({ rows } = await new RecordCsvService(dataSource).export(workspaceId, 'person', () => createWriteStream(file)));
    } finally {
      await dataSource.destroy();
    }
  } else {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const columns = columnList.split(',').map(quoteIdentifier).join(', ');
      const stream = client.query(
        copyTo(`COPY (SELECT ${columns} FROM ${qualified(schemaName, 'person')} ORDER BY "id") TO STDOUT WITH (FORMAT csv, HEADER true)`),
      );
      await pipeline(stream, createWriteStream(file));
      rows = stream.rowCount;
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
