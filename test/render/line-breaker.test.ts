import t from 'tap';
import { breakLines, dropLastGraphemes } from '../../src/render/pdf/line-breaker.ts';

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

t.test('a long word is cut between graphemes: an accent written as a combining mark stays on its letter', async (t) => {
  const lines = breakLines('ae\u0301ie\u0301o', 2, measure);
  t.same(lines, ['a', 'e\u0301', 'i', 'e\u0301', 'o']);
  t.ok(lines.every((line) => !/^\p{M}/u.test(line)), 'no line starts with a combining mark');
});

t.test('CRLF and a lone CR break lines as LF does: no CR is left to be drawn', async (t) => {
  t.same(breakLines('first line\r\nsecond\rthird', 20, measure), ['first line', 'second', 'third']);
  t.ok(breakLines('a\r\n\r\nb', 6, measure).every((line) => !line.includes('\r')));
});

t.test('shortening drops whole characters: never half a surrogate pair, never an accent without its letter', async (t) => {
  t.equal(dropLastGraphemes('Les 𝔸𝔹', 1), 'Les 𝔸');
  t.equal(dropLastGraphemes('condamne\u0301s', 1), 'condamne\u0301', 'the accent stays with its e');
  t.equal(dropLastGraphemes('condamne\u0301', 1), 'condamn', 'e and its accent go together');
  t.equal(dropLastGraphemes('ab', 5), '');
});
