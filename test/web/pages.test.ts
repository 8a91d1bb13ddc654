import { unsign } from '@fastify/cookie';
import t from 'tap';
import { sha256Hex } from '../../src/shared/hash.ts';
import { revokeToken } from '../../src/store/token-store.ts';
import { startService, type TestService } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';
import { assertErrorPage, csrfOf, decode, PageClient, pageText } from './client.ts';
import { newCaseBody } from '../helpers/new-case.ts';

const SOURCE = 'hrw-ayrault-china';
const SOURCE_PAGE = `/app/cases/nso-group/sources/${SOURCE}`;

type Row = Record<string, unknown>;
const rows = (svc: TestService, table: string) => (svc.deps.db.withTables<Record<string, Row>>() as any).selectFrom(table).selectAll().execute() as Promise<Row[]>;
const audit = async (svc: TestService) => (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/audit', headers: svc.auth(svc.tokens.editor) })).json() as Array<{ actor: string; action: string; detail: Record<string, unknown> }>;
const excerptCount = async (svc: TestService) => ((await svc.app.inject({ method: 'GET', url: '/cases/nso-group/excerpts', headers: svc.auth(svc.tokens.editor) })).json() as unknown[]).length;

/** A browser signed in with `token`, and the page at `url` as it first sees it. */
async function signedInAt(svc: TestService, token: string, url: string): Promise<{ client: PageClient; html: string }> {
  const client = new PageClient(svc.app);
  await client.signIn(token);
  return { client, html: (await client.get(url)).body };
}

/** The cells of the matrix row of one criterion: excerpts and independent sources. */
function matrixRow(html: string, criterion: string): { excerpts: number; independent: number } {
  const row = new RegExp(`data-criterion="${criterion.replace(/\./g, '\\.')}"[\\s\\S]*?data-cell="excerpts">(\\d+)<[\\s\\S]*?data-cell="independent">(\\d+)<`).exec(html);
  if (!row) throw new Error(`no matrix row for ${criterion}`);
  return { excerpts: Number(row[1]), independent: Number(row[2]) };
}

/** The first suggestion's accept form on a source page: its action and the criteria it has checked. */
function firstSuggestion(html: string): { id: string; accept: string; reject: string; criteria: string[] } {
  const accept = /action="([^"]+\/suggestions\/(sug_[0-9a-f]{16})\/accept)#\2"/.exec(html);
  if (!accept) throw new Error('the page shows no suggestion');
  const form = html.slice(accept.index, html.indexOf('</form>', accept.index));
  return {
    id: accept[2]!,
    accept: accept[1]!,
    reject: accept[1]!.replace(/accept$/, 'reject'),
    criteria: [...form.matchAll(/name="criteria" value="([^"]+)" checked/g)].map((m) => m[1]!),
  };
}

t.test('signing in with a token: a signed, httpOnly, SameSite=Strict cookie holding a session id, never the token; signing out ends it', async (t) => {
  const svc = await startService(t);
  const browser = new PageClient(svc.app);
  const first = await browser.get('/app');
  t.equal(first.statusCode, 303, 'the pages need a session');
  t.equal(first.headers.location, '/app/sign-in?next=%2Fapp');

  const form = await browser.get('/app/sign-in');
  t.equal(form.statusCode, 200);
  t.match(form.body, /<html lang="en">/);
  t.match(form.body, /<label for="token">Your token<\/label>/, 'the input has its label');
  t.match(form.headers['cache-control'], /no-store/);

  const wrong = await browser.request('POST', '/app/sign-in', { _csrf: csrfOf(form.body), token: 'dsr_not-a-token' });
  t.equal(wrong.statusCode, 422);
  t.match(pageText(wrong.body), 'There is a problem This token is unknown or has been revoked.');
  t.notOk(browser.cookies.has('dossier_session'), 'no session for an unknown token');
  const empty = await browser.request('POST', '/app/sign-in', { _csrf: csrfOf(wrong.body), token: '' });
  t.match(pageText(empty.body), 'Fill in this field.');

  const page = await browser.get('/app/sign-in?next=%2Fapp%2Fcases%2Fnso-group');
  t.match(page.body, /name="next" value="\/app\/cases\/nso-group"/);
  const signed = await browser.request('POST', '/app/sign-in', { _csrf: csrfOf(page.body), token: svc.tokens.editor, next: '/app/cases/nso-group' });
  t.equal(signed.statusCode, 303);
  t.equal(signed.headers.location, '/app/cases/nso-group', 'back to the page that asked for a session');
  const setCookie = ([] as string[]).concat(signed.headers['set-cookie'] as string | string[]).find((c) => c.startsWith('dossier_session='))!;
  t.match(setCookie, /; HttpOnly/);
  t.match(setCookie, /; SameSite=Strict/);
  t.match(setCookie, /; Path=\/(;|$)/);
  t.match(setCookie, /; Max-Age=43200/, 'a session lasts 12 hours');
  const value = decodeURIComponent(browser.cookies.get('dossier_session')!);
  t.notOk(value.includes(svc.tokens.editor), 'the cookie does not hold the token');
  t.notOk(value.includes(sha256Hex(svc.tokens.editor)), 'nor its hash');
  const sessions = await rows(svc, 'web_sessions');
  t.equal(sessions.length, 1);
  const id = value.slice(0, value.lastIndexOf('.'));
  t.equal(sessions[0]!.id_sha256, sha256Hex(id), 'the table keeps only the SHA-256 of the session id');
  t.notOk(JSON.stringify(sessions).includes(id), 'and never the id itself');

  const home = await browser.get('/app');
  t.equal(home.statusCode, 200);
  t.match(pageText(home.body), 'Signed in as Legal team (editor)');
  t.match(home.body, /href="\/app\/cases\/nso-group" lang="en">Proposed listing of NSO Group/, 'the case title is marked with the case\'s language');

  const forged = new PageClient(svc.app);
  forged.cookies.set('dossier_session', encodeURIComponent(`${id}x.${value.slice(value.lastIndexOf('.') + 1)}`));
  t.equal((await forged.get('/app')).statusCode, 303, 'a cookie whose signature does not match is no session');
  const unsigned = new PageClient(svc.app);
  unsigned.cookies.set('dossier_session', id);
  t.equal((await unsigned.get('/app')).statusCode, 303, 'nor is an unsigned session id');

  const stolen = browser.cookies.get('dossier_session')!;
  const out = await browser.submit('/app', '/app/sign-out', {});
  t.equal(out.statusCode, 303);
  t.equal(out.headers.location, '/app/sign-in?notice=signed-out');
  t.notOk(browser.cookies.has('dossier_session'), 'the cookie is cleared');
  t.equal((await rows(svc, 'web_sessions')).length, 0, 'the session is gone from the database');
  const replay = new PageClient(svc.app);
  replay.cookies.set('dossier_session', stolen);
  t.equal((await replay.get('/app')).statusCode, 303, 'a copy of the old cookie opens nothing');
  t.match(pageText((await browser.get('/app/sign-in?notice=signed-out')).body), 'You are signed out.');
});

