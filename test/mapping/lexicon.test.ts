import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { CRITERION_IDS } from '../../src/criteria/schema.ts';
import { compileLexicon, lexiconPath, loadLexicon } from '../../src/mapping/lexicon.ts';
import { ProblemsError } from '../../src/shared/problems.ts';

const rawLexicon = (lang: 'en' | 'fr') => parse(readFileSync(lexiconPath(lang), 'utf8')) as Record<string, unknown>;

t.test('both lexicons load, and each has a rule for every criterion', async (t) => {
  for (const lang of ['en', 'fr'] as const) {
    const lexicon = loadLexicon(lang);
    t.equal(lexicon.lang, lang);
    const covered = new Set(lexicon.rules.map((r) => r.criterion));
    t.same(CRITERION_IDS.filter((id) => !covered.has(id)), [], `${lang}: no criterion without a rule`);
    t.ok(lexicon.terms.length > 500, `${lang}: ${lexicon.terms.length} terms`);
  }
});

t.test('the stop words of the two languages do not overlap, so detection has no ties by construction', async (t) => {
  const en = loadLexicon('en').stopwords;
  t.same([...loadLexicon('fr').stopwords].filter((w) => en.has(w)), []);
});

t.test('a lexicon is validated at load and every problem is reported at once', async (t) => {
  const raw = rawLexicon('en');
  const broken = {
    ...raw,
    threshold: 2,
    rules: [
      { id: 'Bad Id', criterion: 'art9', why: 'a test rule', all: [], weight: 0.5 },
      { id: 'ok-rule', criterion: 'art1.1.a', why: 'fine', all: ['genocide'], weight: 0.5 },
    ],
  };
  const error = t.throws(() => compileLexicon(broken, 'broken.yaml')) as ProblemsError;
  t.type(error, ProblemsError);
  const paths = error.problems.map((p) => p.path);
  t.ok(paths.includes('threshold'), 'threshold out of range');
  t.ok(paths.includes('rules[0].id'), 'rule id format');
  t.ok(paths.includes('rules[0].criterion'), 'unknown criterion');
  t.ok(paths.includes('rules[0].all'), 'a rule needs a part');
});

t.test('unknown concepts, cycles and impossible parts are refused with their paths', async (t) => {
  const raw = rawLexicon('fr');
  const broken = {
    ...raw,
    concepts: { ...(raw.concepts as object), loop_a: ['@loop_b'], loop_b: ['@loop_a'] },
    rules: [
      { id: 'missing', criterion: 'art1.1.a', why: 'a test rule', all: ['@nowhere'], weight: 0.5 },
      { id: 'cycle', criterion: 'art1.1.b', why: 'a test rule', all: ['@loop_a'], weight: 0.5 },
      { id: 'decided', criterion: 'art1.1.b', why: 'a test rule', all: ['génocide'], weight: 0.5, decidedBy: 3 },
      { id: 'decided', criterion: 'art1.1.b', why: 'a test rule', all: ['génocide'], weight: 0.5 },
    ],
  };
  const error = t.throws(() => compileLexicon(broken, 'broken.yaml')) as ProblemsError;
  const codes = error.problems.map((p) => p.code).sort();
  t.same(codes, ['bad_part', 'concept_cycle', 'duplicate_rule', 'unknown_concept']);
});

t.test('"@concept" inside a phrase stands for each term of the concept', async (t) => {
  const raw = rawLexicon('en');
  const lexicon = compileLexicon(
    { ...raw, anaphora: undefined, concepts: { victims: ['journalists', 'lawyers'], counted: ['<n20> @victims'] }, rules: [{ id: 'count', criterion: 'art1.1.d.threshold', why: 'a test rule', all: ['@counted'], weight: 0.9 }] },
    'small.yaml',
  );
  t.same(lexicon.terms.map((term) => term.text).filter((text) => text.startsWith('<n20>')).sort(), ['<n20> journalists', '<n20> lawyers']);
});
