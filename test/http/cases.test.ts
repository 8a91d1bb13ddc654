import { createHash } from 'node:crypto';
import t, { type Test } from 'tap';
import { createToken, nameToken } from '../../src/store/token-store.ts';
import { startService, type TestService } from '../helpers/app.ts';
import { newCaseBody } from '../helpers/new-case.ts';
import { assertProblem } from '../helpers/problem.ts';
import { problemsOf } from '../helpers/problems.ts';

const PROBLEM = 'https://sanctions-dossier.eu/problems/';

async function getCase(svc: TestService, id: string) {
  const res = await svc.app.inject({ method: 'GET', url: `/cases/${id}`, headers: svc.auth(svc.tokens.editor) });
  if (res.statusCode !== 200) throw new Error(`GET /cases/${id} answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

async function statusRequest(svc: TestService, id: string, request: string) {
  return svc.app.inject({ method: 'POST', url: `/cases/${id}/status`, headers: svc.auth(svc.tokens.editor), payload: { request } });
}

async function review(svc: TestService, id: string, token: string, body: Record<string, unknown>) {
  return svc.app.inject({ method: 'POST', url: `/cases/${id}/reviews`, headers: svc.auth(token), payload: body });
}

/** The NSO case put to review and approved by both reviewers: the case as it then stands. */
async function approvedCase(svc: TestService) {
  await statusRequest(svc, 'nso-group', 'request_review');
  await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'approve' });
  await review(svc, 'nso-group', svc.tokens.reviewer2, { kind: 'approve' });
  return getCase(svc, 'nso-group');
}


t.test('GET /cases lists the NSO Group case imported on first start', async (t) => {
  const svc = await startService(t);
  const res = await svc.app.inject({ method: 'GET', url: '/cases', headers: svc.auth(svc.tokens.reviewer) });
  t.equal(res.statusCode, 200);
  const list = res.json();
  t.equal(list.length, 1);
  t.match(list[0], { id: 'nso-group', status: 'draft', revision: 1, title: /NSO Group/, language: 'en' });
  t.type(list[0].updatedAt, 'string');
});

t.test('GET /cases is in byte order of the ids on every database (a hyphen before a letter)', async (t) => {
  const svc = await startService(t);
  for (const id of ['nsoa', 'nso-b', 'nso']) {
    t.equal((await svc.app.inject({ method: 'POST', url: '/cases', headers: svc.auth(svc.tokens.editor), payload: newCaseBody(id) })).statusCode, 201);
  }
  const list = (await svc.app.inject({ method: 'GET', url: '/cases', headers: svc.auth(svc.tokens.reviewer) })).json() as Array<{ id: string }>;
  t.same(list.map((c) => c.id), ['nso', 'nso-b', 'nso-group', 'nsoa']);
});

t.test('GET /cases/nso-group shows a draft with its revision, counts and next step', async (t) => {
  const svc = await startService(t);
  const c = await getCase(svc, 'nso-group');
  t.equal(c.id, 'nso-group');
  t.equal(c.status, 'draft');
  t.equal(c.revision, 1);
  t.equal(c.language, 'en');
  t.equal(c.excerpts, 39, 'every excerpt of the case file');
  t.ok(c.signatures > 80, 'the signatories of the joint letter');
  t.equal(c.approvals, 0);
  t.equal(c.approvalsRequired, 2);
  t.equal(c.nextStep, 'editors request a review');
  t.equal(c.target.names[0].value, 'NSO Group Technologies Ltd');
  t.same(c.claims.involvement, 'art3.1.b');
  t.ok(c.statement_of_reasons.length > 0);
});

t.test('GET /cases/{id} of an unknown case is 404 problem+json', async (t) => {
  const svc = await startService(t);
  const res = await svc.app.inject({ method: 'GET', url: '/cases/no-such-case', headers: svc.auth(svc.tokens.editor) });
  assertProblem(t, res, 404, 'case-not-found');
});

t.test('POST /cases as editor creates a draft case and answers 201 with its location', async (t) => {
  const svc = await startService(t);
  const res = await svc.app.inject({ method: 'POST', url: '/cases', headers: svc.auth(svc.tokens.editor), payload: newCaseBody('example-ltd') });
  t.equal(res.statusCode, 201);
  t.equal(res.headers.location, '/cases/example-ltd');
  t.match(res.json(), { id: 'example-ltd', status: 'draft', revision: 1, excerpts: 0, signatures: 0, approvals: 0, statement_of_reasons: [] });

  const stored = await getCase(svc, 'example-ltd');
  t.equal(stored.title, 'Proposed listing of Example Surveillance Ltd');
  t.same(stored.claims, { criteria: ['art1.1.d.iv'], involvement: 'art3.1.b' });
  const list = (await svc.app.inject({ method: 'GET', url: '/cases', headers: svc.auth(svc.tokens.editor) })).json();
  t.same(list.map((c: { id: string }) => c.id).sort(), ['example-ltd', 'nso-group']);
});

t.test('POST /cases with an id that exists is 409 and changes nothing', async (t) => {
  const svc = await startService(t);
  const first = await svc.app.inject({ method: 'POST', url: '/cases', headers: svc.auth(svc.tokens.editor), payload: newCaseBody('example-ltd') });
  t.equal(first.statusCode, 201);
  const again = await svc.app.inject({
    method: 'POST',
    url: '/cases',
    headers: svc.auth(svc.tokens.editor),
    payload: { ...newCaseBody('example-ltd'), title: 'Another title' },
  });
  const body = assertProblem(t, again, 409, 'case-exists');
  t.match(body.detail, /example-ltd/);
  t.equal((await getCase(svc, 'example-ltd')).title, 'Proposed listing of Example Surveillance Ltd');

  const nso = await svc.app.inject({ method: 'POST', url: '/cases', headers: svc.auth(svc.tokens.editor), payload: newCaseBody('nso-group') });
  assertProblem(t, nso, 409, 'case-exists');
  t.equal((await getCase(svc, 'nso-group')).excerpts, 39, 'the existing case keeps its excerpts');
});

t.test('POST /cases is for editors: a reviewer gets 403, no token 401', async (t) => {
  const svc = await startService(t);
  const asReviewer = await svc.app.inject({ method: 'POST', url: '/cases', headers: svc.auth(svc.tokens.reviewer), payload: newCaseBody('example-ltd') });
  assertProblem(t, asReviewer, 403, 'forbidden');
  const anonymous = await svc.app.inject({ method: 'POST', url: '/cases', payload: newCaseBody('example-ltd') });
  assertProblem(t, anonymous, 401, 'unauthenticated');
  const get = await svc.app.inject({ method: 'GET', url: '/cases/example-ltd', headers: svc.auth(svc.tokens.editor) });
  t.equal(get.statusCode, 404, 'no case was created');
});

t.test('PATCH /cases/{id} changes the title and statement and bumps the revision', async (t) => {
  const svc = await startService(t);
  const before = await getCase(svc, 'nso-group');
  const statement = [{ sentences: [{ text: 'NSO Group is established in Luxembourg.', excerpts: ['ex-ai-brief-nso-established-in-luxembourg'] }] }];
  const res = await svc.app.inject({
    method: 'PATCH',
    url: '/cases/nso-group',
    headers: svc.auth(svc.tokens.editor),
    payload: { title: 'A new title', statement_of_reasons: statement },
  });
  t.equal(res.statusCode, 200);
  t.equal(res.json().title, 'A new title');
  t.equal(res.json().revision, before.revision + 1);
  const after = await getCase(svc, 'nso-group');
  t.equal(after.title, 'A new title');
  t.same(after.statement_of_reasons, statement);
  t.equal(after.revision, before.revision + 1);
  t.equal(after.status, 'draft');
});

t.test('PATCH whose statement cites an unknown excerpt is 422 naming the path, and nothing changes', async (t) => {
  const svc = await startService(t);
  const before = await getCase(svc, 'nso-group');
  const res = await svc.app.inject({
    method: 'PATCH',
    url: '/cases/nso-group',
    headers: svc.auth(svc.tokens.editor),
    payload: {
      title: 'Should not be saved',
      statement_of_reasons: [{ sentences: [{ text: 'A claim.', excerpts: ['ex-ai-brief-nso-established-in-luxembourg', 'ex-does-not-exist'] }] }],
    },
  });
  const body = assertProblem(t, res, 422, 'invalid-content');
  t.match(body.detail, /ex-does-not-exist/);
  t.ok(
    body.errors.some((e: { path: string; code: string }) => e.path === 'statement_of_reasons[0].sentences[0].excerpts[1]' && e.code === 'unknown_excerpt'),
    'the problem names statement_of_reasons[0].sentences[0].excerpts[1]',
  );
  const after = await getCase(svc, 'nso-group');
  t.same(after, before, 'the case is unchanged, revision included');
});

t.test('PATCH with an unknown field or an empty body is 422 validation-failed', async (t) => {
  const svc = await startService(t);
  const unknown = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { status: 'approved' } });
  assertProblem(t, unknown, 422, 'validation-failed');
  const empty = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: {} });
  assertProblem(t, empty, 422, 'validation-failed');
  t.equal((await getCase(svc, 'nso-group')).status, 'draft');
});

t.test('status: an editor requests a review and the draft goes in_review', async (t) => {
  const svc = await startService(t);
  const res = await statusRequest(svc, 'nso-group', 'request_review');
  t.equal(res.statusCode, 200);
  t.equal(res.json().status, 'in_review');
  t.equal(res.json().nextStep, 'reviewers approve (0 of 2 approvals)');
  t.equal((await getCase(svc, 'nso-group')).status, 'in_review');
});

t.test('status: an editor cannot approve, neither by a status request nor by a review', async (t) => {
  const svc = await startService(t);
  await statusRequest(svc, 'nso-group', 'request_review');
  const asStatus = await statusRequest(svc, 'nso-group', 'approve');
  assertProblem(t, asStatus, 422, 'validation-failed');
  const asReview = await review(svc, 'nso-group', svc.tokens.editor, { kind: 'approve' });
  assertProblem(t, asReview, 403, 'forbidden');
  const c = await getCase(svc, 'nso-group');
  t.equal(c.status, 'in_review');
  t.equal(c.approvals, 0);
});

t.test('status: illegal transitions are refused and change nothing', async (t) => {
  const svc = await startService(t);
  const submit = await statusRequest(svc, 'nso-group', 'submit');
  assertProblem(t, submit, 409, 'illegal-transition');
  const draft = await getCase(svc, 'nso-group');
  t.equal(draft.status, 'draft');
  t.equal(draft.revision, 1);

  t.equal((await statusRequest(svc, 'nso-group', 'request_review')).statusCode, 200);
  const twice = await statusRequest(svc, 'nso-group', 'request_review');
  assertProblem(t, twice, 409, 'illegal-transition');
  t.equal((await getCase(svc, 'nso-group')).status, 'in_review');

  const audit = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/audit', headers: svc.auth(svc.tokens.editor) })).json();
  t.same(audit.map((e: { action: string }) => e.action), ['case.import', 'status.request_review'], 'refused requests leave no audit entry');

  const comment = await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'comment', text: 'fine' });
  t.equal(comment.statusCode, 201, 'a comment is possible in review');
});

t.test('a reviewer cannot approve a draft', async (t) => {
  const svc = await startService(t);
  const res = await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'approve' });
  assertProblem(t, res, 409, 'not-in-review');
  const c = await getCase(svc, 'nso-group');
  t.equal(c.approvals, 0);
  t.equal(c.status, 'draft');
  const reviews = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/reviews', headers: svc.auth(svc.tokens.editor) })).json();
  t.same(reviews, [], 'no review was stored');
});

t.test('with REVIEW_APPROVALS=2, the second approval by another reviewer approves and freezes version 1', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '2' });
  await statusRequest(svc, 'nso-group', 'request_review');

  const first = await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'approve' });
  t.equal(first.statusCode, 201);
  t.equal(first.json().kind, 'approve');
  t.notOk('version' in first.json(), 'no version after one approval');
  let c = await getCase(svc, 'nso-group');
  t.equal(c.status, 'in_review');
  t.equal(c.approvals, 1);
  t.equal(c.nextStep, 'reviewers approve (1 of 2 approvals)');

  const same = await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'approve' });
  assertProblem(t, same, 409, 'already-approved');
  c = await getCase(svc, 'nso-group');
  t.equal(c.approvals, 1, 'the same reviewer counts once');
  t.equal(c.status, 'in_review');

  const second = await review(svc, 'nso-group', svc.tokens.reviewer2, { kind: 'approve' });
  t.equal(second.statusCode, 201);
  const version = second.json().version;
  t.match(version, { n: 1, caseId: 'nso-group', revision: c.revision, href: '/cases/nso-group/versions/1.pdf' });
  t.match(version.sha256, /^[0-9a-f]{64}$/);
  c = await getCase(svc, 'nso-group');
  t.equal(c.status, 'approved');
  t.equal(c.approvals, 2);
  t.equal(c.nextStep, 'editors submit the approved version');

  const versions = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/versions', headers: svc.auth(svc.tokens.reviewer) });
  t.equal(versions.statusCode, 200);
  t.same(versions.json(), [version]);

  const pdf1 = await svc.app.inject({ method: 'GET', url: version.href, headers: svc.auth(svc.tokens.editor) });
  t.equal(pdf1.statusCode, 200);
  t.match(String(pdf1.headers['content-type']), /^application\/pdf/);
  t.equal(pdf1.rawPayload.subarray(0, 4).toString('latin1'), '%PDF');
  t.equal(createHash('sha256').update(pdf1.rawPayload).digest('hex'), version.sha256, 'the bytes have the recorded SHA-256');
  t.equal(pdf1.headers['x-content-sha256'], version.sha256);
  t.equal(pdf1.headers.etag, `"${version.sha256}"`);
  const pdf2 = await svc.app.inject({ method: 'GET', url: version.href, headers: svc.auth(svc.tokens.reviewer) });
  t.ok(pdf2.rawPayload.equals(pdf1.rawPayload), 'two downloads are byte-identical');
  const cached = await svc.app.inject({ method: 'GET', url: version.href, headers: { ...svc.auth(svc.tokens.reviewer), 'if-none-match': pdf1.headers.etag as string } });
  t.equal(cached.statusCode, 304, 'a client holding the version is told so, without the bytes again');
  t.equal(cached.body, '');
  t.equal(cached.headers.etag, pdf1.headers.etag);
  t.equal(pdf1.headers['cache-control'], 'private, no-cache');
  const stale = await svc.app.inject({ method: 'GET', url: version.href, headers: { ...svc.auth(svc.tokens.reviewer), 'if-none-match': '"0000"' } });
  t.equal(stale.statusCode, 200, 'another tag gets the version');

  const missing = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/versions/2.pdf', headers: svc.auth(svc.tokens.editor) });
  assertProblem(t, missing, 404, 'version-not-found');
});

t.test('one person holding two reviewer tokens approves once: approvals count per reviewer the tokens name', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '2' });
  const [jane, janeAgain] = [await svc.token('reviewer', { person: 'Jane Doe' }), await svc.token('reviewer', { person: 'Jane Doe' })];
  await statusRequest(svc, 'nso-group', 'request_review');

  const first = await review(svc, 'nso-group', jane, { kind: 'approve' });
  t.equal(first.statusCode, 201);
  t.equal(first.json().reviewer, 'reviewer:Jane Doe', 'the review names its reviewer');
  const again = await review(svc, 'nso-group', janeAgain, { kind: 'approve' });
  assertProblem(t, again, 409, 'already-approved');
  t.equal(again.json().review, first.json().id, 'pointing at her approval');
  let c = await getCase(svc, 'nso-group');
  t.equal(c.approvals, 1, 'her second token added nothing');
  t.equal(c.status, 'in_review');

  const comment = await review(svc, 'nso-group', janeAgain, { kind: 'comment', text: 'Fine by me.' });
  t.equal(comment.statusCode, 201, 'her second token still comments');
  const other = await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'approve' });
  t.equal(other.statusCode, 201);
  t.match(other.json(), { reviewer: /^reviewer:tok_[0-9a-f]{12}$/, version: { n: 1 } }, 'a token that names no one is its own reviewer');
  c = await getCase(svc, 'nso-group');
  t.equal(c.status, 'approved');

  const reviews = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/reviews', headers: svc.auth(svc.tokens.editor) })).json() as Array<{ reviewer: string; kind: string }>;
  t.same(reviews.map((r) => [r.reviewer.replace(/tok_\w+/, 'tok'), r.kind]), [['reviewer:Jane Doe', 'approve'], ['reviewer:Jane Doe', 'comment'], ['reviewer:tok', 'approve']]);
  const audit = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/audit', headers: svc.auth(svc.tokens.editor) })).json() as Array<{ actor: string; action: string }>;
  t.same(audit.filter((e) => e.action.startsWith('review.')).map((e) => e.actor.replace(/tok_\w+/, 'tok')), ['reviewer:Jane Doe', 'reviewer:Jane Doe', 'reviewer:tok'], 'the audit log names her');
});

t.test('naming an unnamed reviewer token gives its holder its approvals: her named token cannot approve again', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '2' });
  const unnamed = await createToken(svc.deps.db, { role: 'reviewer', now: new Date() });
  await statusRequest(svc, 'nso-group', 'request_review');
  t.equal((await review(svc, 'nso-group', unnamed.token, { kind: 'approve' })).statusCode, 201);

  t.same(await nameToken(svc.deps.db, unnamed.record.id, ' Jane  Doe '), { record: { ...unnamed.record, person: 'Jane Doe' }, reviews: 1 });
  const named = await svc.token('reviewer', { person: 'Jane Doe' });
  const again = await review(svc, 'nso-group', named, { kind: 'approve' });
  assertProblem(t, again, 409, 'already-approved');
  t.equal((await getCase(svc, 'nso-group')).approvals, 1);
  const reviews = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/reviews', headers: svc.auth(svc.tokens.editor) })).json() as Array<{ reviewer: string }>;
  t.same(reviews.map((r) => r.reviewer), ['reviewer:Jane Doe'], 'the earlier approval is hers');

  t.match(await problemsOf(() => nameToken(svc.deps.db, unnamed.record.id, 'Someone Else')), [{ path: 'person', message: /already names Jane Doe/ }], 'a name is given once');
  const partner = await createToken(svc.deps.db, { role: 'partner', organisation: 'Access Now', now: new Date() });
  t.match(await problemsOf(() => nameToken(svc.deps.db, partner.record.id, 'Jane Doe')), [{ path: 'id', message: /partner's token/ }]);
  t.match(await problemsOf(() => nameToken(svc.deps.db, 'tok_000000000000', 'Jane Doe')), [{ path: 'id', message: /no token/ }]);
});

t.test('a PATCH after approval returns the case to review with its approvals reset', async (t) => {
  const svc = await startService(t);
  const approved = await approvedCase(svc);
  t.equal(approved.status, 'approved');

  const patch = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { title: 'Changed after approval' } });
  t.equal(patch.statusCode, 200);
  t.equal(patch.json().status, 'in_review');
  const c = await getCase(svc, 'nso-group');
  t.equal(c.status, 'in_review');
  t.equal(c.approvals, 0, 'approvals were for the previous revision');
  t.equal(c.revision, approved.revision + 1);

  // The reviewer who approved the earlier revision may approve the new one.
  const again = await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'approve' });
  t.equal(again.statusCode, 201);
  t.equal((await getCase(svc, 'nso-group')).approvals, 1);
  const second = await review(svc, 'nso-group', svc.tokens.reviewer2, { kind: 'approve' });
  t.equal(second.json().version.n, 2, 'the next approval freezes version 2');
  const versions = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/versions', headers: svc.auth(svc.tokens.editor) })).json();
  t.same(versions.map((v: { n: number }) => v.n), [1, 2]);
});

t.test('a PATCH or an excerpt edit that changes nothing leaves an approved case approved: no new revision, no audit entry', async (t) => {
  const svc = await startService(t);
  const approved = await approvedCase(svc);
  t.equal(approved.status, 'approved');
  const auditLength = async () => ((await svc.app.inject({ method: 'GET', url: '/cases/nso-group/audit', headers: svc.auth(svc.tokens.editor) })).json() as unknown[]).length;
  const entries = await auditLength();

  const same = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { title: approved.title, revision: approved.revision } });
  t.equal(same.statusCode, 200);
  t.match(same.json(), { status: 'approved', revision: approved.revision, approvals: 2 }, 'the case is as it was');
  const excerpt = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/excerpts', headers: svc.auth(svc.tokens.editor) })).json()[0] as { id: string; note?: string };
  const edit = await svc.app.inject({ method: 'PATCH', url: `/cases/nso-group/excerpts/${excerpt.id}`, headers: svc.auth(svc.tokens.editor), payload: { note: excerpt.note } });
  t.equal(edit.statusCode, 200, `the excerpt edit is answered: ${edit.body.slice(0, 200)}`);
  t.match(await getCase(svc, 'nso-group'), { status: 'approved', revision: approved.revision, approvals: 2 });
  t.equal(await auditLength(), entries, 'nothing was recorded, since nothing changed');

  const changed = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { title: `${approved.title}.` } });
  t.match(changed.json(), { status: 'in_review', revision: approved.revision + 1 }, 'a real change still sends it back to review');
});

t.test('request_changes sends a case in review back to draft', async (t) => {
  const svc = await startService(t);
  await statusRequest(svc, 'nso-group', 'request_review');
  await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'approve' });
  const res = await review(svc, 'nso-group', svc.tokens.reviewer2, { kind: 'request_changes', text: 'Please add the registration number.' });
  t.equal(res.statusCode, 201);
  t.match(res.json(), { kind: 'request_changes', text: 'Please add the registration number.' });
  const c = await getCase(svc, 'nso-group');
  t.equal(c.status, 'draft');
  const reviews = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/reviews', headers: svc.auth(svc.tokens.editor) })).json();
  t.same(reviews.map((r: { kind: string }) => r.kind), ['approve', 'request_changes']);
  t.notOk(reviews.some((r: Record<string, unknown>) => 'tokenId' in r), 'reviews do not expose token ids');

  const noText = await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'request_changes' });
  assertProblem(t, noText, 422, 'validation-failed');
});

t.test('submit from approved freezes the case: PATCH and new excerpts are 409', async (t) => {
  const svc = await startService(t);
  t.equal((await approvedCase(svc)).status, 'approved');
  const submit = await statusRequest(svc, 'nso-group', 'submit');
  t.equal(submit.statusCode, 200);
  t.equal(submit.json().status, 'submitted');
  const submitted = await getCase(svc, 'nso-group');
  t.equal(submitted.nextStep, 'none: the case is submitted');

  const patch = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { title: 'Too late' } });
  assertProblem(t, patch, 409, 'case-frozen');
  const excerpt = await svc.app.inject({
    method: 'POST',
    url: '/cases/nso-group/excerpts',
    headers: svc.auth(svc.tokens.editor),
    payload: { id: 'ex-too-late', source: 'joint-letter-nso-2021', quote: { exact: 'Forbidden Stories et ses partenaires des médias' }, criteria: [], note: 'too late' },
  });
  assertProblem(t, excerpt, 409, 'case-frozen');
  const reopen = await statusRequest(svc, 'nso-group', 'reopen');
  assertProblem(t, reopen, 409, 'case-frozen');
  const approve = await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'comment', text: 'late comment' });
  assertProblem(t, approve, 409, 'case-frozen');

  t.same(await getCase(svc, 'nso-group'), submitted, 'nothing changed');
});

t.test('with REVIEW_APPROVALS=1 a single approval approves', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '1' });
  t.equal((await getCase(svc, 'nso-group')).approvalsRequired, 1);
  await statusRequest(svc, 'nso-group', 'request_review');
  const res = await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'approve' });
  t.equal(res.statusCode, 201);
  t.equal(res.json().version.n, 1);
  const c = await getCase(svc, 'nso-group');
  t.equal(c.status, 'approved');
  t.equal(c.approvals, 1);
});

t.test('reopen sends an approved case back to draft', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '1' });
  await statusRequest(svc, 'nso-group', 'request_review');
  await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'approve' });
  const res = await statusRequest(svc, 'nso-group', 'reopen');
  t.equal(res.statusCode, 200);
  t.equal(res.json().status, 'draft');
});

t.test('after a reopen or a request for changes, the next review starts from no approvals and the same reviewer may approve again', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '1' });
  await statusRequest(svc, 'nso-group', 'request_review');
  t.equal((await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'approve' })).json().version.n, 1);
  await statusRequest(svc, 'nso-group', 'reopen');
  await statusRequest(svc, 'nso-group', 'request_review');
  t.match(await getCase(svc, 'nso-group'), { status: 'in_review', approvals: 0 }, 'the approval was for the round before');
  const again = await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'approve' });
  t.equal(again.statusCode, 201, 'not refused as already approved');
  t.equal(again.json().version.n, 2, 'and the case is approved again, a second version frozen');

  const two = await startService(t, { REVIEW_APPROVALS: '2' });
  await statusRequest(two, 'nso-group', 'request_review');
  await review(two, 'nso-group', two.tokens.reviewer, { kind: 'approve' });
  await review(two, 'nso-group', two.tokens.reviewer2, { kind: 'request_changes', text: 'Add the registration number.' });
  await statusRequest(two, 'nso-group', 'request_review');
  t.match(await getCase(two, 'nso-group'), { status: 'in_review', approvals: 0 }, 'an approval before the request for changes no longer counts');
  t.equal((await review(two, 'nso-group', two.tokens.reviewer, { kind: 'approve' })).statusCode, 201);
});

t.test('GET /cases/{id}/ftm.json gives the FollowTheMoney entities, one JSON per line', async (t) => {
  const svc = await startService(t);
  const res = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/ftm.json', headers: svc.auth(svc.tokens.reviewer) });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'application/x-ndjson');
  const entities = res.body.trimEnd().split('\n').map((line) => JSON.parse(line));
  t.match(entities.at(-1), { schema: 'Sanction', properties: { status: ['proposed'], entity: [entities[0].id] } });
  const anonymous = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/ftm.json' });
  t.equal(anonymous.statusCode, 401);
});

t.test('a review naming the revision its reviewer read is refused once the case is at another, and nothing is recorded', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '1' });
  await statusRequest(svc, 'nso-group', 'request_review');
  const read = await getCase(svc, 'nso-group');
  const edit = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { title: 'Changed after the reviewer read it' } });
  t.equal(edit.statusCode, 200);

  for (const kind of ['approve', 'comment', 'request_changes']) {
    const stale = await review(svc, 'nso-group', svc.tokens.reviewer, { kind, text: 'As I read it.', revision: read.revision });
    const problem = assertProblem(t, stale, 409, 'revision-changed');
    t.equal(problem.revision, read.revision + 1, `${kind}: the problem names the revision the case is at`);
    t.match(problem.detail, `revision ${read.revision + 1}, not revision ${read.revision}`, `${kind}: and the one the review was about`);
  }
  t.same(await svc.deps.db.selectFrom('reviews').select('id').execute(), [], 'no review is recorded');
  const now = await getCase(svc, 'nso-group');
  t.match(now, { status: 'in_review', approvals: 0 });

  const current = await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'approve', revision: now.revision });
  t.equal(current.statusCode, 201, 'the revision as it stands is approved');
  t.match(current.json(), { revision: now.revision, version: { n: 1, revision: now.revision } });

  const badRevision = await review(svc, 'nso-group', svc.tokens.reviewer, { kind: 'comment', text: 'x', revision: 0 });
  assertProblem(t, badRevision, 422, 'validation-failed');
});

t.test('PATCH with the revision it was written against: a case another editor changed since is refused, not overwritten', async (t) => {
  const svc = await startService(t);
  const read = await getCase(svc, 'nso-group');
  const patch = (payload: Record<string, unknown>) => svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload });

  const first = await patch({ title: 'The first editor\'s title', revision: read.revision });
  t.equal(first.statusCode, 200, first.body);
  t.equal(first.json().revision, read.revision + 1);
  const second = await patch({ title: 'The second editor\'s title', revision: read.revision });
  const problem = assertProblem(t, second, 409, 'revision-changed');
  t.equal(problem.revision, read.revision + 1, 'the problem names the revision the case is at');
  t.equal((await getCase(svc, 'nso-group')).title, 'The first editor\'s title', 'the first change stands');

  assertProblem(t, await patch({ revision: read.revision + 1 }), 422, 'validation-failed');
  const audit = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/audit', headers: svc.auth(svc.tokens.editor) })).json() as Array<{ action: string; detail: { fields?: string[] } }>;
  t.same(audit.filter((e) => e.action === 'case.update').map((e) => e.detail.fields), [['title']], 'one change audited, naming its field and not the revision');
});
