import t from 'tap';
import { breakLines, shortenToFit } from '../../src/render/pdf/line-breaker.ts';

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

t.test('shortening keeps the longest beginning that fits with its "…", and drops whole characters', async (t) => {
  t.equal(shortenToFit('Short title', 11, measure), 'Short title', 'a title that fits is kept whole');
  t.equal(shortenToFit('Designation criteria', 12, measure), 'Designation…', 'the longest beginning that fits with "…"');
  t.equal(shortenToFit('The evidence of abuse', 5, measure), 'The…', 'no space is left before "…"');
  t.equal(shortenToFit('Les 𝔸𝔹𝔻', 6, measure), 'Les 𝔸…', 'never half a surrogate pair');
  t.equal(shortenToFit('condamne\u0301s', 9, measure), 'condamn…', 'an accent never without its letter');
  t.equal(shortenToFit('abc', 0, measure), 'a…', 'at least one character stays');
  t.equal(shortenToFit('𝔸', 0, measure), '𝔸', 'one character is left as it is: "…" would only widen it');
  const long = 'word '.repeat(20_000);
  let measured = 0;
  const counting = (s: string) => (measured++, measure(s));
  t.equal(shortenToFit(long, 40, counting), `${long.slice(0, 39).trimEnd()}…`);
  t.ok(measured < 40, `a 100,000-character title takes ${measured} measurements`);
});
