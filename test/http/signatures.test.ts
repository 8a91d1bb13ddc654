import type { LightMyRequestResponse } from 'fastify';
import t from 'tap';
import type { Test } from 'tap';
import { startService, type TestService } from '../helpers/app.ts';
import { readPdf } from '../helpers/pdf.ts';
import { assertProblem } from '../helpers/problem.ts';

// ---------------------------------------------------------------- helpers

const CASE = 'nso-group';
const SIGNATURES = `/cases/${CASE}/signatures`;

interface Signature {
  id: string;
  caseId: string;
  category: 'organisation' | 'expert';
  name: string;
  affiliation?: string;
  signatory?: { name: string; role: string };
  comment?: string;
  createdAt: string;
}

const janeDoe = { signatory: { name: 'Jane Doe', role: 'Director' }, comment: 'We support the listing of NSO Group.' };

function sign(svc: TestService, token: string, key: string | undefined, payload: unknown = janeDoe, caseId = CASE) {
  return svc.app.inject({
    method: 'POST',
    url: `/cases/${caseId}/signatures`,
    headers: { ...svc.auth(token), ...(key === undefined ? {} : { 'idempotency-key': key }) },
    payload: payload as object,
  });
}

function withdraw(svc: TestService, token: string, id: string) {
  return svc.app.inject({ method: 'DELETE', url: `${SIGNATURES}/${id}`, headers: svc.auth(token) });
}

/** The public list, read as anyone would: without a token. */
async function publicList(svc: TestService): Promise<Signature[]> {
  const res = await svc.app.inject({ method: 'GET', url: SIGNATURES });
  if (res.statusCode !== 200) throw new Error(`the public list answered ${res.statusCode}`);
  return res.json() as Signature[];
}

async function dossierText(svc: TestService): Promise<string> {
  const res = await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/dossier.pdf`, headers: svc.auth(svc.tokens.reviewer) });
  if (res.statusCode !== 200) throw new Error(`the dossier answered ${res.statusCode}`);
  return (await readPdf(res.rawPayload)).all;
}


const requestStatus = (svc: TestService, request: string) =>
  svc.app.inject({ method: 'POST', url: `/cases/${CASE}/status`, headers: svc.auth(svc.tokens.editor), payload: { request } });

/** Two reviewers approve the case's current revision, which freezes a version. */
async function approveCase(t: Test, svc: TestService): Promise<void> {
  const approve = (token: string) => svc.app.inject({ method: 'POST', url: `/cases/${CASE}/reviews`, headers: svc.auth(token), payload: { kind: 'approve' } });
  t.equal((await approve(svc.tokens.reviewer)).statusCode, 201, 'first approval');
  const second = await approve(svc.tokens.reviewer2);
  t.equal(second.statusCode, 201, 'second approval');
  t.ok((second.json() as { version?: unknown }).version, 'a version is frozen');
}

async function versionText(svc: TestService, n: number): Promise<string> {
  const res = await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/versions/${n}.pdf`, headers: svc.auth(svc.tokens.reviewer) });
  if (res.statusCode !== 200) throw new Error(`version ${n} answered ${res.statusCode}`);
  return (await readPdf(res.rawPayload)).all;
}

/** Moves the case to submitted through the API, as editors and reviewers would. */
async function submitCase(t: Test, svc: TestService): Promise<void> {
  t.equal((await requestStatus(svc, 'request_review')).statusCode, 200, 'review requested');
  await approveCase(t, svc);
  const submitted = await requestStatus(svc, 'submit');
  t.equal(submitted.statusCode, 200, 'submitted');
  t.equal((submitted.json() as { status: string }).status, 'submitted');
}

// ---------------------------------------------------------------- the public list

t.test('GET /cases/nso-group/signatures needs no token and lists the 88 signatures of the joint letter: 82 organisations and 6 experts', async (t) => {
  const svc = await startService(t);
  const res = await svc.app.inject({ method: 'GET', url: SIGNATURES });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  const list = res.json() as Signature[];
  t.equal(list.length, 88);
  t.equal(list.filter((s) => s.category === 'organisation').length, 82);
  t.equal(list.filter((s) => s.category === 'expert').length, 6);
  t.equal(new Set(list.map((s) => s.id)).size, 88, 'every signature has its own id');
  t.ok(list.every((s) => s.caseId === CASE && /^sig_[0-9a-f]{16}$/.test(s.id)));
  t.ok(list.some((s) => s.name === 'Access Now'));
});

