import t from 'tap';
import { DOZENS, fold, foldPhrase, HUNDREDS, stemPhrase, stemWord } from '../../src/mapping/normalise.ts';

t.test('folding lowers case and drops diacritics and ligatures', async (t) => {
  t.equal(fold('Détenus'), 'detenus');
  t.equal(fold('ŒUVRENT'), 'oeuvrent');
  t.equal(fold('e\u0301te\u0301'), 'ete', 'decomposed accents too');
  t.equal(fold('Journalists'), 'journalists');
});

t.test('inflections share a stem, accented or not', async (t) => {
  t.equal(stemWord('journalists', 'en'), stemWord('journalist', 'en'));
  t.equal(stemWord('detained', 'en'), stemWord('detain', 'en'));
  t.equal(stemWord('torturés', 'fr'), stemWord('torture', 'fr'));
  t.equal(stemWord('détenus', 'fr'), stemWord('detenus', 'fr'), 'text typed without accents matches');
  t.same(stemPhrase('freedom of expression', 'en'), ['freedom', 'of', 'express']);
});

t.test('numbers show scale by size; years and small numbers stay themselves', async (t) => {
  t.equal(stemWord('300', 'en'), HUNDREDS);
  t.equal(stemWord('56', 'fr'), DOZENS);
  t.equal(stemWord('000', 'fr'), HUNDREDS, 'the last group of "700 000"');
  t.equal(stemWord('2015', 'en'), '2015');
  t.equal(stemWord('7', 'en'), '7');
  t.same(stemPhrase('<n20> people', 'en'), [DOZENS, 'peopl']);
});

t.test('surface phrases are folded words', async (t) => {
  t.same(foldPhrase("Calls on l'État"), ['calls', 'on', 'l', 'etat']);
});