t.test('a session ends with its token; a return address elsewhere is ignored', async (t) => {
  const svc = await startService(t);
  const token = await svc.token('reviewer');
  const browser = new PageClient(svc.app);
  const page = await browser.get('/app/sign-in?next=%2F%2Fevil.example%2Fapp');
  t.notMatch(page.body, /name="next"/, 'a return address on another site is dropped');
  const signed = await browser.request('POST', '/app/sign-in', { _csrf: csrfOf(page.body), token, next: '//evil.example/app' });
  t.equal(signed.headers.location, '/app?notice=signed-in');
  t.equal((await browser.get('/app')).statusCode, 200);
  for (const elsewhere of ['/app/..//evil.example/app', '/app/%2e%2e//evil.example', '/app/../../evil']) {
    const dotted = await new PageClient(svc.app).get(`/app/sign-in?next=${encodeURIComponent(elsewhere)}`);
    t.notMatch(dotted.body, /name="next"/, `${elsewhere} is judged as the browser reads it, and dropped`);
  }
  const kept = await new PageClient(svc.app).get(`/app/sign-in?next=${encodeURIComponent('/app/cases/nso-group?lang=fr')}`);
  t.match(kept.body, /name="next" value="\/app\/cases\/nso-group\?lang&#x3D;fr"/, 'an address of the pages is kept');
  const [record] = (await rows(svc, 'tokens')).filter((r) => r.sha256 === sha256Hex(token));
  await revokeToken(svc.deps.db, String(record!.id), new Date());
  const page2 = (await browser.get('/app/sign-in')).body;
  t.equal((await browser.get('/app')).statusCode, 303, 'a revoked token signs its sessions out');
  const out = await browser.request('POST', '/app/sign-out', { _csrf: csrfOf(page2) });
  t.equal(out.statusCode, 303, 'signing out of an ended session is not a "form expired" page');
  t.notOk(browser.cookies.has('dossier_session'), 'and the stale cookie is cleared');
});

t.test('the pages take form bodies only: JSON, with numbers where text belongs, is a 415 page and changes nothing', async (t) => {
  const svc = await startService(t);
  const browser = new PageClient(svc.app);
  const page = (await browser.get('/app/sign-in')).body;
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const json = await svc.app.inject({ method: 'POST', url: '/app/sign-in', headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify({ _csrf: csrfOf(page), token: 1 }) });
  assertErrorPage(t, json, 415, 'The request was not understood');
  t.equal((await rows(svc, 'web_sessions')).length, 0, 'no session was opened');
});

t.test('every form needs the CSRF token of its own session: missing, forged or from another session is refused and changes nothing', async (t) => {
  const svc = await startService(t);
  const editor = new PageClient(svc.app);
  await editor.signIn(svc.tokens.editor);
  const page = (await editor.get(SOURCE_PAGE)).body;
  const suggestion = firstSuggestion(page);
  const before = { excerpts: await excerptCount(svc), audit: (await audit(svc)).length };

  const missing = await editor.request('POST', suggestion.accept, { criteria: suggestion.criteria });
  assertErrorPage(t, missing, 403, 'The form has expired');
  const forged = await editor.request('POST', suggestion.accept, { _csrf: 'abc-def-ghi', criteria: suggestion.criteria });
  t.equal(forged.statusCode, 403);

  const other = new PageClient(svc.app);
  await other.signIn(await svc.token('editor'));
  const othersToken = csrfOf((await other.get(SOURCE_PAGE)).body);
  const crossed = await editor.request('POST', suggestion.accept, { _csrf: othersToken, criteria: suggestion.criteria });
  t.equal(crossed.statusCode, 403, "another session's token is refused even by a signed-in editor");

  const anonymous = new PageClient(svc.app);
  const signInToken = csrfOf((await anonymous.get('/app/sign-in')).body);
  const early = await editor.request('POST', suggestion.accept, { _csrf: signInToken, criteria: suggestion.criteria });
  t.equal(early.statusCode, 403, 'a token made before signing in does not serve after');

  const noToken = await new PageClient(svc.app).request('POST', '/app/sign-in', { token: svc.tokens.editor });
  t.equal(noToken.statusCode, 403, 'signing in is a form like the others');
  const signOut = await editor.request('POST', '/app/sign-out', {});
  t.equal(signOut.statusCode, 403, 'so is signing out');

  t.equal(await excerptCount(svc), before.excerpts, 'no excerpt was added');
  t.equal((await audit(svc)).length, before.audit, 'nothing was audited');
  const accepted = await editor.request('POST', suggestion.accept, { _csrf: csrfOf(page), criteria: suggestion.criteria });
  t.equal(accepted.statusCode, 303, 'the same form with its own token goes through');
});

