import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { SEEDS_DIR } from '../../src/paths.ts';
import { startService, type TestService } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';
import { newCaseBody } from '../helpers/new-case.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const codePoints = (text: string) => [...text];

/** The source text as stored in seeds/, by the manifest. */
async function seed(id: string): Promise<{ entry: Record<string, unknown> & { file: string; sha256: string }; text: string }> {
  const manifest = JSON.parse(await readFile(join(SEEDS_DIR, 'manifest.json'), 'utf8')) as Array<{ id: string; file: string; sha256: string }>;
  const entry = manifest.find((e) => e.id === id)!;
  return { entry, text: await readFile(join(SEEDS_DIR, entry.file), 'utf8') };
}

/** Where `needle` starts in `text`, in code points, and how often it occurs. */
function find(text: string, needle: string): { start: number; end: number; count: number } {
  const count = text.split(needle).length - 1;
  const start = codePoints(text.slice(0, text.indexOf(needle))).length;
  return { start, end: start + codePoints(needle).length, count };
}


const get = (svc: TestService, url: string, token = svc.tokens.editor) => svc.app.inject({ method: 'GET', url, headers: svc.auth(token) });
const post = (svc: TestService, url: string, payload: unknown) => svc.app.inject({ method: 'POST', url, headers: svc.auth(svc.tokens.editor), payload: payload as object });

const upload = (overrides: Record<string, unknown>) => ({
  id: 'test-source',
  title: 'A test source',
  organisation: 'Test Organisation',
  kind: 'report',
  date: '2024-05-01',
  language: 'en',
  text: 'A plain text source.\n',
  ...overrides,
});

const JOINT = 'joint-letter-nso-2021';
const UNIQUE_QUOTE = 'Le ciblage systémique des défenseurs des droits humains palestiniens via Pegasus';

t.test('GET /sources lists the five seed sources with their SHA-256', async (t) => {
  const svc = await startService(t);
  const res = await get(svc, '/sources', svc.tokens.reviewer);
  t.equal(res.statusCode, 200);
  const list = res.json() as Array<{ id: string; sha256: string; length: number }>;
  const manifest = JSON.parse(await readFile(join(SEEDS_DIR, 'manifest.json'), 'utf8')) as Array<{ id: string; sha256: string; file: string }>;
  t.same(list.map((s) => s.id), manifest.map((m) => m.id), 'the manifest order');
  for (const entry of manifest) {
    const source = list.find((s) => s.id === entry.id)!;
    t.equal(source.sha256, entry.sha256, `${entry.id} has its manifest SHA-256`);
    const text = await readFile(join(SEEDS_DIR, entry.file), 'utf8');
    t.equal(source.length, codePoints(text).length, `${entry.id} reports its length in code points`);
  }
});

t.test('GET /sources/joint-letter-nso-2021 returns the exact text of the seed', async (t) => {
  const svc = await startService(t);
  const res = await get(svc, `/sources/${JOINT}`);
  t.equal(res.statusCode, 200);
  const { entry, text } = await seed(JOINT);
  const body = res.json();
  t.equal(body.text, text, 'byte for byte');
  t.equal(body.sha256, entry.sha256);
  t.equal(sha256(body.text), body.sha256, 'the text hashes to its SHA-256');
  t.equal(body.title, entry.title);
  t.match(body.boilerplate, [{ start: 0 }], 'the "Skip to main content" line is marked as boilerplate');

  const missing = await get(svc, '/sources/no-such-source');
  assertProblem(t, missing, 404, 'source-not-found');
});

t.test('POST /sources stores a plain-text source with a SHA-256 computed from the text', async (t) => {
  const svc = await startService(t);
  const text = 'Report on the surveillance of journalists.\nSecond line, with an accent: é.\n';
  const res = await post(svc, '/sources', upload({ id: 'report-2024', text }));
  t.equal(res.statusCode, 201);
  t.equal(res.headers.location, '/sources/report-2024');
  t.match(res.json(), { id: 'report-2024', file: 'report-2024.txt', sha256: sha256(text), length: codePoints(text).length, organisation: 'Test Organisation' });
  t.notOk('text' in res.json(), 'the summary does not repeat the text');

  const stored = (await get(svc, '/sources/report-2024')).json();
  t.equal(stored.text, text);
  t.equal(stored.sha256, sha256(text));
  t.equal((await get(svc, '/sources')).json().length, 6);
});

