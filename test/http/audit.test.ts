import t from 'tap';
import { chainHash } from '../../src/cases/audit-chain.ts';
import { startService, type TestService } from '../helpers/app.ts';

const GENESIS = '0'.repeat(64);

const audit = async (svc: TestService, token = svc.tokens.reviewer) => {
  const res = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/audit', headers: svc.auth(token) });
  if (res.statusCode !== 200) throw new Error(`audit answered ${res.statusCode}: ${res.body}`);
  return res.json() as Array<{ seq: number; actor: string; action: string; at: string; beforeHash: string; afterHash: string; detail: unknown; prevHash: string; hash: string }>;
};
type AuditEntryView = Awaited<ReturnType<typeof audit>>[number];
const verify = async (svc: TestService) => {
  const res = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/audit/verify', headers: svc.auth(svc.tokens.editor) });
  if (res.statusCode !== 200) throw new Error(`verify answered ${res.statusCode}: ${res.body}`);
  return res.json();
};

/** A few changes by an editor, a reviewer and a partner. */
async function makeChanges(svc: TestService) {
  const editor = svc.auth(svc.tokens.editor);
  const steps = [
    await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: editor, payload: { title: 'Audited title' } }),
    await svc.app.inject({
      method: 'POST',
      url: '/cases/nso-group/excerpts',
      headers: editor,
      payload: { id: 'ex-test-audited', source: 'joint-letter-nso-2021', quote: { exact: 'Le ciblage systémique des défenseurs des droits humains palestiniens via Pegasus' }, criteria: ['art1.1.c.iii'], note: 'Audited.' },
    }),
    await svc.app.inject({ method: 'POST', url: '/cases/nso-group/signatures', headers: { ...svc.auth(svc.tokens.partner), 'idempotency-key': 'audit-test-1' }, payload: { signatory: { name: 'Ada Lovelace', role: 'Director' } } }),
    await svc.app.inject({ method: 'POST', url: '/cases/nso-group/status', headers: editor, payload: { request: 'request_review' } }),
    await svc.app.inject({ method: 'POST', url: '/cases/nso-group/reviews', headers: svc.auth(svc.tokens.reviewer), payload: { kind: 'comment', text: 'Looks right.' } }),
  ];
  for (const step of steps) if (step.statusCode >= 300) throw new Error(`a change failed: ${step.statusCode} ${step.body}`);
}

t.test('the audit log lists every change with actor labels, hashes and a chain of previous hashes', async (t) => {
  const svc = await startService(t);
  await makeChanges(svc);
  const entries = await audit(svc);
  t.same(entries.map((e) => e.action), ['case.import', 'case.update', 'excerpt.create', 'signature.add', 'status.request_review', 'review.comment']);

  const tokenIds = await svc.deps.db.selectFrom('tokens').select(['id', 'role']).execute();
  const editorLabels = tokenIds.filter((r) => r.role === 'editor').map((r) => `editor:${r.id}`);
  const reviewerLabels = tokenIds.filter((r) => r.role === 'reviewer').map((r) => `reviewer:${r.id}`);
  t.equal(entries[0]!.actor, 'system:import');
  t.ok(editorLabels.includes(entries[1]!.actor), `an editor label (${entries[1]!.actor})`);
  t.equal(entries[3]!.actor, 'partner:Test Partner Org', 'a partner is named by its organisation');
  t.ok(reviewerLabels.includes(entries[5]!.actor), `a reviewer label (${entries[5]!.actor})`);

  const body = JSON.stringify(entries);
  for (const [role, token] of Object.entries(svc.tokens)) t.notOk(body.includes(token), `no ${role} token text in the log`);
  t.notOk(body.includes('dsr_'), 'no token secret at all');

  let prev = GENESIS;
  let seq = 0;
  for (const entry of entries) {
    t.ok(entry.seq > seq, `seq ${entry.seq} increases`);
    seq = entry.seq;
    t.match(entry.beforeHash, /^[0-9a-f]{64}$/);
    t.match(entry.afterHash, /^[0-9a-f]{64}$/);
    t.match(entry.hash, /^[0-9a-f]{64}$/);
    t.equal(entry.prevHash, prev, `entry ${entry.seq} points at the entry before it`);
    t.type(entry.at, 'string');
    prev = entry.hash;
  }
  for (let i = 1; i < entries.length; i++) {
    t.equal(entries[i]!.beforeHash, entries[i - 1]!.afterHash, `entry ${entries[i]!.seq} starts from the state the entry before left`);
  }
  t.match(entries[1]!.detail, { fields: ['title'] });
  t.match(entries[2]!.detail, { excerpt: 'ex-test-audited', source: 'joint-letter-nso-2021' });
  t.match(entries[4]!.detail, { from: 'draft', to: 'in_review' });
});

t.test('GET /cases/nso-group/audit/verify is ok on an untouched chain', async (t) => {
  const svc = await startService(t);
  t.same(await verify(svc), { ok: true, entries: 1 });
  await makeChanges(svc);
  t.same(await verify(svc), { ok: true, entries: 6 });
});