t.test('an editor accepts and rejects suggestions from the source view; the matrix changes and the audit log names the editor', async (t) => {
  const svc = await startService(t);
  const editor = new PageClient(svc.app);
  await editor.signIn(svc.tokens.editor);
  const casePage = (await editor.get('/app/cases/nso-group')).body;
  const before = matrixRow(casePage, 'art1.1.d.iii');
  t.match(pageText(casePage), 'Sources with no excerpt yet Stored sources this case does not quote. Their pages show the evidence mapper\'s suggestions. Letter to Foreign Minister Ayrault ahead of his visit to China — Human Rights Watch', 'a source the case does not quote is listed, for its suggestions');
  t.match(casePage, `<a href="${SOURCE_PAGE}" lang="en">Letter to Foreign Minister Ayrault ahead of his visit to China</a>`);
  const page = (await editor.get(SOURCE_PAGE)).body;
  t.match(page, /<mark class="suggested" lang="en">/, 'suggested passages are shown inline');
  const suggestion = firstSuggestion(page);
  t.ok(suggestion.criteria.includes('art1.1.d.iii'));
  t.match(page, new RegExp(`action="[^"]+/${suggestion.id}/reject#${suggestion.id}"`), 'both forms bring the editor back to their suggestion when shown again');
  t.match(page, /<summary>Why the mapper suggests it<\/summary>\s*<ul lang="en">/, "the mapper's reasons are marked in the language they were worded in");
  const french = (await editor.get('/app/cases/nso-group/sources/ai-surveillance-briefing-fr')).body;
  t.match(french, /<summary>Why the mapper suggests it<\/summary>\s*<ul lang="fr">/, 'French for a French source, whose reasons the French lexicon words');

  const none = await editor.request('POST', suggestion.accept, { _csrf: csrfOf(page), note: 'Checked by the legal team.' });
  t.equal(none.statusCode, 422);
  t.match(pageText(none.body), 'Choose at least one.');
  t.match(none.body, /Checked by the legal team\.<\/textarea>/, 'what was typed is kept');
  t.equal(none.body.match(/role="alert"/g)?.length, 1, "one error summary: the suggestion's own form, not a second one at the top");
  const long = await editor.request('POST', suggestion.accept, { _csrf: csrfOf(page), criteria: suggestion.criteria, note: 'x'.repeat(5001) });
  t.equal(long.statusCode, 422);
  t.match(long.body, new RegExp(`<textarea id="${suggestion.id}-note" name="note" rows="2" aria-invalid="true" aria-describedby="${suggestion.id}-note-error">`), 'the note too long is marked and tied to its message');
  t.match(long.body, new RegExp(`<p class="field-error" id="${suggestion.id}-note-error">`));

  const accepted = await editor.request('POST', suggestion.accept, { _csrf: csrfOf(page), criteria: suggestion.criteria, note: 'Checked against the source by the legal team.' });
  t.equal(accepted.statusCode, 303);
  const excerptId = `ex-${suggestion.id.replace('sug_', 'sug-')}`;
  t.equal(accepted.headers.location, `${SOURCE_PAGE}?excerpt=${excerptId}&notice=accepted#${excerptId}`);
  const shown = await editor.get(String(accepted.headers.location));
  t.match(pageText(shown.body), 'The suggestion is now an excerpt of the case.');
  t.match(shown.body, /<mark class="excerpt current">/, 'the new excerpt is highlighted in the text');
  t.match(pageText(shown.body), 'The quotation in its context');
  const ids = [...shown.body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  t.same(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'no id twice on the page, though the excerpt in focus is shown twice');
  const after = matrixRow((await editor.get('/app/cases/nso-group')).body, 'art1.1.d.iii');
  t.same(after, { excerpts: before.excerpts + 1, independent: before.independent }, 'one more excerpt; not one more independent source: Human Rights Watch signed the joint letter the case quotes');
  const entry = (await audit(svc)).at(-1)!;
  t.match(entry, { action: 'excerpt.create', actor: /^editor:tok_/, detail: { excerpt: excerptId, suggestion: suggestion.id, criteria: suggestion.criteria } });

  const again = await editor.request('POST', suggestion.accept, { _csrf: csrfOf(page), criteria: suggestion.criteria });
  t.equal(again.statusCode, 409, 'accepting twice is refused by the rules');
  t.match(pageText(again.body), 'This passage is already an excerpt of the case.');
  const emptied = await editor.request('POST', suggestion.accept, { _csrf: csrfOf(page), note: 'No criterion chosen.' });
  t.equal(emptied.statusCode, 422, 'a form of a suggestion no longer shown, with a field left empty');
  t.match(pageText(emptied.body), 'There is a problem Choose at least one.', 'its message stands at the top');
  t.notMatch(emptied.body, /<a href="#criteria">/, 'and links to no field the page does not have');

  const next = firstSuggestion((await editor.get(SOURCE_PAGE)).body);
  t.not(next.id, suggestion.id, 'the accepted passage is no longer suggested');
  const rejected = await editor.submit(SOURCE_PAGE, next.reject, { reason: 'a call for action, not a finding' });
  t.equal(rejected.statusCode, 303);
  t.equal(rejected.headers.location, `${SOURCE_PAGE}?notice=rejected`);
  t.notMatch((await editor.get(SOURCE_PAGE)).body, next.id, 'a rejected suggestion is gone');
  t.match(await rows(svc, 'suggestion_rejections'), [{ suggestion_id: next.id, reason: 'a call for action, not a finding', rejected_by: /^editor:/ }]);
});

t.test('role rules: each page offers only what the role may do, and the server refuses the rest', async (t) => {
  const svc = await startService(t);
  const reviewer = new PageClient(svc.app);
  await reviewer.signIn(svc.tokens.reviewer);
  const editor = new PageClient(svc.app);
  await editor.signIn(svc.tokens.editor);
  const partner = new PageClient(svc.app);
  await partner.signIn(svc.tokens.partner);
  const suggestion = firstSuggestion((await editor.get(SOURCE_PAGE)).body);
  const excerpts = await excerptCount(svc);

  const source = (await reviewer.get(SOURCE_PAGE)).body;
  t.notMatch(source, /Accept as an excerpt/, 'a reviewer sees no accept button');
  t.notMatch(source, /class="suggestion"/, 'nor the suggestions');
  const refused = await reviewer.request('POST', suggestion.accept, { _csrf: csrfOf(source), criteria: suggestion.criteria });
  t.equal(refused.statusCode, 403);
  t.match(pageText(refused.body), 'Your role (Reviewer) cannot do this.');
  t.equal(await excerptCount(svc), excerpts, 'nothing was accepted');
  const casePage = (await reviewer.get('/app/cases/nso-group')).body;
  t.notMatch(casePage, /name="request"/, 'no status buttons for a reviewer');
  t.equal((await reviewer.request('POST', '/app/cases/nso-group/status', { _csrf: csrfOf(casePage), request: 'request_review' })).statusCode, 403);

  const signatures = (await editor.get('/app/cases/nso-group/signatures')).body;
  t.notMatch(signatures, /name="signatory_name"/, 'an editor sees no signing form');
  t.equal((await editor.request('POST', '/app/cases/nso-group/signatures', { _csrf: csrfOf(signatures), signatory_name: 'A', signatory_role: 'B', idempotency_key: 'k-1' })).statusCode, 403);
  const reviews = (await editor.get('/app/cases/nso-group/reviews')).body;
  t.notMatch(reviews, /name="kind"/, 'an editor sees no review form');
  t.equal((await editor.request('POST', '/app/cases/nso-group/reviews', { _csrf: csrfOf(reviews), kind: 'approve' })).statusCode, 403);

  const list = (await partner.get('/app')).body;
  t.match(list, /href="\/app\/cases\/nso-group\/signatures"/, 'a partner is led to the signatures');
  t.equal((await partner.get('/app/cases/nso-group')).statusCode, 403, 'the evidence is not for partners');
  t.equal((await partner.get(SOURCE_PAGE)).statusCode, 403);
  t.equal((await partner.get('/app/cases/nso-group/draft/en')).statusCode, 403, 'nor the draft PDF');
  t.equal((await partner.get('/app/cases/nso-group/reviews')).statusCode, 403);

  t.notMatch(signatures, /\/withdraw"/, 'an editor sees no withdraw button');
  const signatureId = ((await svc.app.inject({ method: 'GET', url: '/cases/nso-group/signatures' })).json() as Array<{ id: string; name: string }>).find((s) => s.name === 'Access Now')!.id;
  const partnerPage = (await partner.get('/app/cases/nso-group/signatures')).body;
  t.notMatch(partnerPage, /\/withdraw"/, 'a partner that has not signed sees no withdraw button, for no one');
  const other = await partner.request('POST', `/app/cases/nso-group/signatures/${signatureId}/withdraw`, { _csrf: csrfOf(partnerPage) });
  t.equal(other.statusCode, 403);
  t.match(pageText(other.body), "You can only withdraw your own signature.");
  t.match(pageText((await partner.get('/app/cases/nso-group/signatures')).body), 'Access Now', 'the signature stays');

  const anonymous = new PageClient(svc.app);
  const open = await anonymous.get('/app/cases/nso-group/signatures');
  t.equal(open.statusCode, 200, 'the list of signatures is public');
  t.match(pageText(open.body), 'Access Now');
  t.notMatch(open.body, /name="signatory_name"/);
  t.match(open.body, /href="\/app\/sign-in\?next=\/app\/cases\/nso-group\/signatures"/);
  const post = await anonymous.request('POST', '/app/cases/nso-group/signatures', { _csrf: csrfOf((await anonymous.get('/app/sign-in')).body), signatory_name: 'A', signatory_role: 'B', idempotency_key: 'k-2' });
  t.equal(post.statusCode, 303);
  t.match(post.headers.location, /^\/app\/sign-in/, 'signing needs a session');
});

t.test('an independent expert is addressed as one: signing in their own name, with their title, and withdrawing "my" signature', async (t) => {
  const svc = await startService(t);
  const url = '/app/cases/nso-group/signatures';
  const { client: expert, html } = await signedInAt(svc, svc.tokens.expert, url);
  const box = pageText(/<section class="partner-box"[\s\S]*?<\/section>/.exec(html)![0]);
  t.match(box, 'You sign as Dr. Test Expert, an independent expert. Give your name as it should appear, and your title or position.');
  t.match(box, 'Your name Your title or position');
  t.match(box, 'Sign as Dr. Test Expert');
  t.notMatch(box, /organisation/i, 'nothing in what is said to them speaks of an organisation');
  const key = /name="idempotency_key" value="([^"]+)"/.exec(html)![1]!;
  const signed = await expert.request('POST', url, { _csrf: csrfOf(html), idempotency_key: key, signatory_name: 'Dr. Test Expert', signatory_role: 'Professor of law' });
  t.equal(signed.statusCode, 303);
  t.match(pageText((await expert.get(url)).body), 'Withdraw my signature');
  const french = pageText((await expert.get(`${url}?lang=fr`)).body);
  t.match(french, 'Retirer ma signature');

  const partner = new PageClient(svc.app);
  await partner.signIn(svc.tokens.partner);
  t.match(pageText((await partner.get(url)).body), 'You sign for Test Partner Org. Give the name and role of the person who signs.', 'an organisation signs through a person');
});

t.test('a partner signs and withdraws; bad input is shown with what was typed; a second signature is refused in plain words', async (t) => {
  const svc = await startService(t);
  const url = '/app/cases/nso-group/signatures';
  const { client: partner, html: page } = await signedInAt(svc, svc.tokens.partner, url);
  t.match(pageText(page), 'Your signature (Test Partner Org)');
  const key = /name="idempotency_key" value="([^"]+)"/.exec(page)![1]!;

  const blank = await partner.request('POST', url, { _csrf: csrfOf(page), idempotency_key: key, signatory_name: '  ', signatory_role: 'Director', comment: 'We support it.' });
  t.equal(blank.statusCode, 422);
  t.match(pageText(blank.body), 'There is a problem Fill in this field.');
  t.match(blank.body, /<a href="#signatory_name">Fill in this field\.<\/a>/, 'the summary links to the field');
  t.match(blank.body, /id="signatory_role"[^>]*value="Director"/, 'what was typed is kept');
  t.match(blank.body, /We support it\.<\/textarea>/);
  t.match(blank.body, /id="signatory_name"[^>]*aria-invalid="true"/);

  const form = { _csrf: csrfOf(page), idempotency_key: key, signatory_name: 'Jane Doe', signatory_role: 'Director', comment: 'We support this listing.' };
  const signed = await partner.request('POST', url, form);
  t.equal(signed.statusCode, 303);
  t.equal(signed.headers.location, `${url}?notice=signed`);
  const twice = await partner.request('POST', url, form);
  t.equal(twice.statusCode, 303, 'the same form sent twice signs once');
  const list = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/signatures' })).json() as Array<{ id: string; name: string; signatory?: { name: string } }>;
  t.equal(list.filter((s) => s.name === 'Test Partner Org').length, 1);
  t.match((await audit(svc)).at(-1), { action: 'signature.add', actor: 'partner:Test Partner Org' });

  const after = (await partner.get(`${url}?notice=signed`)).body;
  t.match(pageText(after), 'Your signature is on the list.');
  t.notMatch(after, /name="signatory_name"/, 'no second form once signed');
  const fresh = await partner.request('POST', url, { ...form, _csrf: csrfOf(after), idempotency_key: 'web-another-form' });
  t.equal(fresh.statusCode, 409);
  t.match(pageText(fresh.body), 'You have already signed this case.');

  const withdraw = /action="(\/app\/cases\/nso-group\/signatures\/sig_[0-9a-f]{16}\/withdraw)"/.exec(after)![1]!;
  const gone = await partner.request('POST', withdraw, { _csrf: csrfOf(after) });
  t.equal(gone.statusCode, 303);
  t.equal(gone.headers.location, `${url}?notice=withdrawn`);
  t.notMatch(pageText((await partner.get(url)).body), 'Jane Doe');
  t.match((await audit(svc)).at(-1), { action: 'signature.withdraw', actor: 'partner:Test Partner Org' });

  const french = new PageClient(svc.app, 'fr');
  await french.signIn(svc.tokens.expert);
  const frPage = (await french.get(url)).body;
  t.match(frPage, /<html lang="fr">/);
  const frBlank = await french.request('POST', url, { _csrf: csrfOf(frPage), idempotency_key: 'web-fr-1', signatory_name: '', signatory_role: '' });
  t.match(pageText(frBlank.body), 'Il y a un problème Remplissez ce champ.');
});