t.test('POST /sources with a text already stored is 409 naming the existing source', async (t) => {
  const svc = await startService(t);
  const text = 'The same words, twice.\n';
  t.equal((await post(svc, '/sources', upload({ id: 'first-copy', text }))).statusCode, 201);
  const again = await post(svc, '/sources', upload({ id: 'second-copy', text }));
  const body = assertProblem(t, again, 409, 'source-exists');
  t.equal(body.source, 'first-copy');
  t.match(body.detail, /first-copy/);

  const { text: seedText } = await seed(JOINT);
  const seedAgain = await post(svc, '/sources', upload({ id: 'joint-letter-copy', text: seedText }));
  t.equal(assertProblem(t, seedAgain, 409, 'source-exists').source, JOINT, 'a seed text is recognised too');

  const ids = (await get(svc, '/sources')).json().map((s: { id: string }) => s.id);
  t.notOk(ids.includes('second-copy'));
  t.notOk(ids.includes('joint-letter-copy'));
});

t.test('POST /sources with an id already taken is 409', async (t) => {
  const svc = await startService(t);
  const res = await post(svc, '/sources', upload({ id: JOINT, text: 'Different words.\n' }));
  assertProblem(t, res, 409, 'source-id-taken');
  t.equal((await get(svc, `/sources/${JOINT}`)).json().sha256, (await seed(JOINT)).entry.sha256, 'the seed is untouched');
});

t.test('POST /sources over SOURCE_LIMIT is refused with a detail giving both sizes', async (t) => {
  const svc = await startService(t, { SOURCE_LIMIT: '2048' });
  const text = 'x'.repeat(3000);
  const res = await post(svc, '/sources', upload({ id: 'too-large', text }));
  t.ok([413, 422].includes(res.statusCode), `413 or 422 (got ${res.statusCode})`);
  const body = assertProblem(t, res, res.statusCode, 'source-too-large');
  t.match(body.detail, /3000 bytes/);
  t.match(body.detail, /2048/);

  // Bytes count, not characters: 700 × "é" is 1400 bytes, 1100 × "é" is 2200.
  t.equal((await post(svc, '/sources', upload({ id: 'accents-ok', text: 'é'.repeat(700) }))).statusCode, 201);
  const accents = await post(svc, '/sources', upload({ id: 'accents-too-many', text: 'é'.repeat(1100) }));
  t.match(assertProblem(t, accents, accents.statusCode, 'source-too-large').detail, /2200 bytes/);

  const huge = await post(svc, '/sources', upload({ id: 'far-too-large', text: 'y'.repeat(200_000) }));
  t.match(assertProblem(t, huge, 413, 'body-too-large').detail, `larger than the ${3 * 2048 + 64 * 1024} bytes this address accepts`);

  const ids = (await get(svc, '/sources')).json().map((s: { id: string }) => s.id);
  t.same(ids.filter((id: string) => !['ai-french-presidency-2021', 'hrw-ayrault-china', 'ai-surveillance-briefing-fr', JOINT, 'ai-luxembourg-2022'].includes(id)), ['accents-ok']);
});

t.test('a source just under SOURCE_LIMIT is taken however its JSON is written, every accent escaped too', async (t) => {
  const svc = await startService(t, { SOURCE_LIMIT: '200000' });
  // 99,000 × "é" is 198,000 bytes of UTF-8; as Python's json.dumps writes it ("\u00e9"), 594,000 bytes of JSON.
  const text = 'é'.repeat(99_000);
  const escaped = JSON.stringify(upload({ id: 'escaped-accents', text })).replace(/é/g, '\\u00e9');
  t.ok(escaped.length > 3 * 198_000, 'the body is three times the text');
  const res = await svc.app.inject({ method: 'POST', url: '/sources', headers: { ...svc.auth(svc.tokens.editor), 'content-type': 'application/json' }, payload: escaped });
  t.equal(res.statusCode, 201, res.body.slice(0, 300));
  t.equal((await get(svc, '/sources/escaped-accents')).json().text, text, 'stored as the text, not as its escapes');
});

t.test('POST /sources with a NUL character is 422 and stores nothing', async (t) => {
  const svc = await startService(t);
  const res = await post(svc, '/sources', upload({ id: 'binary', text: 'PDF\u0000binary' }));
  const body = assertProblem(t, res, 422, 'not-text');
  t.match(body.detail, /NUL/);
  t.equal((await get(svc, '/sources/binary')).statusCode, 404);

  const surrogate = await post(svc, '/sources', upload({ id: 'lone-surrogate', text: 'broken \ud800 text' }));
  assertProblem(t, surrogate, 422, 'not-text');
});