t.test('an audit row edited in the database breaks the chain at that row', async (t) => {
  const svc = await startService(t);
  await makeChanges(svc);
  const entries = await audit(svc);
  const target = entries[3]!;
  await svc.deps.db.updateTable('audit_log').set({ detail: '{"x":1}' }).where('seq', '=', target.seq).execute();

  const result = await verify(svc);
  t.equal(result.ok, false);
  t.equal(result.brokenAt, target.seq);
  t.equal(result.entries, entries.length);
  t.match(result.reason, /changed/);
  t.same((await audit(svc))[3]!.detail, { x: 1 }, 'the log shows what is stored');
});

t.test('an edited hash is detected too, at the next entry', async (t) => {
  const svc = await startService(t);
  await makeChanges(svc);
  const entries = await audit(svc);
  const target = entries[2]!;
  // Whoever rewrites an entry and its hash still breaks the link to the entry after it.
  await svc.deps.db.updateTable('audit_log').set({ hash: 'f'.repeat(64) }).where('seq', '=', target.seq).execute();
  const result = await verify(svc);
  t.equal(result.ok, false);
  t.equal(result.brokenAt, target.seq);
});

t.test('a deleted middle row is detected at the entry after it', async (t) => {
  const svc = await startService(t);
  await makeChanges(svc);
  const entries = await audit(svc);
  const removed = entries[2]!;
  const next = entries[3]!;
  await svc.deps.db.deleteFrom('audit_log').where('seq', '=', removed.seq).execute();

  const result = await verify(svc);
  t.equal(result.ok, false);
  t.equal(result.brokenAt, next.seq);
  t.equal(result.entries, entries.length - 1);
  t.match(result.reason, /does not point at the entry before it/);
});

t.test('a case changed in the database behind the log is detected: the state the last entry left is not the case', async (t) => {
  const svc = await startService(t);
  await makeChanges(svc);
  const last = (await audit(svc)).at(-1)!;
  await svc.deps.db.updateTable('signatures').set({ withdrawn_at: new Date().toISOString() }).where('name', '=', 'Access Now').execute();
  const result = await verify(svc);
  t.match(result, { ok: false, brokenAt: last.seq, reason: `the case as stored is not the state entry ${last.seq} left: it was changed outside the log since` });

  await svc.deps.db.updateTable('signatures').set({ withdrawn_at: null }).where('name', '=', 'Access Now').execute();
  t.same(await verify(svc), { ok: true, entries: 6 }, 'put back, the case is the state the log recorded');
  await svc.deps.db.updateTable('cases').set({ status: 'approved' }).where('id', '=', 'nso-group').execute();
  t.match(await verify(svc), { ok: false, brokenAt: last.seq }, 'a status set by hand is seen too');
});

t.test('a deleted last entry is detected: the case is not the state the entry before it left', async (t) => {
  const svc = await startService(t);
  await makeChanges(svc);
  // The last change must change the case: an entry that changed nothing (a comment) leaves the state as it found it.
  const renamed = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { title: 'Renamed last' } });
  t.equal(renamed.statusCode, 200);
  const entries = await audit(svc);
  await svc.deps.db.deleteFrom('audit_log').where('seq', '=', entries.at(-1)!.seq).execute();
  t.match(await verify(svc), { ok: false, brokenAt: entries.at(-2)!.seq, entries: entries.length - 1, reason: /changed outside the log/ });
});

t.test('an entry whose recorded states were rewritten with its hash is detected where the states stop following on', async (t) => {
  const svc = await startService(t);
  await makeChanges(svc);
  const entries = await audit(svc);
  // Whoever rewrites the first entry whole (its states and hash) and every link after it still leaves
  // the second entry starting from a state the first no longer says it left.
  const [first, second] = entries as [AuditEntryView, AuditEntryView];
  const forged = { caseId: 'nso-group', actor: first.actor, action: first.action, at: first.at, beforeHash: first.beforeHash, afterHash: 'e'.repeat(64), detail: first.detail };
  const forgedHash = chainHash(first.prevHash, forged);
  await svc.deps.db.updateTable('audit_log').set({ after_hash: forged.afterHash, hash: forgedHash }).where('seq', '=', first.seq).execute();
  let prev = forgedHash;
  for (const entry of entries.slice(1)) {
    const hash = chainHash(prev, { caseId: 'nso-group', actor: entry.actor, action: entry.action, at: entry.at, beforeHash: entry.beforeHash, afterHash: entry.afterHash, detail: entry.detail });
    await svc.deps.db.updateTable('audit_log').set({ prev_hash: prev, hash }).where('seq', '=', entry.seq).execute();
    prev = hash;
  }
  t.match(await verify(svc), { ok: false, brokenAt: second.seq, reason: `entry ${second.seq} starts from a state the entry before it did not leave: the case was changed outside the log` });
});

t.test('the audit log is read by editors and reviewers only', async (t) => {
  const svc = await startService(t);
  const partner = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/audit', headers: svc.auth(svc.tokens.partner) });
  t.equal(partner.statusCode, 403);
  const missing = await svc.app.inject({ method: 'GET', url: '/cases/no-such-case/audit/verify', headers: svc.auth(svc.tokens.editor) });
  t.equal(missing.statusCode, 404);
  t.match(missing.json().type, /\/case-not-found$/);
});
