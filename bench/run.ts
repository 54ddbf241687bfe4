import 'reflect-metadata';

import { BENCHMARKS } from './benchmarks';

/**
 * `npm run bench -- <name> [args]`: runs one benchmark and prints its result as one JSON line,
 * the measured figure beside a baseline measured in the same run.
 */
const main = async (): Promise<void> => {
  const [name, ...args] = process.argv.slice(2);
  const benchmark = name ? BENCHMARKS[name] : undefined;
  if (!benchmark) {
    process.stderr.write(`Usage: npm run bench -- <name>\nBenchmarks: ${Object.keys(BENCHMARKS).join(', ')}\n`);
    process.exit(2);
  }
  const result = await benchmark(args);
  process.stdout.write(`${JSON.stringify({ benchmark: name, ...result, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
};

main().catch((error: Error) => {
  process.stderr.write(`Error: ${error.message}\n`);
  process.exit(1);
});