t.test('POST /sources with no letter or digit, or with a control character, is 422 naming the problem, and stores nothing', async (t) => {
  const svc = await startService(t);
  const blank = assertProblem(t, await post(svc, '/sources', upload({ id: 'blank', text: ' \n\t \n' })), 422, 'validation-failed');
  t.match(blank.detail, 'body.text: the source text has no letter or digit: there is nothing in it to quote');
  const bell = assertProblem(t, await post(svc, '/sources', upload({ id: 'bell', text: 'Ordinary text\u0007 with a bell' })), 422, 'validation-failed');
  t.match(bell.detail, 'body.text: the source text holds the control character U+0007 at code point 13: a plain-text source has none but tabs, line breaks and form feeds');
  const escape = assertProblem(t, await post(svc, '/sources', upload({ id: 'escape', text: 'é\u001b[31mred' })), 422, 'validation-failed');
  t.match(escape.detail, 'U+001B at code point 1');
  for (const id of ['blank', 'bell', 'escape']) t.equal((await get(svc, `/sources/${id}`)).statusCode, 404, `${id} is not stored`);
  const paged = await post(svc, '/sources', upload({ id: 'paged', text: 'Page one.\fPage two.\r\n\tIndented.' }));
  t.equal(paged.statusCode, 201, `tabs, line breaks and a form feed are plain text: ${paged.body.slice(0, 200)}`);
});

t.test('POST /sources with a source_url that is not http(s) is 422 naming the field, and stores nothing', async (t) => {
  const svc = await startService(t);
  for (const [n, url] of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://example.org/report.txt'].entries()) {
    const body = assertProblem(t, await post(svc, '/sources', upload({ id: `bad-url-${n}`, source_url: url, text: `A text ${n}.\n` })), 422, 'validation-failed');
    t.match(body.errors, [{ path: 'body.source_url', message: /http/ }], url);
    t.equal((await get(svc, `/sources/bad-url-${n}`)).statusCode, 404);
  }
  t.equal((await post(svc, '/sources', upload({ id: 'good-url', source_url: 'https://example.org/report', text: 'A good text.\n' }))).statusCode, 201);
});

t.test('POST /sources without a date or date_note is 422 naming date_note', async (t) => {
  const svc = await startService(t);
  const res = await post(svc, '/sources', upload({ id: 'undated', date: null, text: 'Undated text.\n' }));
  const body = assertProblem(t, res, 422, 'invalid-content');
  t.ok(body.errors.some((e: { path: string }) => e.path === 'date_note'));
});

t.test('POST /cases/nso-group/excerpts with a blank quote is 422 and the case stays readable', async (t) => {
  const svc = await startService(t);
  const text = (await get(svc, `/sources/${JOINT}`)).json().text as string;
  const spaces = [...text].findIndex((c, i, all) => c === ' ' && all[i + 1] === ' ');
  const body = { id: 'ex-blank', source: JOINT, quote: { exact: '  ' }, ...(spaces >= 0 ? { position: { start: spaces, end: spaces + 2 } } : {}), criteria: ['art1.1.c.iii'], note: 'Blank.' };
  const res = await post(svc, '/cases/nso-group/excerpts', body);
  const problem = assertProblem(t, res, 422, 'validation-failed');
  t.match(problem.errors, [{ path: 'body.quote.exact', message: /blank/ }]);
  t.equal((await get(svc, '/cases/nso-group')).statusCode, 200, 'the case still reads');
});