t.test('once the case is approved the page takes no new signature, warns a signer that withdrawing reopens review, and after submission says it went with their signature', async (t) => {
  const svc = await startService(t);
  const url = '/app/cases/nso-group/signatures';
  const api = (token: string, path: string, payload: object) => svc.app.inject({ method: 'POST', url: `/cases/nso-group${path}`, headers: svc.auth(token), payload });
  const signer = new PageClient(svc.app);
  await signer.signIn(svc.tokens.partner);
  const before = (await signer.get(url)).body;
  const key = /name="idempotency_key" value="([^"]+)"/.exec(before)![1]!;
  t.equal((await signer.request('POST', url, { _csrf: csrfOf(before), idempotency_key: key, signatory_name: 'Jane Doe', signatory_role: 'Director' })).statusCode, 303);
  const late = new PageClient(svc.app);
  await late.signIn(svc.tokens.expert);
  const staleForm = (await late.get(url)).body;

  t.equal((await api(svc.tokens.editor, '/status', { request: 'request_review' })).statusCode, 200);
  for (const reviewer of [svc.tokens.reviewer, svc.tokens.reviewer2]) t.equal((await api(reviewer, '/reviews', { kind: 'approve' })).statusCode, 201);

  const closed = pageText((await late.get(url)).body);
  t.match(closed, 'The case is approved and its PDF frozen with the signatories it names, which is what will be submitted. New signatures are taken again if the legal team reopens the case.');
  t.notMatch((await late.get(url)).body, /name="signatory_name"/, 'no form to sign');
  const refused = await late.request('POST', url, { _csrf: csrfOf(staleForm), idempotency_key: 'web-stale', signatory_name: 'Dr. Test Expert', signatory_role: 'Professor' });
  t.equal(refused.statusCode, 409, 'a form shown before the approval is refused');
  t.match(pageText(refused.body), 'The case is approved and its PDF frozen');
  t.match(pageText((await late.get(`${url}?lang=fr`)).body), 'Le dossier est approuvé et son PDF figé avec les signataires qu’il nomme');

  const signed = (await signer.get(url)).body;
  t.match(pageText(signed), 'The approved PDF names you. If you withdraw, the case goes back to review');
  t.match(signed, /action="\/app\/cases\/nso-group\/signatures\/sig_[0-9a-f]{16}\/withdraw"/, 'and it can still withdraw');

  t.equal((await api(svc.tokens.editor, '/status', { request: 'submit' })).statusCode, 200);
  const submitted = pageText((await signer.get(url)).body);
  t.match(submitted, 'You signed this case, and it has been submitted with your signature.');
  t.notMatch(submitted, 'you can withdraw', 'no promise of a withdrawal it can no longer make');
});

