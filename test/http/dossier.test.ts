import t, { type Test } from 'tap';
import { startService, type TestService } from '../helpers/app.ts';
import { readPdf } from '../helpers/pdf.ts';
import { assertProblem } from '../helpers/problem.ts';

const dossier = (svc: TestService, headers: Record<string, string> = {}, query = '', token = svc.tokens.reviewer) =>
  svc.app.inject({ method: 'GET', url: `/cases/nso-group/dossier.pdf${query}`, headers: { ...svc.auth(token), ...headers } });


t.test('GET /cases/nso-group/dossier.pdf as reviewer is a PDF with a strong ETag', async (t) => {
  const svc = await startService(t);
  const res = await dossier(svc);
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), /^application\/pdf/);
  t.equal(res.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
  const etag = String(res.headers.etag);
  t.match(etag, /^"[0-9a-f]{64}"$/, 'a quoted SHA-256');
  t.notOk(etag.startsWith('W/'), 'strong, not weak');
  t.equal(res.headers['cache-control'], 'private, no-cache');
  t.match(String(res.headers['content-disposition']), /nso-group-draft-en\.pdf/);

  const asEditor = await dossier(svc, {}, '', svc.tokens.editor);
  t.equal(asEditor.statusCode, 200, 'editors may read it too');
  t.equal(asEditor.headers.etag, etag, 'the same state has the same ETag');
  t.ok(asEditor.rawPayload.equals(res.rawPayload), 'and the same bytes');
});

t.test('If-None-Match with the current ETag answers 304 with an empty body', async (t) => {
  const svc = await startService(t);
  const first = await dossier(svc);
  const etag = String(first.headers.etag);
  const again = await dossier(svc, { 'if-none-match': etag });
  t.equal(again.statusCode, 304);
  t.equal(again.rawPayload.length, 0, 'no body');
  t.equal(again.headers.etag, etag);

  const listed = await dossier(svc, { 'if-none-match': `"0000", ${etag}` });
  t.equal(listed.statusCode, 304, 'one of several tags');
  const other = await dossier(svc, { 'if-none-match': '"0000"' });
  t.equal(other.statusCode, 200, 'another tag gets the PDF');
});

t.test('after a change the ETag differs and the old one gets 200 with the new PDF', async (t) => {
  const svc = await startService(t);
  const before = await dossier(svc);
  const oldEtag = String(before.headers.etag);
  const patch = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { title: 'Retitled proposal for NSO Group' } });
  t.equal(patch.statusCode, 200);

  const after = await dossier(svc, { 'if-none-match': oldEtag });
  t.equal(after.statusCode, 200);
  t.match(String(after.headers['content-type']), /^application\/pdf/);
  t.not(after.headers.etag, oldEtag, 'a new ETag');
  t.match(String(after.headers.etag), /^"[0-9a-f]{64}"$/);
  t.notOk(after.rawPayload.equals(before.rawPayload), 'new bytes');
  t.equal(after.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
  const current = await dossier(svc, { 'if-none-match': String(after.headers.etag) });
  t.equal(current.statusCode, 304, 'the new ETag is the current one');
});

t.test("a reviewer's comment changes nothing the dossier shows: the draft keeps its date and its ETag", async (t) => {
  const svc = await startService(t);
  const before = await dossier(svc);
  const caseBefore = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor) })).json();
  const comment = await svc.app.inject({ method: 'POST', url: '/cases/nso-group/reviews', headers: svc.auth(svc.tokens.reviewer), payload: { kind: 'comment', text: 'Please check the date of S3.' } });
  t.equal(comment.statusCode, 201);
  const caseAfter = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor) })).json();
  t.equal(caseAfter.updatedAt, caseBefore.updatedAt, "the case's time is its last change");
  t.equal(caseAfter.revision, caseBefore.revision);
  const after = await dossier(svc, { 'if-none-match': String(before.headers.etag) });
  t.equal(after.statusCode, 304, 'the draft the reviewer holds is still the draft');
  const audit = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/audit', headers: svc.auth(svc.tokens.editor) })).json();
  t.match(audit.at(-1), { action: 'review.comment' }, 'the comment is in the audit log');
});

t.test('equal tags, equal bytes: a change undone is a new moment, hence a new tag, even with the same content', async (t) => {
  const svc = await startService(t, { PDF_CACHE_ENTRIES: '0' });
  const first = await dossier(svc);
  t.ok((await dossier(svc)).rawPayload.equals(first.rawPayload), 'the same state renders the same bytes');
  const title = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor) })).json().title as string;
  for (const next of ['A title for a moment', title]) {
    const patch = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { title: next } });
    t.equal(patch.statusCode, 200);
  }
  const undone = await dossier(svc);
  t.not(undone.headers.etag, first.headers.etag, 'the PDF is dated by the last change: another tag');
  t.notOk(undone.rawPayload.equals(first.rawPayload), 'and other bytes');
  t.equal((await dossier(svc, { 'if-none-match': String(first.headers.etag) })).statusCode, 200, 'the old tag is not answered 304');
});