t.test('POST /cases/nso-group/excerpts anchors a quote that occurs once, with prefix, suffix and code-point position', async (t) => {
  const svc = await startService(t);
  const { text, entry } = await seed(JOINT);
  const at = find(text, UNIQUE_QUOTE);
  t.equal(at.count, 1, 'the quote occurs once in the seed');
  const before = (await get(svc, '/cases/nso-group')).json();

  const res = await post(svc, '/cases/nso-group/excerpts', { id: 'ex-test-systemic-targeting', source: JOINT, quote: { exact: UNIQUE_QUOTE }, criteria: ['art1.1.c.iii'], note: 'Systemic targeting.' });
  t.equal(res.statusCode, 201);
  t.equal(res.headers.location, '/cases/nso-group/excerpts/ex-test-systemic-targeting');
  const excerpt = res.json();
  t.same(excerpt.position, { start: at.start, end: at.end });
  const cps = codePoints(text);
  t.equal(cps.slice(at.start, at.end).join(''), UNIQUE_QUOTE);
  t.equal(excerpt.quote.exact, UNIQUE_QUOTE);
  t.equal(excerpt.quote.prefix, cps.slice(at.start - 32, at.start).join(''), '32 code points before');
  t.equal(excerpt.quote.suffix, cps.slice(at.end, at.end + 32).join(''), '32 code points after');
  t.equal(excerpt.sha256, entry.sha256, 'the hash of the source it was taken from');
  t.same(excerpt.criteria, ['art1.1.c.iii']);

  const listed = (await get(svc, '/cases/nso-group/excerpts')).json();
  t.same(listed.at(-1), excerpt, 'stored as answered');
  const after = (await get(svc, '/cases/nso-group')).json();
  t.equal(after.excerpts, before.excerpts + 1);
  t.equal(after.revision, before.revision + 1);
});

t.test('positions count code points, not UTF-16 units', async (t) => {
  const svc = await startService(t);
  const text = 'Emoji first 😀😀😀 then the finding: the company sold spyware to the agency.\n';
  t.equal((await post(svc, '/sources', upload({ id: 'emoji-source', text }))).statusCode, 201);
  const quote = 'the company sold spyware to the agency';
  const res = await post(svc, '/cases/nso-group/excerpts', { id: 'ex-test-emoji', source: 'emoji-source', quote: { exact: quote }, criteria: [], note: 'After three astral characters.' });
  t.equal(res.statusCode, 201);
  const utf16 = text.indexOf(quote);
  const start = codePoints(text.slice(0, utf16)).length;
  t.equal(start, utf16 - 3, 'each emoji is two UTF-16 units but one code point');
  t.same(res.json().position, { start, end: start + quote.length });
  t.equal(res.json().quote.prefix, codePoints(text).slice(start - 32, start).join(''), 'the prefix is 32 code points, emoji counted once');

  const explicit = await post(svc, '/cases/nso-group/excerpts', {
    id: 'ex-test-emoji-positioned',
    source: 'emoji-source',
    quote: { exact: 'the finding' },
    position: { start: codePoints(text.slice(0, text.indexOf('the finding'))).length, end: codePoints(text.slice(0, text.indexOf('the finding'))).length + 11 },
    note: 'Given with its position.',
  });
  t.equal(explicit.statusCode, 201, 'a position in code points is accepted');
});

t.test('a quote that occurs several times is anchored by the prefix or suffix given with it, kept as given; a context the source does not have is 422', async (t) => {
  const svc = await startService(t);
  const { text } = await seed(JOINT);
  const cps = codePoints(text);
  const quote = 'NSO';
  t.ok(find(text, quote).count > 1, 'the quote occurs more than once in the letter');
  // An occurrence after the first whose 24 code points before it occur with the quote nowhere else.
  let start = -1;
  let prefix = '';
  for (let at = text.indexOf(quote, text.indexOf(quote) + 1); at !== -1 && start < 0; at = text.indexOf(quote, at + 1)) {
    const cp = codePoints(text.slice(0, at)).length;
    const before = cps.slice(cp - 24, cp).join('');
    if (find(text, before + quote).count === 1) [start, prefix] = [cp, before];
  }
  t.ok(start > 0, 'an occurrence that its prefix picks out');

  const anchored = await post(svc, '/cases/nso-group/excerpts', { id: 'ex-test-by-prefix', source: JOINT, quote: { exact: quote, prefix }, criteria: [], note: 'Picked by its prefix.' });
  t.equal(anchored.statusCode, 201, anchored.body);
  t.same(anchored.json().position, { start, end: start + quote.length }, 'at the occurrence the prefix picks');
  t.same(anchored.json().quote, { exact: quote, prefix, suffix: cps.slice(start + quote.length, start + quote.length + 32).join('') }, 'the prefix as given, the suffix from the source');

  const excerptsBefore = (await get(svc, '/cases/nso-group/excerpts')).json();
  const wrong = await post(svc, '/cases/nso-group/excerpts', { id: 'ex-test-wrong-prefix', source: JOINT, quote: { exact: quote, prefix: 'words that are nowhere ' }, criteria: [], note: 'Wrong prefix.' });
  const problem = assertProblem(t, wrong, 422, 'invalid-content');
  t.match(problem.errors, [{ path: 'quote', code: 'context_mismatch', message: /occurs \d+ times in source .+, but never with the prefix given/ }]);
  const both = await post(svc, '/cases/nso-group/excerpts', { id: 'ex-test-wrong-suffix', source: JOINT, quote: { exact: quote, prefix, suffix: 'not what follows' }, criteria: [], note: 'Wrong suffix.' });
  t.match(assertProblem(t, both, 422, 'invalid-content').errors, [{ code: 'context_mismatch', message: /never with the prefix and suffix given/ }]);
  const vague = await post(svc, '/cases/nso-group/excerpts', { id: 'ex-test-vague', source: JOINT, quote: { exact: quote, suffix: ' ' }, criteria: [], note: 'Too little context.' });
  t.match(assertProblem(t, vague, 422, 'invalid-content').errors, [{ code: 'quote_ambiguous', message: /with the suffix given; lengthen it or its suffix/ }]);
  t.same((await get(svc, '/cases/nso-group/excerpts')).json(), excerptsBefore, 'nothing refused is stored');
});