t.test('GET /cases/unknown-case/signatures is a 404 problem', async (t) => {
  const svc = await startService(t);
  const res = await svc.app.inject({ method: 'GET', url: '/cases/unknown-case/signatures' });
  const body = assertProblem(t, res, 404, 'case-not-found');
  t.match(body.detail, 'unknown-case');
  const signing = await sign(svc, svc.tokens.partner, 'k-unknown-case', janeDoe, 'unknown-case');
  assertProblem(t, signing, 404, 'case-not-found');
});

// ---------------------------------------------------------------- signing

t.test('POST /cases/{id}/signatures with a partner token signs for the organisation of the token: 201 with id, name and Location', async (t) => {
  const svc = await startService(t);
  const res = await sign(svc, svc.tokens.partner, 'key-1');
  t.equal(res.statusCode, 201);
  const body = res.json() as Signature;
  t.match(body.id, /^sig_[0-9a-f]{16}$/);
  t.equal(body.caseId, CASE);
  t.equal(body.name, 'Test Partner Org', 'the name comes from the token');
  t.equal(body.category, 'organisation');
  t.same(body.signatory, janeDoe.signatory);
  t.equal(body.comment, janeDoe.comment);
  t.equal(res.headers.location, `${SIGNATURES}/${body.id}`);
  t.notOk(res.headers['idempotent-replayed'], 'a first answer is not a replay');

  const list = await publicList(svc);
  t.equal(list.length, 89);
  t.same(list.find((s) => s.id === body.id), body, 'the public list shows the signature as answered');
});

t.test('POST /cases/{id}/signatures with the same Idempotency-Key and body answers the same 201 again and signs once', async (t) => {
  const svc = await startService(t);
  const first = await sign(svc, svc.tokens.partner, 'same-key');
  const again = await sign(svc, svc.tokens.partner, 'same-key');
  t.equal(again.statusCode, 201);
  t.same(again.json(), first.json(), 'the same body');
  t.equal(again.headers.location, first.headers.location, 'the same Location');
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal((await publicList(svc)).filter((s) => s.name === 'Test Partner Org').length, 1, 'one signature');
});

t.test('POST /cases/{id}/signatures with the same Idempotency-Key and another body is 422 and changes nothing', async (t) => {
  const svc = await startService(t);
  const first = await sign(svc, svc.tokens.partner, 'reused-key');
  const other = await sign(svc, svc.tokens.partner, 'reused-key', { signatory: { name: 'John Roe', role: 'Chair' } });
  const body = assertProblem(t, other, 422, 'idempotency-key-reused');
  t.match(body.detail, 'reused-key');
  const list = await publicList(svc);
  t.equal(list.length, 89);
  t.same(list.find((s) => s.name === 'Test Partner Org'), first.json(), 'the first signature is unchanged');
});

t.test('POST /cases/{id}/signatures with another key for an organisation that signed is 409 pointing at the existing signature', async (t) => {
  const svc = await startService(t);
  const first = (await sign(svc, svc.tokens.partner, 'first-key')).json() as Signature;
  const second = await sign(svc, svc.tokens.partner, 'second-key', { signatory: { name: 'John Roe', role: 'Chair' } });
  const body = assertProblem(t, second, 409, 'already-signed');
  t.equal(body.signature, first.id);
  t.equal(body.location, `${SIGNATURES}/${first.id}`);
  t.match(body.detail, 'Test Partner Org');
  t.equal((await publicList(svc)).length, 89, 'still one signature of the organisation');
});

t.test('organisations are told apart by name whatever the case and spacing: a joint-letter signatory signing again is 409', async (t) => {
  const svc = await startService(t);
  const accessNow = (await publicList(svc)).find((s) => s.name === 'Access Now')!;
  const token = await svc.token('partner', { organisation: 'ACCESS   now' });
  const res = await sign(svc, token, 'access-now');
  const body = assertProblem(t, res, 409, 'already-signed');
  t.equal(body.signature, accessNow.id, 'the 409 points at the imported signature');
  t.equal((await publicList(svc)).length, 88);
});

