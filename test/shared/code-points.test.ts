import t from 'tap';
import { CodePointIndex, codePointLabel, codePointLength } from '../../src/shared/code-points.ts';

t.test('offsets count code points, not UTF-16 units', async (t) => {
  const text = 'a😀é«b»';
  const index = new CodePointIndex(text);
  t.equal(index.length, 6);
  t.equal(codePointLength(text), 6);
  t.equal(index.slice(1, 3), '😀é');
  t.equal(index.toUtf16(2), 3, 'the emoji takes two UTF-16 units');
  t.equal(index.toCodePoint(3), 2);
  t.equal(index.slice(4, 6), 'b»');
});

t.test('at() names the text of a position inside the text, and nothing for one outside it', async (t) => {
  const index = new CodePointIndex('a😀bc');
  t.equal(index.at(1, 3), '😀b');
  t.equal(index.at(0, 4), 'a😀bc');
  t.equal(index.at(2, 5), undefined, 'an end past the text');
  t.equal(index.at(3, 2), undefined, 'an end before the start');
  t.equal(index.slice(2, 5), 'bc', 'slice() still clips, for contexts');
});

t.test('a character is labelled by its code point, and shown beside it only when it shows something', async (t) => {
  t.equal(codePointLabel('北'), 'U+5317 北');
  t.equal(codePointLabel('😀'), 'U+1F600 😀');
  t.equal(codePointLabel('\u0007'), 'U+0007', 'a control character');
  t.equal(codePointLabel('\u200b'), 'U+200B', 'a format character');
  t.equal(codePointLabel('\u2028'), 'U+2028', 'a line separator');
});