t.test('a quote not in the source is 422 naming it, and nothing is stored or audited', async (t) => {
  const svc = await startService(t);
  const excerptsBefore = (await get(svc, '/cases/nso-group/excerpts')).json();
  const auditBefore = (await get(svc, '/cases/nso-group/audit')).json();
  const caseBefore = (await get(svc, '/cases/nso-group')).json();

  const res = await post(svc, '/cases/nso-group/excerpts', { id: 'ex-test-invented', source: JOINT, quote: { exact: 'NSO Group sold Pegasus to the Moon' }, criteria: [], note: 'Invented.' });
  const body = assertProblem(t, res, 422, 'invalid-content');
  t.match(body.detail, new RegExp(`does not occur in source ${JOINT}`));
  t.match(body.errors, [{ path: 'quote.exact', code: 'quote_not_found' }]);

  const ambiguous = await post(svc, '/cases/nso-group/excerpts', { id: 'ex-test-ambiguous', source: JOINT, quote: { exact: 'NSO' }, criteria: [], note: 'Too short.' });
  t.match(assertProblem(t, ambiguous, 422, 'invalid-content').errors, [{ code: 'quote_ambiguous' }]);

  const unknownSource = await post(svc, '/cases/nso-group/excerpts', { id: 'ex-test-nowhere', source: 'no-such-source', quote: { exact: 'anything' }, criteria: [], note: 'Nowhere.' });
  t.match(assertProblem(t, unknownSource, 422, 'invalid-content').errors, [{ path: 'source', code: 'unknown_source' }]);

  t.same((await get(svc, '/cases/nso-group/excerpts')).json(), excerptsBefore, 'the excerpt list is unchanged');
  t.same((await get(svc, '/cases/nso-group/audit')).json(), auditBefore, 'the audit log is unchanged');
  t.same((await get(svc, '/cases/nso-group')).json(), caseBefore, 'the case is unchanged');
});

t.test('a position that does not match the quote is 422 naming the mismatch', async (t) => {
  const svc = await startService(t);
  const { text } = await seed(JOINT);
  const at = find(text, UNIQUE_QUOTE);
  const auditBefore = (await get(svc, '/cases/nso-group/audit')).json();

  const shifted = await post(svc, '/cases/nso-group/excerpts', {
    id: 'ex-test-shifted',
    source: JOINT,
    quote: { exact: UNIQUE_QUOTE },
    position: { start: at.start + 5, end: at.end + 5 },
    note: 'Shifted.',
  });
  const body = assertProblem(t, shifted, 422, 'invalid-content');
  t.match(body.errors, [{ path: 'position', code: 'position_mismatch' }]);
  t.match(body.detail, `not at ${at.start + 5}-${at.end + 5}`);
  t.match(body.detail, `it is at ${at.start}-${at.end}`);

  const elsewhere = await post(svc, '/cases/nso-group/excerpts', {
    id: 'ex-test-nowhere',
    source: JOINT,
    quote: { exact: 'words that are not in the letter' },
    position: { start: 10, end: 42 },
    note: 'Nowhere.',
  });
  t.match(assertProblem(t, elsewhere, 422, 'invalid-content').errors, [{ code: 'quote_mismatch' }]);

  const exact = await post(svc, '/cases/nso-group/excerpts', {
    id: 'ex-test-positioned',
    source: JOINT,
    quote: { exact: UNIQUE_QUOTE },
    position: { start: at.start, end: at.end },
    note: 'Right place.',
  });
  t.equal(exact.statusCode, 201, 'the right position is accepted');
  const audit = (await get(svc, '/cases/nso-group/audit')).json();
  t.equal(audit.length, auditBefore.length + 1, 'only the accepted excerpt is audited');
});

