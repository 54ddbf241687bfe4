import { performance } from 'node:perf_hooks';

import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import { parsePhones } from '../src/upgrade/converters/phone.converter';
import { openBenchDatabase, round } from './bench-database';

/**
 * The phone parsing of the 0.25 move, batch by batch as the upgrade calls it, on `rows` legacy
 * values of mixed real-world shapes, against the write the values feed: one raw UPDATE splitting
 * the same values naively in SQL (digits only, no validation) on a table holding them. Parsing
 * faster than that write keeps it off the move's critical path. Also the floor of the same loop
 * in JavaScript without the library.
 */
export const phoneParseBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const rows = Number(args[0] ?? 1_000_000);
  const batchSize = Number(args[1] ?? 10_000);
  const values = Array.from({ length: rows }, (_, index) => legacyPhone(index));

  const parseStart = performance.now();
  let parsed = 0;
  let unparsed = 0;
  for (let start = 0; start < rows; start += batchSize) {
    const batch = parsePhones(values.slice(start, start + batchSize), 'FR');
    parsed += batch.parsedCount;
    unparsed += batch.unparsed.length;
  }
  const parseMs = performance.now() - parseStart;

  const floorStart = performance.now();
  let floorDigits = 0;
  for (let start = 0; start < rows; start += batchSize) {
    for (const value of values.slice(start, start + batchSize)) floorDigits += value === null ? 0 : value.replace(/\D/g, '').length;
  }
  const floorMs = performance.now() - floorStart;

  const rawMs = await rawSqlSplit(values);
  const parseRate = rows / (parseMs / 1000);
  const rawRate = rows / (rawMs / 1000);
  return {
    rows,
    batchSize,
    parsed,
    unparsed,
    parseMs: round(parseMs),
    rowsPerSecond: Math.round(parseRate),
    baselineRawUpdateMs: round(rawMs),
    baselineRowsPerSecond: Math.round(rawRate),
    ratioOfRawRate: round(parseRate / rawRate),
    floorNoLibraryRowsPerSecond: Math.round(rows / (floorMs / 1000)),
    floorDigits,
  };
};

const FORMATS: ((n: string) => string | null)[] = [
  (n) => `+33 1 ${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4, 6)} ${n.slice(6, 8)}`,
  (n) => `+336${n.slice(0, 8)}`,
  (n) => `07 ${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4, 6)} ${n.slice(6, 8)}`,
  (n) => `01.${n.slice(0, 2)}.${n.slice(2, 4)}.${n.slice(4, 6)}.${n.slice(6, 8)}`,
  (n) => `+1 (212) 555-${n.slice(0, 4)}`,
  (n) => `+1 415-${n.slice(0, 3).replace(/^[01]/, '2')}-${n.slice(3, 7)}`,
  (n) => `+44 20 7${n.slice(0, 3)} ${n.slice(3, 7)}`,
  (n) => `0049 30 ${n.slice(0, 7)}`,
  (n) => `+49 151 ${n.slice(0, 8)}`,
  (n) => `+1 212 555 ${n.slice(0, 4)} ext. ${n.slice(4, 6)}`,
  (n) => `+81 90-${n.slice(0, 4)}-${n.slice(4, 8)}`,
  (n) => `+39 06 ${n.slice(0, 4)} ${n.slice(4, 8)}`,
  () => '1-800-FLOWERS',
  (n) => `${n.slice(0, 5)}`,
  () => 'n/a',
  () => '',
  () => null,
];

/** A legacy value of one of FORMATS, its digits varying with the index. */
export const legacyPhone = (index: number): string | null => {
  const digits = String((index * 7_919 + 10_000_019) % 100_000_000).padStart(8, '0');
  return FORMATS[index % FORMATS.length](digits);
};

const rawSqlSplit = async (values: (string | null)[]): Promise<number> => {
  const database = await openBenchDatabase(1);
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(
      'CREATE TABLE phones (id serial PRIMARY KEY, phone text, "primaryPhoneNumber" text, "primaryPhoneCountryCode" text)',
    );
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyFrom('COPY phones (phone) FROM STDIN'));
      stream.on('finish', resolve).on('error', reject);
      const escape = (value: string | null): string => (value === null ? '\\N' : value.replace(/\\/g, '\\\\'));
      for (let start = 0; start < values.length; start += 10_000) {
        stream.write(
          `${values
            .slice(start, start + 10_000)
            .map(escape)
            .join('\n')}\n`,
        );
      }
      stream.end();
    });
    await client.query('VACUUM ANALYZE phones');
    const start = performance.now();
    await client.query(
      `UPDATE phones SET "primaryPhoneNumber" = regexp_replace(phone, '\\D', '', 'g'), "primaryPhoneCountryCode" = CASE WHEN phone LIKE '+%' THEN '+' ELSE '' END`,
    );
    return performance.now() - start;
  } finally {
    await client.end();
    await database.drop();
  }
};
