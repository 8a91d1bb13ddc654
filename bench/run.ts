import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../src/paths.ts';
import { benchApi } from './api.ts';
import { benchMapper, type BenchResult } from './mapper.ts';
import { benchRender } from './render.ts';
import { benchScale } from './scale.ts';
import { table } from './support/stats.ts';

/**
 * `npm run bench` runs every benchmark in order (render, scale, api, mapper);
 * `npm run bench -- api render` only those named. Each prints its own table; a
 * summary of the figures runs are compared by, with their goals, comes last.
 * The figures of each benchmark run replace its key in bench/results/latest.json,
 * the others' stay. To add one: write bench/NAME.ts returning a BenchResult and list it here.
 */
const BENCHMARKS: Record<string, () => Promise<BenchResult> | BenchResult> = {
  render: () => benchRender(),
  scale: () => benchScale(),
  api: () => benchApi(),
  mapper: () => benchMapper(),
};

/** The figures compared from run to run, and what each should be. */
const GOALS: Array<{ key: string; goal: string; met: (x: number) => boolean }> = [
  { key: 'render.warmMsP50', goal: '< 100 ms', met: (x) => x < 100 },
  { key: 'render.chromiumMsP50', goal: 'baseline', met: () => true },
  { key: 'render.speedupVsChromium', goal: '≥ 5×', met: (x) => x >= 5 },
  { key: 'scale.timeRatio10x', goal: '≤ 12×', met: (x) => x <= 12 },
  { key: 'scale.peakRssMb', goal: '< 300 MB', met: (x) => x < 300 },
  { key: 'api.helloRps', goal: 'baseline', met: () => true },
  { key: 'api.signRps', goal: '', met: () => true },
  { key: 'api.signRatio', goal: '≥ 0.25', met: (x) => x >= 0.25 },
  { key: 'api.signCeilingRatio', goal: '', met: () => true },
  { key: 'api.signP99Ms', goal: '< 25 ms', met: (x) => x < 25 },
  { key: 'api.cachedRatio', goal: '≥ 0.7', met: (x) => x >= 0.7 },
  { key: 'mapper.mbPerS', goal: '', met: () => true },
  { key: 'mapper.ratioVsScan', goal: '≤ 3×', met: (x) => x <= 3 },
];

const RESULTS = join(PROJECT_ROOT, 'bench/results/latest.json');

function readResults(): Record<string, Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(RESULTS, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Record<string, unknown>>) : {};
  } catch {
    return {};
  }
}

function summary(results: Record<string, Record<string, unknown>>, ran: string[]): string[] {
  const rows = GOALS.filter(({ key }) => ran.includes(key.split('.')[0]!)).map(({ key, goal, met }) => {
    const [part, figure] = key.split('.') as [string, string];
    const value = results[part]?.[figure];
    const mark = typeof value !== 'number' ? 'missing' : goal === 'baseline' || goal === '' ? '' : met(value) ? 'met' : 'not met';
    return [key, typeof value === 'number' ? String(value) : '–', goal, mark];
  });
  return ['summary (bench/results/latest.json)', ...table(['figure', 'value', 'goal', ''], rows)];
}

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in BENCHMARKS));
if (unknown.length) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}: use ${Object.keys(BENCHMARKS).join(', ')}, or none for all\n`);
  process.exit(2);
}
const names = asked.length ? Object.keys(BENCHMARKS).filter((name) => asked.includes(name)) : Object.keys(BENCHMARKS);
const loadAverage = () => loadavg().map((x) => Math.round(x * 100) / 100);
const machine = { node: process.version, cpus: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown' };
process.stdout.write(`benchmarks: ${names.join(', ')} on ${machine.cpus} × ${machine.cpu}, Node ${machine.node}, load average ${loadAverage().join(' ')} (a shared machine: compare ratios, not times)\n\n`);

for (const name of names) {
  // How busy the machine was when this part started: other jobs share it.
  const load = loadAverage();
  const result = await BENCHMARKS[name]!();
  process.stdout.write(`${result.table.join('\n')}\n\n`);
  const results = readResults();
  results[result.key] = { ...result.figures, measuredAt: new Date().toISOString(), ...machine, loadAverage: load };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
}
process.stdout.write(`${summary(readResults(), names).join('\n')}\n\nresults: ${RESULTS}\n`);
