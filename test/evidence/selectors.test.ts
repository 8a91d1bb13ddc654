import t from 'tap';
import type { Excerpt } from '../../src/evidence/case-file.ts';
import { anchorQuote, verifyExcerpt } from '../../src/evidence/selectors.ts';
import { sha256Hex } from '../../src/shared/hash.ts';
import { SourceDocument } from '../../src/sources/source-document.ts';

const text = 'Skip to main content\n\nLe logiciel espion a été utilisé contre des journalistes. Le groupe NSO nie.\n';
const source = new SourceDocument(
  { id: 'test-source', file: 't.txt', title: 'T', organisation: 'O', kind: 'k', date: '2021-01-01', language: 'fr', sha256: sha256Hex(text) },
  text,
);

function excerptOf(exact: string, start: number, end: number, extra: Partial<Excerpt> = {}): Excerpt {
  return { id: 'ex-test', source: source.id, sha256: source.entry.sha256, quote: { exact, prefix: '', suffix: '' }, position: { start, end }, criteria: [], exculpatory: false, note: 'n', ...extra };
}

t.test('anchoring a quote records both selectors in code points', async (t) => {
  const result = anchorQuote(source, 'a été utilisé contre des journalistes');
  t.ok(result.ok);
  if (!result.ok) return;
  const { quote, position } = result.anchor;
  t.equal([...text].slice(position.start, position.end).join(''), quote.exact);
  t.equal(quote.prefix, 'ain content\n\nLe logiciel espion '.slice(-32));
  t.ok(quote.suffix.startsWith('. Le groupe NSO nie.'));
  t.same(verifyExcerpt({ ...excerptOf(quote.exact, position.start, position.end), quote }, source, 'e').problems, []);
});

t.test('a quote not in the source, twice in it, or in its boilerplate cannot be anchored', async (t) => {
  t.match(anchorQuote(source, 'utilisé contre des avocats'), { ok: false, problem: { code: 'quote_not_found' } });
  t.match(anchorQuote(source, 'Le '), { ok: false, problem: { code: 'quote_ambiguous' } });
  t.match(anchorQuote(source, 'main content'), { ok: false, problem: { code: 'boilerplate' } });
});

t.test('drifted positions are corrected when the quote is still found once', async (t) => {
  const anchor = anchorQuote(source, 'Le groupe NSO nie.');
  if (!anchor.ok) throw new Error('anchor');
  const drifted = { ...excerptOf('Le groupe NSO nie.', 3, 21), quote: anchor.anchor.quote };
  const check = verifyExcerpt(drifted, source, 'excerpts[0]');
  t.same(check.problems, []);
  t.same(check.corrected, anchor.anchor.position);
});

t.test('a changed quote is an error naming the excerpt, the expected and the found text', async (t) => {
  const check = verifyExcerpt(excerptOf('Le groupe NSO a nié.', 80, 98), source, 'excerpts[4]');
  t.equal(check.problems.length, 1);
  const [problem] = check.problems;
  t.equal(problem!.code, 'quote_mismatch');
  t.equal(problem!.path, 'excerpts[4].quote.exact');
  t.match(problem!.message, 'ex-test');
  t.match(problem!.message, 'expected "Le groupe NSO a nié."');
  t.match(problem!.message, 'found "');
});

t.test('an excerpt whose source hash differs is refused', async (t) => {
  const check = verifyExcerpt(excerptOf('Le groupe NSO nie.', 80, 98, { sha256: '0'.repeat(64) }), source, 'x');
  t.match(check.problems, [{ code: 'source_hash_mismatch' }]);
});

t.test("a position whose end is past the source's end is not where the quote is, even for the source's last words", async (t) => {
  const length = [...text].length;
  const exact = 'Le groupe NSO nie.\n';
  const at = length - [...exact].length;
  t.same(verifyExcerpt(excerptOf(exact, at, length, { quote: { exact, prefix: 'stes. ', suffix: '' } }), source, 'e').problems, [], 'where it is');
  const past = verifyExcerpt(excerptOf(exact, at, length + 40, { quote: { exact, prefix: 'stes. ', suffix: '' } }), source, 'e');
  t.same(past.corrected, { start: at, end: length }, 'corrected to where it is, as drifted positions are');
});

t.test('a quote that cuts a letter from its combining accent (a source in NFD) is not anchored, with or without a position', async (t) => {
  const nfd = 'Le tribunal a condamne\u0301 la société. Il condamne aussi les autres.\n';
  const decomposed = new SourceDocument({ ...source.entry, id: 'nfd', sha256: sha256Hex(nfd) }, nfd);
  const anchored = anchorQuote(decomposed, 'condamne');
  t.ok(anchored.ok, 'the whole word "condamne" occurs once, in the second sentence');
  if (anchored.ok) t.equal(anchored.anchor.position.start, [...'Le tribunal a condamne\u0301 la société. Il '].length);
  const cut = anchorQuote(decomposed, 'a condamne');
  t.match(cut, { ok: false, problem: { code: 'quote_not_found' } }, '"a condamne" occurs only as the start of "a condamné"');
  const start = [...'Le tribunal a '].length;
  const positioned = verifyExcerpt({ ...excerptOf('condamne', start, start + 8), source: 'nfd', sha256: decomposed.entry.sha256 }, decomposed, 'e');
  t.match(positioned.problems, [{ code: 'quote_splits_character' }]);
});
