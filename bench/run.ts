import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../src/paths.ts';
import { benchMapper, type BenchResult } from './mapper.ts';

/**
 * Runs every benchmark, prints its table, and merges its figures into
 * bench/results/latest.json under its key, keeping the keys of other benchmarks.
 * To add one: write bench/NAME.ts returning a BenchResult and list it here.
 */
const BENCHMARKS: (() => BenchResult)[] = [() => benchMapper()];
const RESULTS = join(PROJECT_ROOT, 'bench/results/latest.json');

function readResults(): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(RESULTS, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

for (const run of BENCHMARKS) {
  const result = run();
  process.stdout.write(`${result.table.join('\n')}\n\n`);
  const results = readResults();
  results[result.key] = { ...result.figures, measuredAt: new Date().toISOString(), node: process.version };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
}
process.stdout.write(`results: ${RESULTS}\n`);