t.test('form fields must be text: a NUL is refused with a page naming the field, and nothing is stored', async (t) => {
  const svc = await startService(t);
  const partner = new PageClient(svc.app);
  await partner.signIn(svc.tokens.partner);
  const url = '/app/cases/nso-group/signatures';
  const before = (await rows(svc, 'signatures')).length;
  const page = (await partner.get(url)).body;
  const key = /name="idempotency_key" value="([^"]+)"/.exec(page)![1]!;
  const refused = await partner.request('POST', url, { _csrf: csrfOf(page), idempotency_key: key, signatory_name: 'Jane\u0000Doe', signatory_role: 'Director' });
  assertErrorPage(t, refused, 422, 'form.signatory_name contains a NUL character');
  t.equal((await rows(svc, 'signatures')).length, before, 'no signature stored');
});

t.test('a reviewer comments, approves and requests changes; the status and its next step follow', async (t) => {
  const svc = await startService(t);
  const reviewer = new PageClient(svc.app);
  await reviewer.signIn(await svc.token('reviewer', { person: 'Jane Doe' }));
  const editor = new PageClient(svc.app);
  await editor.signIn(svc.tokens.editor);
  const url = '/app/cases/nso-group/reviews';
  const buttons = async () => [...(await reviewer.get(url)).body.matchAll(/name="kind" value="(\w+)"/g)].map((m) => m[1]);

  t.same(await buttons(), ['comment'], 'a draft takes comments only: no approval or request for changes is offered');
  const early = await reviewer.submit(url, url, { kind: 'approve', text: '' });
  t.equal(early.statusCode, 409);
  t.match(pageText(early.body), 'Only a case in review can be approved');
  const noText = await reviewer.submit(url, url, { kind: 'comment', text: ' ' });
  t.equal(noText.statusCode, 422);
  t.match(pageText(noText.body), 'a comment or a request for changes needs a text');

  const moved = await editor.submit('/app/cases/nso-group', '/app/cases/nso-group/status', { request: 'request_review' });
  t.equal(moved.statusCode, 303);
  t.equal(moved.headers.location, '/app/cases/nso-group?notice=status-request-review');
  const casePage = pageText((await editor.get('/app/cases/nso-group')).body);
  t.match(casePage, 'Status In review');
  t.match(casePage, 'Next step reviewers approve (0 of 2 approvals)');
  t.same(await buttons(), ['comment', 'approve', 'request_changes'], 'a case in review takes all three');
  const stale = await editor.request('POST', '/app/cases/nso-group/status', { _csrf: csrfOf((await editor.get('/app/cases/nso-group')).body), request: 'request_review' });
  t.equal(stale.statusCode, 409);
  t.match(pageText(stale.body), 'The case cannot make this move from its current status.');

  const comment = await reviewer.submit(url, url, { kind: 'comment', text: 'Check the date of the HRW letter.', excerpt: 'ex-jl-pegasus-palestinian-hrds' });
  t.equal(comment.statusCode, 303);
  const approved = await reviewer.submit(url, url, { kind: 'approve', text: '' });
  t.equal(approved.statusCode, 303);
  t.equal(approved.headers.location, `${url}?notice=review-approve`);
  const shown = pageText((await reviewer.get(`${url}?notice=review-approve`)).body);
  t.match(shown, 'Your approval is recorded.');
  t.match(shown, 'You have approved this revision.');
  t.same(await buttons(), ['comment', 'request_changes'], 'her approval given, the button is gone');
  t.match(shown, 'reviewers approve (1 of 2 approvals)');
  t.match(shown, 'Comment by Jane Doe ·', 'each review says who gave it');
  t.match(shown, 'Check the date of the HRW letter.');
  const twice = await reviewer.submit(url, url, { kind: 'approve' });
  t.equal(twice.statusCode, 409);
  t.match(pageText(twice.body), 'You have already approved this version of the case.');
  t.match((await audit(svc)).at(-1), { action: 'review.approve', actor: 'reviewer:Jane Doe' });

  const changes = await reviewer.submit(url, url, { kind: 'request_changes', text: 'Add the registration number.' });
  t.equal(changes.statusCode, 303);
  t.match(pageText((await editor.get('/app/cases/nso-group')).body), 'Status Draft');
});

