import { join } from 'node:path';
import { CRITERION_IDS } from '../criteria/schema.ts';
import { evaluate, readLabelled, type Evaluation, type Scores } from '../mapping/evaluation.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { parseCommandLine, runCli, UsageError } from './run.ts';

const USAGE = 'usage: npm run eval:mapper -- [--errors] [--fixtures DIR]';
const SETS = [
  { name: 'dev', file: 'dev.jsonl' },
  { name: 'held-out', file: 'heldout.jsonl' },
  { name: 'held-out-2', file: 'heldout-2.jsonl' },
] as const;

const pct = (x: number): string => x.toFixed(2).padStart(5);
const row = (name: string, s: Scores): string =>
  `${name.padEnd(20)} ${pct(s.precision)} ${pct(s.recall)} ${pct(s.f1)} ${String(s.tp).padStart(4)} ${String(s.fp).padStart(4)} ${String(s.fn).padStart(4)}`;

function report(name: string, evaluation: Evaluation, errors: boolean): string {
  const lines = [
    `${name}: ${evaluation.documents} documents, ${evaluation.passages} labelled passages${evaluation.languageErrors.length ? `; language misdetected in ${evaluation.languageErrors.join(', ')}` : ''}`,
    `${'criterion'.padEnd(20)} ${'  P'.padStart(5)} ${'  R'.padStart(5)} ${' F1'.padStart(5)} ${'tp'.padStart(4)} ${'fp'.padStart(4)} ${'fn'.padStart(4)}`,
  ];
  for (const id of CRITERION_IDS) {
    const s = evaluation.perCriterion[id];
    if (s.tp + s.fp + s.fn > 0) lines.push(row(id, s));
  }
  lines.push(row('micro', evaluation.micro));
  if (errors) {
    for (const o of evaluation.outcomes) {
      const missed = o.expected.filter((c) => !o.predicted.includes(c));
      const extra = o.predicted.filter((c) => !o.expected.includes(c));
      if (missed.length || extra.length) lines.push(`  [${o.doc}] ${missed.length ? `missed ${missed.join(',')} ` : ''}${extra.length ? `extra ${extra.join(',')} ` : ''}| ${o.text.slice(0, 160)}`);
    }
  }
  return lines.join('\n');
}

/** Precision, recall and F1 of the mapper, per criterion and micro-averaged, on the development set and the two held-out sets. */
await runCli(async () => {
  const { values } = parseCommandLine({ options: { errors: { type: 'boolean', default: false }, fixtures: { type: 'string', default: join(PROJECT_ROOT, 'test/fixtures/mapper') } } }, USAGE);
  const out = SETS.map(({ name, file }) => report(name, evaluate(readLabelled(join(values.fixtures, file))), values.errors));
  process.stdout.write(`${out.join('\n\n')}\n`);
});
