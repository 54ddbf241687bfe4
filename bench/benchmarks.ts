import { consoleFleetBenchmark } from './console-fleet.bench';
import { createBenchmark, createSyntheticBenchmark } from './create.bench';
import { csvBenchmark } from './csv.bench';
import { declarationsBenchmark } from './declarations.bench';
import { emailMigrationBenchmark } from './email-migration.bench';
import { fleetAddFieldBenchmark } from './fleet-add-field.bench';
import { fleetNoopBenchmark } from './fleet-noop.bench';
import { fleetRealBenchmark } from './fleet-real.bench';
import { phoneMigrationBenchmark } from './phone-migration.bench';
import { phoneParseBenchmark } from './phone-parse.bench';
import { searchBenchmark } from './search.bench';
import { seedDemoBenchmark } from './seed-demo.bench';
import { upgrade025Benchmark } from './upgrade-0-25.bench';

export type Benchmark = (args: string[]) => Promise<Record<string, unknown>>;

export const BENCHMARKS: Record<string, Benchmark> = {
  'console-fleet': consoleFleetBenchmark,
  create: createBenchmark,
  'create-synthetic': createSyntheticBenchmark,
  csv: csvBenchmark,
  declarations: declarationsBenchmark,
  'email-migration': emailMigrationBenchmark,
  'fleet-add-field': fleetAddFieldBenchmark,
  'fleet-noop': fleetNoopBenchmark,
  'fleet-real': fleetRealBenchmark,
  'phone-migration': phoneMigrationBenchmark,
  'phone-parse': phoneParseBenchmark,
  search: searchBenchmark,
  'seed-demo': seedDemoBenchmark,
  'upgrade-0.25': upgrade025Benchmark,
};