t.test('a partner whose name the dossier cannot print is refused 422 unprintable-name, and the draft stays printable', async (t) => {
  const svc = await startService(t);
  // Made directly in the store, as a token made before the command refused such names would be.
  const token = await svc.token('partner', { organisation: '人权观察 Rights' });
  const res = await sign(svc, token, 'unprintable');
  const body = assertProblem(t, res, 422, 'unprintable-name');
  t.match(body.detail, 'cannot show U+4EBA 人, U+6743 权, U+89C2 观, U+5BDF 察 in "人权观察 Rights"', 'the problem names the characters and the name');
  t.same(body.characters, ['U+4EBA 人', 'U+6743 权', 'U+89C2 观', 'U+5BDF 察']);
  t.equal((await publicList(svc)).length, 88, 'nothing is signed');
  const again = await sign(svc, token, 'unprintable');
  assertProblem(t, again, 422, 'unprintable-name');

  const draft = await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/dossier.pdf`, headers: svc.auth(svc.tokens.reviewer) });
  t.equal(draft.statusCode, 200, 'the draft PDF is still made');

  const expert = await svc.token('partner', { person: 'Δρ. Ελένη Παπαδοπούλου' });
  t.equal((await sign(svc, expert, 'greek-expert')).statusCode, 201, 'a name in Greek script signs');
});

t.test('a body that tries to choose the organisation is 422 naming the unknown keys; nothing is signed', async (t) => {
  const svc = await startService(t);
  const res = await sign(svc, svc.tokens.partner, 'choose-org', { ...janeDoe, organisation: 'X' });
  const body = assertProblem(t, res, 422, 'validation-failed');
  const errors = body.errors as Array<{ path: string; message: string; code: string }>;
  t.ok(errors.some((e) => e.path === 'body' && e.code === 'unrecognized_keys' && e.message.includes('organisation')), 'the unknown key "organisation" is listed');

  const nested = await sign(svc, svc.tokens.partner, 'choose-org-2', { signatory: { ...janeDoe.signatory, organisation: 'X' }, category: 'expert', name: 'X' });
  const nestedErrors = assertProblem(t, nested, 422, 'validation-failed').errors as Array<{ path: string; message: string }>;
  t.ok(nestedErrors.some((e) => e.path === 'body.signatory' && e.message.includes('organisation')), 'the nested key is listed under body.signatory');
  t.ok(nestedErrors.some((e) => e.path === 'body' && e.message.includes('category') && e.message.includes('name')), 'both top-level keys are listed');

  const list = await publicList(svc);
  t.equal(list.length, 88);
  t.notOk(list.some((s) => s.name === 'X' || s.name === 'Test Partner Org'));
});

t.test('POST /cases/{id}/signatures without an Idempotency-Key is 422 naming the header', async (t) => {
  const svc = await startService(t);
  const res = await sign(svc, svc.tokens.partner, undefined);
  const body = assertProblem(t, res, 422, 'validation-failed');
  t.match(body.errors, [{ path: 'headers.idempotency-key' }]);
  t.match(body.detail, "1 problem in the request's headers: headers.idempotency-key: the Idempotency-Key header is required: a key of your choosing, sent again unchanged with a retry of the same request");

  const blank = await sign(svc, svc.tokens.partner, 'has space');
  t.match(assertProblem(t, blank, 422, 'validation-failed').errors, [{ path: 'headers.idempotency-key' }], 'a key with a space is refused too');
  t.equal((await publicList(svc)).length, 88);
});

t.test('an expert token signs as category expert under the name of its person', async (t) => {
  const svc = await startService(t);
  const res = await sign(svc, svc.tokens.expert, 'expert-key', { signatory: { name: 'Dr. Test Expert', role: 'Independent expert' } });
  t.equal(res.statusCode, 201);
  const body = res.json() as Signature;
  t.equal(body.category, 'expert');
  t.equal(body.name, 'Dr. Test Expert');
  const list = await publicList(svc);
  t.equal(list.filter((s) => s.category === 'expert').length, 7);
  t.equal(list.filter((s) => s.category === 'organisation').length, 82);
});

// ---------------------------------------------------------------- withdrawal

t.test('DELETE /cases/{id}/signatures/{id} is 204: the signature leaves the list, the audit log keeps both entries, and the organisation can sign again', async (t) => {
  const svc = await startService(t);
  const signed = (await sign(svc, svc.tokens.partner, 'before-withdrawal')).json() as Signature;

  const res = await withdraw(svc, svc.tokens.partner, signed.id);
  t.equal(res.statusCode, 204);
  t.equal(res.body, '');
  const list = await publicList(svc);
  t.equal(list.length, 88);
  t.notOk(list.some((s) => s.id === signed.id || s.name === 'Test Partner Org'), 'the signature left the public list');

  const again = await withdraw(svc, svc.tokens.partner, signed.id);
  assertProblem(t, again, 404, 'signature-not-found');

  const audit = (await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/audit`, headers: svc.auth(svc.tokens.editor) })).json() as Array<{ actor: string; action: string; detail: { signature?: string } }>;
  const entries = audit.filter((e) => e.detail.signature === signed.id);
  t.same(entries.map((e) => [e.action, e.actor]), [['signature.add', 'partner:Test Partner Org'], ['signature.withdraw', 'partner:Test Partner Org']]);
  const verify = await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/audit/verify`, headers: svc.auth(svc.tokens.editor) });
  t.equal((verify.json() as { ok: boolean }).ok, true, 'the audit chain is intact');

  const replayed = assertProblem(t, await sign(svc, svc.tokens.partner, 'before-withdrawal'), 409, 'signature-withdrawn');
  t.equal(replayed.signature, signed.id, 'the key that made the withdrawn signature does not answer 201 again');
  t.match(replayed.detail, /new Idempotency-Key/);
  t.equal((await publicList(svc)).length, 88, 'and signs nothing');

  const resigned = await sign(svc, svc.tokens.partner, 'after-withdrawal');
  t.equal(resigned.statusCode, 201, 'the organisation signs again with a new key');
  const body = resigned.json() as Signature;
  t.not(body.id, signed.id, 'as a new signature');
  t.equal((await publicList(svc)).length, 89);
});

t.test('the draft PDF lists a new signatory and no longer lists it after withdrawal', async (t) => {
  const svc = await startService(t);
  const org = 'Zyxwv Rights Watch';
  const token = await svc.token('partner', { organisation: org });
  t.notOk((await dossierText(svc)).includes(org), 'not in the dossier before signing');

  const signed = (await sign(svc, token, 'pdf-key')).json() as Signature;
  t.ok((await dossierText(svc)).includes(org), 'in the dossier after signing');

  t.equal((await withdraw(svc, token, signed.id)).statusCode, 204);
  t.notOk((await dossierText(svc)).includes(org), 'gone from the dossier after withdrawal');
});

t.test('an organisation and an expert of the same name both sign, and the case can still be edited', async (t) => {
  const svc = await startService(t);
  const name = 'Jane Zyxwv';
  t.equal((await sign(svc, await svc.token('partner', { person: name }), 'as-expert')).statusCode, 201);
  t.equal((await sign(svc, await svc.token('partner', { organisation: name }), 'as-organisation')).statusCode, 201);
  const renamed = await svc.app.inject({ method: 'PATCH', url: `/cases/${CASE}`, headers: svc.auth(svc.tokens.editor), payload: { title: 'Proposed listing: NSO Group (renamed)' } });
  t.equal(renamed.statusCode, 200, `the editor's change is taken: ${renamed.body.slice(0, 200)}`);
  t.same((await publicList(svc)).filter((s) => s.name === name).map((s) => s.category).sort(), ['expert', 'organisation']);
});

