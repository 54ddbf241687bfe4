/**
 * Preloaded (`node --require`) into a CLI process a benchmark runs: reports the process's peak
 * resident memory on stderr when it exits, for the benchmark's JSON line.
 */
process.on('exit', () => {
  process.stderr.write(`peak-rss-mb=${Math.round(process.resourceUsage().maxRSS / 1024)}\n`);
});