t.test('a reviewer approves from a page the case has changed since: refused, and the page shown again is of the revision as it stands', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '1' });
  const reviewer = new PageClient(svc.app);
  await reviewer.signIn(svc.tokens.reviewer);
  await svc.app.inject({ method: 'POST', url: '/cases/nso-group/status', headers: svc.auth(svc.tokens.editor), payload: { request: 'request_review' } });
  const url = '/app/cases/nso-group/reviews';
  const shownRevision = (html: string) => Number(/name="revision" value="(\d+)"/.exec(html)?.[1]);

  const read = (await reviewer.get(url)).body;
  const revision = shownRevision(read);
  t.ok(revision > 0, 'the form carries the revision the page shows');
  const edit = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { title: 'Changed while the reviewer read' } });
  t.equal(edit.statusCode, 200);

  const stale = await reviewer.request('POST', url, { _csrf: csrfOf(read), revision: String(revision), kind: 'approve' });
  t.equal(stale.statusCode, 409);
  t.match(pageText(stale.body), 'The case changed while you were reading it. Read this revision, then review again.');
  t.equal(shownRevision(stale.body), revision + 1, 'the page shown again is of the new revision');
  t.same(await svc.deps.db.selectFrom('reviews').select('id').execute(), [], 'no review is recorded');

  const again = await reviewer.request('POST', url, { _csrf: csrfOf(stale.body), revision: String(revision + 1), kind: 'approve' });
  t.equal(again.statusCode, 303, 'approved from the page of the revision as it stands');
  t.equal((await svc.deps.db.selectFrom('reviews').select('revision').executeTakeFirstOrThrow()).revision, revision + 1);

  const forged = await reviewer.request('POST', url, { _csrf: csrfOf(stale.body), revision: 'two', kind: 'comment', text: 'x' });
  t.equal(forged.statusCode, 422, 'a revision that is not a number is refused');
});

t.test('languages: Accept-Language chooses, the switch sets a cookie, and the html lang follows', async (t) => {
  const svc = await startService(t);
  const french = new PageClient(svc.app, 'fr-CH,fr;q=0.9,en;q=0.5');
  const page = await french.get('/app/sign-in');
  t.match(page.body, /<html lang="fr">/);
  t.match(pageText(page.body), 'Connexion');
  t.match(decode(page.body), '<a href="/app/sign-in?lang=en" lang="en" hreflang="en">English</a>', 'the switch links to the same page in English');
  const english = await french.get('/app/sign-in?lang=en');
  t.match(english.body, /<html lang="en">/);
  t.equal(french.cookies.get('dossier_lang'), 'en');
  t.match((await french.get('/app/sign-in')).body, /<html lang="en">/, 'the choice outlives the Accept-Language header');
  const german = new PageClient(svc.app, 'de-DE,de;q=0.9');
  t.match((await german.get('/app/sign-in')).body, /<html lang="en">/, 'a language the pages do not speak falls back to English');

  await french.signIn(svc.tokens.editor);
  const matrix = await french.get('/app/cases/nso-group?lang=fr');
  t.match(pageText(matrix.body), 'Grille des critères');
  t.match(pageText(matrix.body), 'art. 1er, paragraphe 1, point d) iii)', "the criteria in the catalogue's French");
  t.match(pageText(matrix.body), "Étape suivante l’équipe juridique demande une relecture");
  t.match(decode(matrix.body), '<a href="/app/cases/nso-group?lang=en" lang="en" hreflang="en">English</a>');
  const missing = await french.get('/app/cases/no-such-case');
  t.equal(missing.statusCode, 404);
  t.match(pageText(missing.body), 'Ce dossier n’existe pas.');
});