t.test('a case whose text the fonts cannot show is 422 unprintable-text naming the characters', async (t) => {
  const svc = await startService(t);
  const patch = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { submitted_by: ['Coalition 北京'] } });
  t.equal(patch.statusCode, 200);
  const body = assertProblem(t, await dossier(svc), 422, 'unprintable-text');
  t.match(body.detail, /U\+5317 北, U\+4EAC 京/);
});

t.test('?lang=de is 422: the dossier has no German template', async (t) => {
  const svc = await startService(t);
  const res = await dossier(svc, {}, '?lang=de');
  const body = assertProblem(t, res, 422, 'validation-failed');
  t.match(body.detail, /lang/);
  t.equal((await dossier(svc, {}, '?lang=en')).statusCode, 200, 'English is served');
});

t.test('the dossier names the target and the legal act', async (t) => {
  const svc = await startService(t);
  const res = await dossier(svc);
  const pdf = await readPdf(res.rawPayload);
  t.ok(pdf.pageCount > 1);
  t.match(pdf.all, 'NSO Group Technologies Ltd');
  t.match(pdf.all, '2020/1999');
});

t.test('the dossier is not for partners, and needs a token', async (t) => {
  const svc = await startService(t);
  assertProblem(t, await dossier(svc, {}, '', svc.tokens.partner), 403, 'forbidden');
  const anonymous = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/dossier.pdf' });
  assertProblem(t, anonymous, 401, 'unauthenticated');
  const missing = await svc.app.inject({ method: 'GET', url: '/cases/no-such-case/dossier.pdf', headers: svc.auth(svc.tokens.editor) });
  assertProblem(t, missing, 404, 'case-not-found');
});

t.test('a 304 has no body, no Content-Length and no metadata but its tag and caching, the first time and once the tag is remembered', async (t) => {
  const svc = await startService(t);
  const full = await dossier(svc);
  const etag = String(full.headers.etag);
  t.equal(full.headers['x-content-type-options'], 'nosniff', 'the PDF carries the security headers');
  t.equal(full.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
  for (const attempt of ['first', 'again']) {
    const res = await dossier(svc, { 'if-none-match': etag });
    t.equal(res.statusCode, 304, attempt);
    t.equal(res.rawPayload.length, 0, `${attempt}: no body`);
    t.equal(res.headers['content-length'], undefined, `${attempt}: no Content-Length`);
    t.equal(res.headers.etag, etag, `${attempt}: the same tag`);
    t.equal(res.headers['cache-control'], 'private, no-cache');
    // RFC 9110, 15.4.5: the client keeps the headers of its copy.
    for (const name of ['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy']) {
      t.equal(res.headers[name], undefined, `${attempt}: no ${name}`);
    }
  }
});

t.test('a new signature or a changed excerpt changes the ETag, and the stale tag gets 200 with the new PDF', async (t) => {
  const svc = await startService(t);
  const first = await dossier(svc);
  const stale = String(first.headers.etag);
  t.equal((await dossier(svc, { 'if-none-match': stale })).statusCode, 304, 'the tag is remembered as current');

  const signed = await svc.app.inject({
    method: 'POST',
    url: '/cases/nso-group/signatures',
    headers: { ...svc.auth(svc.tokens.partner), 'idempotency-key': 'dossier-etag-1' },
    payload: { signatory: { name: 'A. Signer', role: 'Director' } },
  });
  t.equal(signed.statusCode, 201);
  const afterSignature = await dossier(svc, { 'if-none-match': stale });
  t.equal(afterSignature.statusCode, 200, 'the stale tag gets the new PDF');
  t.equal(afterSignature.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
  const signedEtag = String(afterSignature.headers.etag);
  t.not(signedEtag, stale, 'a new tag');
  t.equal((await dossier(svc, { 'if-none-match': signedEtag })).statusCode, 304, 'the new tag is current');

  const excerpts = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/excerpts', headers: svc.auth(svc.tokens.editor) })).json() as Array<{ id: string }>;
  const patched = await svc.app.inject({ method: 'PATCH', url: `/cases/nso-group/excerpts/${excerpts[0]!.id}`, headers: svc.auth(svc.tokens.editor), payload: { note: 'A note that changes the dossier.' } });
  t.equal(patched.statusCode, 200);
  const afterExcerpt = await dossier(svc, { 'if-none-match': signedEtag });
  t.equal(afterExcerpt.statusCode, 200, 'the tag from before the excerpt changed gets the new PDF');
  t.not(afterExcerpt.headers.etag, signedEtag);
  t.not(afterExcerpt.headers.etag, stale);

  const fresh = await dossier(svc, {}, '', svc.tokens.editor);
  t.equal(fresh.headers.etag, afterExcerpt.headers.etag, 'a request without a tag computes the same tag for the same state');
  const french = await dossier(svc, { 'if-none-match': String(afterExcerpt.headers.etag) }, '?lang=fr');
  t.equal(french.statusCode, 200, "one language's tag is not another's");
  t.not(french.headers.etag, afterExcerpt.headers.etag);
});