// ---------------------------------------------------------------- after approval

t.test('an approved case takes no new signature (409 case-approved): its frozen PDF is what will be submitted', async (t) => {
  const svc = await startService(t);
  const org = 'Zyxwv Late Signers';
  const token = await svc.token('partner', { organisation: org });
  t.equal((await requestStatus(svc, 'request_review')).statusCode, 200);
  await approveCase(t, svc);
  const before = await publicList(svc);

  const late = assertProblem(t, await sign(svc, token, 'after-approval'), 409, 'case-approved');
  t.match(late.detail, /approved.*reopens/);
  t.same(await publicList(svc), before, 'the list is unchanged');
  const status = (await svc.app.inject({ method: 'GET', url: `/cases/${CASE}`, headers: svc.auth(svc.tokens.editor) })).json() as { status: string };
  t.equal(status.status, 'approved', 'the case stays approved');

  t.equal((await requestStatus(svc, 'reopen')).statusCode, 200, 'the legal team reopens the case');
  t.equal((await sign(svc, token, 'after-reopening')).statusCode, 201, 'and the organisation signs');
});

t.test('a withdrawal from an approved case sends it back to review; the next approval freezes a version without the signatory', async (t) => {
  const svc = await startService(t);
  const org = 'Zyxwv Rights Watch';
  const token = await svc.token('partner', { organisation: org });
  const signed = (await sign(svc, token, 'before-approval')).json() as Signature;
  t.equal((await requestStatus(svc, 'request_review')).statusCode, 200);
  await approveCase(t, svc);
  t.ok((await versionText(svc, 1)).includes(org), 'the approved version names the organisation');
  const approved = (await svc.app.inject({ method: 'GET', url: `/cases/${CASE}`, headers: svc.auth(svc.tokens.editor) })).json() as { status: string; revision: number };

  t.equal((await withdraw(svc, token, signed.id)).statusCode, 204, 'the withdrawal is taken');
  const after = (await svc.app.inject({ method: 'GET', url: `/cases/${CASE}`, headers: svc.auth(svc.tokens.editor) })).json() as { status: string; revision: number };
  t.equal(after.status, 'in_review', 'the case is back in review');
  t.equal(after.revision, approved.revision + 1, 'at a new revision: the approvals given were for the list that named it');
  assertProblem(t, await requestStatus(svc, 'submit'), 409, 'illegal-transition');

  await approveCase(t, svc);
  t.notOk((await versionText(svc, 2)).includes(org), 'version 2 does not name the organisation');
  t.ok((await versionText(svc, 1)).includes(org), 'version 1 is kept as it was frozen');
  t.equal((await requestStatus(svc, 'submit')).statusCode, 200, 'and version 2 is submitted');
  const verify = await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/audit/verify`, headers: svc.auth(svc.tokens.editor) });
  t.equal((verify.json() as { ok: boolean }).ok, true, 'the audit chain is intact');
});

// ---------------------------------------------------------------- after submission

t.test('no signing and no withdrawing after submission: 409 and the list stays as submitted', async (t) => {
  const svc = await startService(t);
  const signed = (await sign(svc, svc.tokens.partner, 'before-submission')).json() as Signature;
  await submitCase(t, svc);
  const before = await publicList(svc);

  const late = await sign(svc, svc.tokens.expert, 'after-submission');
  const body = assertProblem(t, late, 409, 'case-submitted');
  t.match(body.detail, /submitted/);

  const newOrg = await sign(svc, await svc.token('partner', { organisation: 'Late Org' }), 'late-org');
  assertProblem(t, newOrg, 409, 'case-submitted');

  assertProblem(t, await withdraw(svc, svc.tokens.partner, signed.id), 409, 'case-submitted');

  t.same(await publicList(svc), before, 'the list is unchanged');
  t.equal(before.length, 89);
});

// ---------------------------------------------------------------- concurrency

t.test('50 partners signing in parallel each get 201 and leave exactly 50 new signatures', async (t) => {
  const svc = await startService(t);
  const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => svc.token('partner', { organisation: `Parallel Org ${i + 1}` })));
  const answers = await Promise.all(tokens.map((token, i) => sign(svc, token, `parallel-${i}`)));
  t.same(answers.map((r) => r.statusCode), Array(50).fill(201), 'every partner got 201');
  const ids = answers.map((r) => (r.json() as Signature).id);
  t.equal(new Set(ids).size, 50, 'fifty distinct signatures');

  const list = await publicList(svc);
  t.equal(list.length, 88 + 50);
  const names = list.filter((s) => s.name.startsWith('Parallel Org ')).map((s) => s.name);
  t.equal(new Set(names).size, 50, 'each organisation once');
});

t.test('50 identical parallel requests of one partner with one Idempotency-Key give 201 each with the same id and one signature', async (t) => {
  const svc = await startService(t);
  const answers = await Promise.all(Array.from({ length: 50 }, () => sign(svc, svc.tokens.partner, 'one-key')));
  t.same(answers.map((r) => r.statusCode), Array(50).fill(201), 'every request got 201');
  const ids = new Set(answers.map((r) => (r.json() as Signature).id));
  t.equal(ids.size, 1, 'the same signature every time');
  t.equal(answers.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 49, 'all but the first are replays');

  const list = await publicList(svc);
  t.equal(list.length, 89);
  t.equal(list.filter((s) => s.name === 'Test Partner Org').length, 1);
});