t.test('an excerpt id already used is 409', async (t) => {
  const svc = await startService(t);
  const existing = (await get(svc, '/cases/nso-group/excerpts')).json()[0];
  const res = await post(svc, '/cases/nso-group/excerpts', { id: existing.id, source: JOINT, quote: { exact: UNIQUE_QUOTE }, criteria: [], note: 'Duplicate id.' });
  const body = assertProblem(t, res, 409, 'excerpt-exists');
  t.equal(body.location, `/cases/nso-group/excerpts/${existing.id}`);
  const again = (await get(svc, '/cases/nso-group/excerpts')).json();
  t.same(again.filter((e: { id: string }) => e.id === existing.id), [existing], 'the existing excerpt is untouched');

  const excerpt = { id: 'ex-test-withdrawn', source: JOINT, quote: { exact: UNIQUE_QUOTE }, criteria: [], note: 'Withdrawn later.' };
  t.equal((await post(svc, '/cases/nso-group/excerpts', excerpt)).statusCode, 201);
  const withdrawn = await svc.app.inject({ method: 'DELETE', url: '/cases/nso-group/excerpts/ex-test-withdrawn', headers: svc.auth(svc.tokens.editor) });
  t.equal(withdrawn.statusCode, 204);
  const refused = assertProblem(t, await post(svc, '/cases/nso-group/excerpts', excerpt), 409, 'excerpt-exists');
  t.match(refused.detail, 'the case had an excerpt "ex-test-withdrawn", since withdrawn, and ids are not reused', 'the id of a withdrawn excerpt is not given again');
  t.equal(refused.location, undefined, 'and points nowhere: the withdrawn excerpt is gone from view');
});

t.test('GET /cases/{id}/excerpts/{excerptId} answers the excerpt a 201 points at, and 404 once it is withdrawn', async (t) => {
  const svc = await startService(t);
  const created = await post(svc, '/cases/nso-group/excerpts', { id: 'ex-test-one', source: JOINT, quote: { exact: UNIQUE_QUOTE }, criteria: ['art1.1.c.iii'], note: 'One excerpt.' });
  t.equal(created.statusCode, 201);
  const followed = await get(svc, created.headers.location as string, svc.tokens.reviewer);
  t.equal(followed.statusCode, 200, 'the Location of the 201 is readable, by a reviewer too');
  t.same(followed.json(), created.json(), 'as the 201 answered it');

  assertProblem(t, await get(svc, '/cases/nso-group/excerpts/ex-no-such-excerpt'), 404, 'excerpt-not-found');
  assertProblem(t, await get(svc, '/cases/no-such-case/excerpts/ex-test-one'), 404, 'case-not-found');
  t.equal((await svc.app.inject({ method: 'GET', url: '/cases/nso-group/excerpts/ex-test-one' })).statusCode, 401, 'not without a token');

  t.equal((await svc.app.inject({ method: 'DELETE', url: '/cases/nso-group/excerpts/ex-test-one', headers: svc.auth(svc.tokens.editor) })).statusCode, 204);
  assertProblem(t, await get(svc, '/cases/nso-group/excerpts/ex-test-one'), 404, 'excerpt-not-found');
});

