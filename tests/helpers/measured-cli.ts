// Runs the personae CLI (arguments as given) and, at exit, writes the process's own resource use as JSON
// to the file named by PERSONAE_MEASURE_OUT: wall and CPU seconds (all threads) and peak RSS in MiB.
// Used by the scale benchmark and the memory-cap test to measure a child process without /usr/bin/time.
import { writeFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';

const started = performance.now();
const code = await main(process.argv.slice(2));
const usage = process.resourceUsage();
const out = process.env.PERSONAE_MEASURE_OUT;
if (out) {
  writeFileSync(
    out,
    JSON.stringify({
      code,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      peakRssMb: usage.maxRSS / 1024,
    }),
  );
}
process.exitCode = code;
