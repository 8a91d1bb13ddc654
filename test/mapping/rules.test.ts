import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { compileLexicon, lexiconPath, type CompiledLexicon } from '../../src/mapping/lexicon.ts';
import { TermMatches } from '../../src/mapping/match.ts';
import { Modality } from '../../src/mapping/modality.ts';
import { RuleEvaluator } from '../../src/mapping/rules.ts';
import { Tokens } from '../../src/mapping/tokens.ts';

/** The English lexicon with only the rules given, to test how rules fire. */
function lexiconWith(rules: object[], masks: string[] = []): CompiledLexicon {
  const raw = parse(readFileSync(lexiconPath('en'), 'utf8')) as Record<string, unknown>;
  return compileLexicon({ ...raw, masks, rules }, 'test.yaml');
}

function fire(lexicon: CompiledLexicon, text: string) {
  const tokens = new Tokens().fill(text, 0, text.length, lexicon);
  const matches = new TermMatches(lexicon.featureNames.length).find(tokens, lexicon);
  const evaluator = new RuleEvaluator(lexicon);
  const candidates = evaluator.candidatesOf(matches);
  const modality = new Modality().read(tokens, lexicon, undefined);
  return evaluator.evaluate(text, tokens, matches, modality, candidates).map((f) => ({ id: f.rule.id, score: f.score, terms: f.terms }));
}

const PAIR = { id: 'pair', criterion: 'art1.1.d.iv', why: 'journalists detained', all: [['journalists'], ['detained']], weight: 0.8, window: 4 };

t.test('a rule needs each part, within its window', async (t) => {
  const lexicon = lexiconWith([PAIR]);
  t.same(fire(lexicon, 'Journalists were detained.'), [{ id: 'pair', score: 0.8, terms: ['Journalists', 'detained'] }]);
  t.same(fire(lexicon, 'Journalists came to the capital to cover the vote and many people were later detained.'), [], 'too far apart');
  t.same(fire(lexicon, 'Journalists came.'), [], 'a part is missing');
});

t.test('unless vetoes the rule; one word cannot serve two parts', async (t) => {
  const lexicon = lexiconWith([
    { ...PAIR, unless: ['football'] },
    { id: 'same', criterion: 'corroboration', why: 'an inquiry', all: [['inquiry'], ['inquiry', 'opened']], weight: 0.7 },
  ]);
  t.same(fire(lexicon, 'Football journalists were detained.'), []);
  t.same(fire(lexicon, 'An inquiry.'), [], '"inquiry" alone is not both parts');
  t.same(fire(lexicon, 'An inquiry was opened.').map((f) => f.id), ['same']);
});

t.test('a mask hides the evidence words inside a name', async (t) => {
  const lexicon = lexiconWith([{ id: 'torture', criterion: 'art1.1.c.i', why: 'torture', all: ['torture'], weight: 0.8 }], ['committee against torture']);
  t.same(fire(lexicon, 'The Committee against Torture met.'), []);
  t.same(fire(lexicon, 'Prisoners faced torture.').map((f) => f.id), ['torture']);
});

t.test('the last part decides whether a rule is asked for, unless the rule names its decisive part', async (t) => {
  const lexicon = lexiconWith([
    PAIR,
    { id: 'called', criterion: 'corroboration', why: 'UN experts called for', all: [['un experts'], ['=called for'], ['moratorium']], weight: 0.7, window: 10, decidedBy: 1 },
  ]);
  t.same(fire(lexicon, 'States must free the journalists who were detained.').map((f) => f.id), ['pair'], 'reported after the request');
  t.same(fire(lexicon, 'States must not let journalists be detained.'), []);
  t.same(fire(lexicon, 'UN experts called for a moratorium to stop abuses.').map((f) => f.id), ['called']);
});