t.test('the API stays as it was: bearer tokens and problem+json outside /app, pages hidden from OpenAPI', async (t) => {
  const svc = await startService(t);
  const browser = new PageClient(svc.app);
  await browser.signIn(svc.tokens.editor);
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  assertProblem(t, await svc.app.inject({ method: 'GET', url: '/cases', headers: { cookie } }), 401, 'unauthenticated');
  assertProblem(t, await svc.app.inject({ method: 'GET', url: '/no-such-thing' }), 404, 'not-found');
  const apiPost = await svc.app.inject({ method: 'POST', url: '/cases/nso-group/status', headers: { ...svc.auth(svc.tokens.editor), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'request=request_review' });
  assertProblem(t, apiPost, 415, 'unsupported-media-type');
  const openapi = (await svc.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
  t.same(Object.keys(openapi.paths).filter((p) => p.startsWith('/app') || p === '/'), [], 'no page in the API description');
  const root = await svc.app.inject({ method: 'GET', url: '/' });
  t.equal(root.statusCode, 302);
  t.equal(root.headers.location, '/app');
  const css = await svc.app.inject({ method: 'GET', url: '/app/static/web.css' });
  t.equal(css.statusCode, 200);
  t.match(css.headers['content-type'], /^text\/css/);
  const unknown = await browser.get('/app/no-such-page');
  assertErrorPage(t, unknown, 404, 'Page not found');
  t.match(unknown.body, '<a href="/app/no-such-page?lang&#x3D;fr" lang="fr" hreflang="fr">', 'the language switch of an error page shows the same error in French');
  const french = await browser.get('/app/no-such-page?lang=fr');
  t.equal(french.statusCode, 404);
  t.match(french.body, '<html lang="fr">');
  const missingVersion = await browser.get('/app/cases/nso-group/versions/9.pdf');
  t.match(missingVersion.body, 'href="/app/cases/nso-group/versions/9.pdf?lang&#x3D;en"', 'a refusal read at an address keeps that address (the reader chose French above: the switch offers English)');
  const wrongMethod = await svc.app.inject({ method: 'DELETE', url: '/app/cases/nso-group', headers: { cookie } });
  assertErrorPage(t, wrongMethod, 405, 'Not something this page does');
  t.equal(wrongMethod.headers.allow, 'GET, HEAD', 'a page asked with a method it does not answer names those it does');
  const csp = String(unknown.headers['content-security-policy']);
  t.match(csp, /script-src 'self'/, "helmet's policy covers the pages");
  t.notMatch(csp, /upgrade-insecure-requests/, 'served over plain HTTP on a LAN, the stylesheet and forms stay on http');
  t.match(csp, /form-action 'self'/);
  t.notMatch(unknown.body, /<script/, 'the pages have no scripts');
});

t.test('the cookie secret: SESSION_SECRET when set, else one made once and shared by every instance through the database', async (t) => {
  const first = await startService(t);
  const second = await startService(t, {}, first.dataDir);
  const browser = new PageClient(first.app);
  await browser.signIn(first.tokens.editor);
  const elsewhere = new PageClient(second.app);
  for (const [k, v] of browser.cookies) elsewhere.cookies.set(k, v);
  t.equal((await elsewhere.get('/app/cases/nso-group')).statusCode, 200, 'a session opened on one instance is valid on the other');
  const accepted = await elsewhere.submit(SOURCE_PAGE, firstSuggestion((await elsewhere.get(SOURCE_PAGE)).body).accept, { criteria: 'art1.1.d.iii' });
  t.equal(accepted.statusCode, 303, 'and so are its forms');
  t.equal((await rows(first, 'service_secrets')).length, 1, 'one secret, stored once');

  const secret = 'a-session-secret-of-at-least-32-characters';
  const configured = await startService(t, { SESSION_SECRET: secret });
  const withSecret = new PageClient(configured.app);
  await withSecret.signIn(configured.tokens.reviewer);
  t.ok(unsign(decodeURIComponent(withSecret.cookies.get('dossier_session')!), secret).valid, 'the cookie is signed with SESSION_SECRET');
  t.equal((await rows(configured, 'service_secrets')).length, 0, 'and no secret is made');
});

t.test('the draft PDF through the pages: for editors and reviewers, as an attachment, in either language', async (t) => {
  const svc = await startService(t);
  const reviewer = new PageClient(svc.app);
  await reviewer.signIn(svc.tokens.reviewer);
  const page = (await reviewer.get('/app/cases/nso-group')).body;
  // No download attribute: the PDF comes as an attachment, and a refusal as a page the reader sees.
  t.match(page, /href="\/app\/cases\/nso-group\/draft\/en" hreflang="en">Download the draft PDF in English<\/a>/);
  t.match(page, /href="\/app\/cases\/nso-group\/draft\/fr" hreflang="fr">Download the draft PDF in French<\/a>/);
  const pdf = await reviewer.get('/app/cases/nso-group/draft/fr');
  t.equal(pdf.statusCode, 200);
  t.equal(pdf.headers['content-type'], 'application/pdf');
  t.equal(pdf.headers['content-disposition'], 'attachment; filename="nso-group-draft-fr.pdf"');
  t.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  const api = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/dossier.pdf?lang=fr', headers: svc.auth(svc.tokens.reviewer) });
  t.ok(api.rawPayload.equals(pdf.rawPayload), 'the same bytes as the API serves');
  t.equal((await reviewer.get('/app/cases/nso-group/draft/de')).statusCode, 404);
  t.notMatch(page, 'Approved versions', 'no version is listed before one is approved');
});

t.test('approved versions are listed on the case page and downloaded as approved, byte for byte', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '1' });
  await svc.app.inject({ method: 'POST', url: '/cases/nso-group/status', headers: svc.auth(svc.tokens.editor), payload: { request: 'request_review' } });
  const approval = await svc.app.inject({ method: 'POST', url: '/cases/nso-group/reviews', headers: svc.auth(svc.tokens.reviewer), payload: { kind: 'approve' } });
  t.equal(approval.statusCode, 201);
  const { version } = approval.json() as { version: { n: number; revision: number; sha256: string; createdAt: string } };

  const editor = new PageClient(svc.app);
  await editor.signIn(svc.tokens.editor);
  const page = (await editor.get('/app/cases/nso-group')).body;
  t.match(pageText(page), `Approved versions Each approval froze the dossier as its reviewers approved it`);
  t.match(page, new RegExp(`<a href="/app/cases/nso-group/versions/1.pdf" hreflang="en">Version 1 \\(revision ${version.revision}\\)</a>, <time datetime="${version.createdAt}">`));
  t.match(page, `SHA-256 <code>${version.sha256}</code>`);

  const pdf = await editor.get('/app/cases/nso-group/versions/1.pdf');
  t.equal(pdf.statusCode, 200);
  t.equal(pdf.headers['content-disposition'], 'attachment; filename="nso-group-v1.pdf"');
  t.equal(sha256Hex(pdf.rawPayload), version.sha256, 'the bytes whose SHA-256 was recorded at approval');

  const missing = await editor.get('/app/cases/nso-group/versions/2.pdf');
  t.equal(missing.statusCode, 404);
  t.match(pageText(missing.body), 'The case has no approved version of this number.');
  const partner = new PageClient(svc.app);
  await partner.signIn(svc.tokens.partner);
  t.equal((await partner.get('/app/cases/nso-group/versions/1.pdf')).statusCode, 403, 'partners sign; the dossier is for the legal team and reviewers');

  const french = pageText((await editor.get('/app/cases/nso-group?lang=fr')).body);
  t.match(french, 'Versions approuvées');
  t.match(french, `Version 1 (révision ${version.revision})`);
});