t.test('GET excerpts filtered by criterion or source returns only the matching ones', async (t) => {
  const svc = await startService(t);
  const all = (await get(svc, '/cases/nso-group/excerpts', svc.tokens.reviewer)).json() as Array<{ id: string; source: string; criteria: string[] }>;
  t.equal(all.length, 39);

  const byCriterion = (await get(svc, '/cases/nso-group/excerpts?criterion=art1.1.c.iii')).json() as typeof all;
  t.ok(byCriterion.length > 0);
  t.ok(byCriterion.length < all.length);
  t.ok(byCriterion.every((e) => e.criteria.includes('art1.1.c.iii')));
  t.same(byCriterion.map((e) => e.id), all.filter((e) => e.criteria.includes('art1.1.c.iii')).map((e) => e.id));

  const bySource = (await get(svc, '/cases/nso-group/excerpts?source=ai-french-presidency-2021')).json() as typeof all;
  t.ok(bySource.length > 0);
  t.same(bySource.map((e) => e.id), all.filter((e) => e.source === 'ai-french-presidency-2021').map((e) => e.id));

  const both = (await get(svc, `/cases/nso-group/excerpts?criterion=art1.1.c.iii&source=${JOINT}`)).json() as typeof all;
  t.same(both.map((e) => e.id), all.filter((e) => e.source === JOINT && e.criteria.includes('art1.1.c.iii')).map((e) => e.id));

  const bad = await get(svc, '/cases/nso-group/excerpts?criterion=art9');
  assertProblem(t, bad, 422, 'validation-failed');
});

t.test("PATCH an excerpt's note and criteria answers 200 and is stored", async (t) => {
  const svc = await startService(t);
  const before = (await get(svc, '/cases/nso-group')).json();
  const target = (await get(svc, '/cases/nso-group/excerpts?source=ai-french-presidency-2021')).json()[0];
  const res = await svc.app.inject({
    method: 'PATCH',
    url: `/cases/nso-group/excerpts/${target.id}`,
    headers: svc.auth(svc.tokens.editor),
    payload: { note: 'A revised note.', criteria: ['art1.1.c.iii', 'art1.1.c.iv'] },
  });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { ...target, note: 'A revised note.', criteria: ['art1.1.c.iii', 'art1.1.c.iv'] });
  const stored = (await get(svc, '/cases/nso-group/excerpts')).json().find((e: { id: string }) => e.id === target.id);
  t.same(stored, res.json());
  t.equal((await get(svc, '/cases/nso-group')).json().revision, before.revision + 1);

  const quote = await svc.app.inject({ method: 'PATCH', url: `/cases/nso-group/excerpts/${target.id}`, headers: svc.auth(svc.tokens.editor), payload: { quote: { exact: 'x' } } });
  assertProblem(t, quote, 422, 'validation-failed');
  const missing = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group/excerpts/ex-no-such', headers: svc.auth(svc.tokens.editor), payload: { note: 'x' } });
  assertProblem(t, missing, 404, 'excerpt-not-found');
});

t.test('withdrawing an uncited excerpt answers 204 and removes it from the list and the coverage', async (t) => {
  const svc = await startService(t);
  const created = await post(svc, '/cases/nso-group/excerpts', { id: 'ex-test-withdrawn', source: JOINT, quote: { exact: UNIQUE_QUOTE }, criteria: ['art1.1.c.iii'], note: 'To be withdrawn.' });
  t.equal(created.statusCode, 201);
  const coverageBefore = (await get(svc, '/cases/nso-group/coverage')).json();
  t.ok(coverageBefore.claimed.find((c: { criterion: string }) => c.criterion === 'art1.1.c.iii').excerpts.includes('ex-test-withdrawn'));

  const res = await svc.app.inject({ method: 'DELETE', url: '/cases/nso-group/excerpts/ex-test-withdrawn', headers: svc.auth(svc.tokens.editor) });
  t.equal(res.statusCode, 204);
  t.equal(res.body, '');
  const list = (await get(svc, '/cases/nso-group/excerpts')).json();
  t.notOk(list.some((e: { id: string }) => e.id === 'ex-test-withdrawn'), 'gone from the list');
  t.equal(list.length, 39);
  const coverageAfter = (await get(svc, '/cases/nso-group/coverage')).json();
  const mentioned = JSON.stringify(coverageAfter).includes('ex-test-withdrawn');
  t.notOk(mentioned, 'gone from the coverage');
  const audit = (await get(svc, '/cases/nso-group/audit')).json();
  t.match(audit.at(-1), { action: 'excerpt.withdraw', detail: { excerpt: 'ex-test-withdrawn' } });

  const twice = await svc.app.inject({ method: 'DELETE', url: '/cases/nso-group/excerpts/ex-test-withdrawn', headers: svc.auth(svc.tokens.editor) });
  assertProblem(t, twice, 404, 'excerpt-not-found');
});

