import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { evaluate, readLabelled, scores } from '../../src/mapping/evaluation.ts';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { ProblemsError } from '../../src/shared/problems.ts';

const FIXTURES = join(PROJECT_ROOT, 'test/fixtures/mapper');

/**
 * Floors a little under what the mapper reaches today (see `npm run eval:mapper`),
 * so that a change to the lexicons or rules that loses ground fails here.
 */
const FLOORS = { dev: 0.85, heldout: 0.6 };

t.test('the held-out documents keep their micro-F1 above the floor', async (t) => {
  const evaluation = evaluate(readLabelled(join(FIXTURES, 'heldout.jsonl')));
  t.ok(evaluation.documents >= 15, `${evaluation.documents} held-out documents`);
  t.same(evaluation.languageErrors, [], 'the language of every document is detected');
  t.ok(evaluation.micro.f1 >= FLOORS.heldout, `held-out micro-F1 ${evaluation.micro.f1.toFixed(3)} >= ${FLOORS.heldout}`);
});

t.test('the development documents keep their micro-F1 above the floor', async (t) => {
  const evaluation = evaluate(readLabelled(join(FIXTURES, 'dev.jsonl')));
  t.ok(evaluation.passages >= 400, `${evaluation.passages} labelled passages`);
  t.ok(evaluation.micro.f1 >= FLOORS.dev, `dev micro-F1 ${evaluation.micro.f1.toFixed(3)} >= ${FLOORS.dev}`);
});

t.test('held-out and development documents are different documents', async (t) => {
  const dev = new Set(readLabelled(join(FIXTURES, 'dev.jsonl')).map((p) => p.doc));
  const heldout = new Set(readLabelled(join(FIXTURES, 'heldout.jsonl')).map((p) => p.doc));
  t.same([...heldout].filter((d) => dev.has(d)), []);
});

t.test('scores: precision, recall and F1 from counts', async (t) => {
  t.same(scores({ tp: 6, fp: 2, fn: 4 }), { tp: 6, fp: 2, fn: 4, precision: 0.75, recall: 0.6, f1: 2 * 0.75 * 0.6 / 1.35 });
  t.equal(scores({ tp: 0, fp: 0, fn: 0 }).f1, 1, 'nothing to find and nothing found');
});

t.test('a labelled file with bad lines reports every line', async (t) => {
  const file = join(await mkdtemp(join(tmpdir(), 'labels-')), 'bad.jsonl');
  await writeFile(file, '{"doc":"a","lang":"en","text":"x","criteria":["art9"]}\nnot json\n{"doc":"a","lang":"de","text":"x","criteria":[]}\n');
  const error = t.throws(() => readLabelled(file)) as ProblemsError;
  t.same(error.problems.map((p) => p.path.split('.')[0]!.split('[')[0]), ['line 1', 'line 2', 'line 3']);
});

t.test('a predicted passage counts for the labelled passage it overlaps', async (t) => {
  const evaluation = evaluate([
    { doc: 'd', lang: 'en', text: 'Police tortured the detainees.', criteria: ['art1.1.c.i'] },
    { doc: 'd', lang: 'en', text: 'It rained.', criteria: [], continues: true },
    { doc: 'd', lang: 'en', text: 'Journalists were jailed for criticising the president.', criteria: ['art1.1.d.iv'] },
  ]);
  t.equal(evaluation.perCriterion['art1.1.c.i'].tp, 1);
  t.equal(evaluation.perCriterion['art1.1.d.iv'].tp, 1);
  t.equal(evaluation.perCriterion['art1.1.c.v'].fp, 1, 'jailed: an arrest the labels did not ask for');
  t.same(evaluation.outcomes.map((o) => o.predicted.length > 0), [true, false, true]);
});