t.test('gaps in the evidence are marked in the matrix, in words', async (t) => {
  const svc = await startService(t);
  const created = await svc.app.inject({
    method: 'POST',
    url: '/cases',
    headers: svc.auth(svc.tokens.editor),
    payload: newCaseBody('example-ltd'),
  });
  t.equal(created.statusCode, 201);
  const editor = new PageClient(svc.app);
  await editor.signIn(svc.tokens.editor);
  const page = await editor.get('/app/cases/example-ltd');
  const text = pageText(page.body);
  t.match(text, '3 gaps in the evidence');
  t.match(text, /Art\. 1\(1\)\(d\)\(iv\) ?: no excerpt supports this claimed criterion\./);
  t.match(text, 'no excerpt shows this threshold, which the claimed criteria require.');
  t.match(text, 'no excerpt links the target to the acts.');
  t.equal([...page.body.matchAll(/class="gap-row"/g)].length, 3, 'each row without evidence is marked');
  t.match(pageText((await editor.get('/app/cases/nso-group')).body), 'No gaps: every claimed criterion');
  const covered = pageText((await editor.get('/app/cases/nso-group/criteria/art1.1.d.iv')).body);
  t.match(covered, /Evidence \d+ excerpts?; independent sources: \d+\./, 'the evidence of a criterion is counted in plain words');
  t.notMatch(covered, /\(s\)/, 'with no "(s)" plurals');
  const criterion = pageText((await editor.get('/app/cases/example-ltd/criteria/art1.1.d.iv')).body);
  t.match(criterion, 'No excerpt supports this criterion yet.');
});

t.test('failed sign-ins are limited per address, as the API limits failed tokens; behind HTTPS the cookies are Secure', async (t) => {
  const svc = await startService(t, { AUTH_FAILURES_PER_MINUTE: '2', TRUST_PROXY: '1' });
  const https = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' };
  const browser = new PageClient(svc.app);
  const page = await browser.request('GET', '/app/sign-in?lang=en', undefined, https);
  t.match(([] as string[]).concat(page.headers['set-cookie'] as string[]).join('\n'), /dossier_lang=en;[^\n]*; Secure/, 'cookies set over HTTPS are Secure');
  const form = page.body;
  for (let i = 0; i < 2; i++) {
    t.equal((await browser.request('POST', '/app/sign-in', { _csrf: csrfOf(form), token: `dsr_wrong-${i}` }, https)).statusCode, 422);
  }
  const blocked = await browser.request('POST', '/app/sign-in', { _csrf: csrfOf(form), token: svc.tokens.editor }, https);
  t.equal(blocked.statusCode, 429, 'then even the right token waits');
  t.equal(blocked.headers['retry-after'], '60');
  t.match(pageText(blocked.body), 'Too many failed attempts from your address.');
  const elsewhere = await browser.request('POST', '/app/sign-in', { _csrf: csrfOf(form), token: svc.tokens.editor }, { ...https, 'x-forwarded-for': '198.51.100.8' });
  t.equal(elsewhere.statusCode, 303, 'another address is not blocked');
  const session = ([] as string[]).concat(elsewhere.headers['set-cookie'] as string[]).find((c) => c.startsWith('dossier_session='))!;
  t.match(session, /; Secure/, 'the session cookie is Secure over HTTPS');
});

t.test('a draft whose text the fonts cannot show is a 422 page naming the characters', async (t) => {
  const svc = await startService(t);
  const patch = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { submitted_by: ['Coalition 北京'] } });
  t.equal(patch.statusCode, 200);
  const reviewer = new PageClient(svc.app);
  await reviewer.signIn(svc.tokens.reviewer);
  const page = await reviewer.get('/app/cases/nso-group/draft/en');
  assertErrorPage(t, page, 422, 'The PDF cannot be made', 'U+5317 北, U+4EAC 京 in "北京"');
  t.match(page.body, '<p class="detail">U+5317', 'the detail is in the page\'s language, not marked as English');
  const french = new PageClient(svc.app, 'fr');
  await french.signIn(svc.tokens.reviewer);
  const pageFr = await french.get('/app/cases/nso-group/draft/en');
  assertErrorPage(t, pageFr, 422, 'Le PDF ne peut pas être produit', 'U+5317 北, U+4EAC 京 dans « 北京 »');
});