t.test('withdrawing an excerpt cited by the statement of reasons is 409 naming where it is cited', async (t) => {
  const svc = await startService(t);
  const nso = (await get(svc, '/cases/nso-group')).json();
  const cited = 'ex-ai-brief-nso-established-in-luxembourg';
  const res = await svc.app.inject({ method: 'DELETE', url: `/cases/nso-group/excerpts/${cited}`, headers: svc.auth(svc.tokens.editor) });
  const body = assertProblem(t, res, 409, 'excerpt-cited');
  t.ok(body.citedAt.some((p: string) => p.startsWith('statement_of_reasons[')), 'cited in the statement of reasons');
  t.ok(body.citedAt.some((p: string) => p.startsWith('target.place_of_business')), 'and as the source of an identifying fact');
  t.match(body.detail, cited);
  t.ok((await get(svc, '/cases/nso-group/excerpts')).json().some((e: { id: string }) => e.id === cited), 'still listed');
  t.same((await get(svc, '/cases/nso-group')).json(), nso, 'the case is unchanged');
});

t.test('GET /cases/nso-group/coverage lists every claimed criterion with excerpts and independent sources, no gaps', async (t) => {
  const svc = await startService(t);
  const nso = (await get(svc, '/cases/nso-group')).json();
  const res = await get(svc, '/cases/nso-group/coverage', svc.tokens.reviewer);
  t.equal(res.statusCode, 200);
  const coverage = res.json();
  t.same(coverage.claimed.map((c: { criterion: string }) => c.criterion).sort(), [...nso.claims.criteria].sort(), 'every claimed criterion');
  const excerpts = (await get(svc, '/cases/nso-group/excerpts')).json() as Array<{ id: string; criteria: string[]; exculpatory: boolean }>;
  for (const entry of [...coverage.claimed, ...coverage.thresholds, coverage.involvement]) {
    t.ok(entry.excerpts.length > 0, `${entry.criterion} has excerpts`);
    t.ok(entry.independentSources >= 1, `${entry.criterion} has independent sources`);
    t.ok(entry.independentSources <= entry.excerpts.length);
    const expected = excerpts.filter((e) => !e.exculpatory && e.criteria.includes(entry.criterion)).map((e) => e.id);
    t.same(entry.excerpts, expected, `${entry.criterion}: the non-exculpatory excerpts that name it`);
  }
  t.same(coverage.thresholds.map((c: { criterion: string }) => c.criterion), ['art1.1.d.threshold']);
  t.equal(coverage.involvement.criterion, 'art3.1.b');
  t.same(coverage.gaps, []);
});

t.test('a new case without excerpts has the gaps no-excerpt, no-threshold-evidence and no-involvement-evidence', async (t) => {
  const svc = await startService(t);
  const created = await post(svc, '/cases', newCaseBody('empty-case'));
  t.equal(created.statusCode, 201);
  const coverage = (await get(svc, '/cases/empty-case/coverage')).json();
  t.same(
    coverage.gaps.map((g: { code: string; criterion: string }) => [g.code, g.criterion]),
    [['no-excerpt', 'art1.1.d.iv'], ['no-threshold-evidence', 'art1.1.d.threshold'], ['no-involvement-evidence', 'art3.1.b']],
  );
  for (const gap of coverage.gaps) t.ok(gap.message.length > 0);
  t.match(coverage.claimed, [{ criterion: 'art1.1.d.iv', excerpts: [], independentSources: 0 }]);

  // One excerpt for the claimed violation closes that gap only.
  const added = await post(svc, '/cases/empty-case/excerpts', { id: 'ex-test-one', source: JOINT, quote: { exact: UNIQUE_QUOTE }, criteria: ['art1.1.d.iv'], note: 'One.' });
  t.equal(added.statusCode, 201);
  const after = (await get(svc, '/cases/empty-case/coverage')).json();
  t.same(after.gaps.map((g: { code: string }) => g.code), ['no-threshold-evidence', 'no-involvement-evidence']);
});

t.test('excerpt routes are for editors: a reviewer may read but not add', async (t) => {
  const svc = await startService(t);
  const res = await svc.app.inject({
    method: 'POST',
    url: '/cases/nso-group/excerpts',
    headers: svc.auth(svc.tokens.reviewer),
    payload: { id: 'ex-test-reviewer', source: JOINT, quote: { exact: UNIQUE_QUOTE }, criteria: [], note: 'No.' },
  });
  assertProblem(t, res, 403, 'forbidden');
  const partner = await get(svc, '/cases/nso-group/excerpts', svc.tokens.partner);
  assertProblem(t, partner, 403, 'forbidden');
});
