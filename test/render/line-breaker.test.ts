import t from 'tap';
import { breakLines } from '../../src/render/pdf/line-breaker.ts';

const measure = (s: string) => [...s].length;

t.test('greedy lines never wider than the width', async (t) => {
  const lines = breakLines('the quick brown fox jumps over the lazy dog', 10, measure);
  t.same(lines, ['the quick', 'brown fox', 'jumps over', 'the lazy', 'dog']);
});

t.test('a no-break space keeps its words together; newlines are kept', async (t) => {
  t.same(breakLines('aa bb\u00a0cc dd\nee', 6, measure), ['aa', 'bb\u00a0cc', 'dd', 'ee']);
  t.same(breakLines('a\n\n\n\nb', 6, measure), ['a', '', 'b'], 'runs of blank lines become one');
});

t.test('a word wider than the line is cut between characters', async (t) => {
  t.same(breakLines('hash 0123456789abcdef', 8, measure), ['hash', '01234567', '89abcdef']);
});
