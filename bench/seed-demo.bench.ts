import { performance } from 'node:perf_hooks';

import { qualified } from '../src/database/sql';
import { buildStandardDeclarations } from '../src/standard-objects/standard-objects';
import { demoSplit } from '../src/workspace/demo-seed';
import { WorkspaceCreationService } from '../src/workspace/workspace-creation.service';
import { openBenchDatabase, round } from './bench-database';

/**
 * workspace:seed:demo with n records (default 100,000), against the floor: an empty workspace
 * created the same way, then as many companies, people and opportunities written by three raw
 * INSERT ... SELECT FROM generate_series statements (the same columns, values made by the server).
 */
export const seedDemoBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const records = Number(args[0] ?? 100_000);
  const database = await openBenchDatabase();
  try {
    const service = new WorkspaceCreationService(database.dataSource, buildStandardDeclarations());
    const start = performance.now();
    const seeded = await service.create({ displayName: 'seeded', demoRecords: records });
    const seedMs = performance.now() - start;

    const split = demoSplit(records);
    const rawStart = performance.now();
    const { workspace } = await service.create({ displayName: 'raw', prefill: false });
    const table = (name: string) => qualified(workspace.schemaName, name);
    await database.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO ${table('company')} ("name", "domainNamePrimaryLinkUrl", "domainNamePrimaryLinkLabel", "domainNameSecondaryLinks", "employees", "addressAddressStreet1", "addressAddressCity", "idealCustomerProfile", "position")
         SELECT 'Company ' || n, 'https://company' || n || '.com', '', '[]', n % 20000, n || ' Market Street', 'Paris', n % 5 = 0, n FROM generate_series(1, $1) AS n`,
        [split.companies],
      );
      await manager.query(
        `INSERT INTO ${table('person')} ("nameFirstName", "nameLastName", "emailsPrimaryEmail", "emailsAdditionalEmails", "jobTitle", "city", "companyId", "position")
         SELECT 'First', 'Last', 'person.' || n || '@company.com', '[]', 'Engineer', 'Paris', c."id", n
           FROM generate_series(1, $1) AS n JOIN LATERAL (SELECT "id" FROM ${table('company')} WHERE "position" = 1 + n % $2) c ON true`,
        [split.people, split.companies],
      );
      await manager.query(
        `INSERT INTO ${table('opportunity')} ("name", "stage", "amountAmountMicros", "amountCurrencyCode", "closeDate", "companyId", "position")
         SELECT 'Deal ' || n, 'NEW', n::bigint * 1000000, 'USD', now(), c."id", n
           FROM generate_series(1, $1) AS n JOIN LATERAL (SELECT "id" FROM ${table('company')} WHERE "position" = 1 + n % $2) c ON true`,
        [split.opportunities, split.companies],
      );
    });
    const rawMs = performance.now() - rawStart;
    return {
      records,
      ...seeded.records,
      seedMs: round(seedMs),
      recordsPerSecond: Math.round(records / (seedMs / 1000)),
      baselineRawInsertSelectMs: round(rawMs),
      ratio: round(seedMs / rawMs),
    };
  } finally {
    await database.drop();
  }
};
