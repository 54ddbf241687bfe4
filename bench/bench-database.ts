import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { MIGRATIONS_TABLE } from '../src/database/database.service';
import { CORE_MIGRATIONS } from '../src/database/migrations';

/** The server benchmarks run on; each run uses a scratch database of its own, dropped at the end. */
export const BENCH_ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  dataSource: DataSource;
  url: string;
  drop(): Promise<void>;
}

/** Runs one statement on the benchmark server's admin database (creating and dropping databases). */
export const admin = async (sql: string): Promise<void> => {
  const client = new Client({ connectionString: BENCH_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

export const openBenchDatabase = async (poolSize = 4): Promise<BenchDatabase> => {
  const name = `wms_bench_${process.pid}`;
  await admin(`DROP DATABASE IF EXISTS "${name}"`);
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(BENCH_ADMIN_URL);
  url.pathname = `/${name}`;
  const dataSource = await new DataSource({
    type: 'postgres',
    url: url.toString(),
    migrations: CORE_MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    extra: { max: poolSize },
  }).initialize();
  await dataSource.runMigrations();
  return {
    dataSource,
    url: url.toString(),
    drop: async () => {
      await dataSource.destroy();
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
};

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
