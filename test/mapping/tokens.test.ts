import t from 'tap';
import { loadLexicon } from '../../src/mapping/lexicon.ts';
import { Tokens } from '../../src/mapping/tokens.ts';

t.test('words are read with their offsets, stems and clause breaks; the buffer is reused', async (t) => {
  const lexicon = loadLexicon('fr');
  const text = "xx L'État a détenu des militants, puis les a libérés. yy";
  const tokens = new Tokens().fill(text, 3, text.length - 3, lexicon);
  const words = Array.from({ length: tokens.count }, (_, i) => text.slice(tokens.start[i], tokens.end[i]));
  t.same(words, ['L', 'État', 'a', 'détenu', 'des', 'militants', 'puis', 'les', 'a', 'libérés']);
  t.equal(tokens.info[1]!.surface, 'etat', 'folded');
  t.equal(tokens.info[3]!.stem, lexicon.word('detenu').stem, 'accents do not change the stem');
  t.same(tokens.clauseBreak.slice(0, tokens.count).map((b, i) => (b ? words[i] : '')).filter(Boolean), ['puis'], 'the comma ends a clause, the apostrophe does not');
  tokens.fill('Deux mots', 0, 9, lexicon);
  t.equal(tokens.count, 2);
});
