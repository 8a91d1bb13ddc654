import t from 'tap';
import { CodePointIndex, codePointLength } from '../../src/shared/code-points.ts';

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
