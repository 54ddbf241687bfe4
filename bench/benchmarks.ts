import { declarationsBenchmark } from './declarations.bench';

export type Benchmark = (args: string[]) => Promise<Record<string, unknown>>;

export const BENCHMARKS: Record<string, Benchmark> = {
  declarations: declarationsBenchmark,
};
