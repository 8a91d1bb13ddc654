import t from 'tap';
import type { CaseDeps } from '../../src/cases/context.ts';
import { addReview } from '../../src/cases/reviews.ts';
import { sign } from '../../src/cases/signatures.ts';
import type { CaseFile } from '../../src/evidence/case-file.ts';
import { sha256Hex } from '../../src/shared/hash.ts';
import { startService } from '../helpers/app.ts';

const reviewer = { tokenId: 'tok_reviewer', label: 'reviewer:test' };
const partner = { tokenId: 'tok_partner', label: 'partner:test', organisation: 'Org Signing While Approved' };

/**
 * The approval that freezes a version renders its PDF outside the case's
 * transaction, so that partners can sign meanwhile; the version then holds
 * the case as it is when the approval is recorded.
 */
t.test('a partner signs while the approval that freezes a version renders; the version is rendered again with the signature', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '1' });
  const review = await svc.app.inject({ method: 'POST', url: '/cases/nso-group/status', headers: svc.auth(svc.tokens.editor), payload: { request: 'request_review' } });
  t.equal(review.statusCode, 200);

  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const rendered: CaseFile[] = [];
  const bytes: Uint8Array[] = [];
  let started!: () => void;
  const firstRender = new Promise<void>((resolve) => (started = resolve));
  const slowRender: CaseDeps = {
    ...svc.deps.cases,
    renderVersion: async (file, sources, at) => {
      rendered.push(file);
      started();
      await held;
      const pdf = await svc.deps.cases.renderVersion(file, sources, at);
      bytes.push(pdf);
      return pdf;
    },
  };
  const approving = addReview(slowRender, reviewer, 'nso-group', { kind: 'approve' });
  // Should the approval end without rendering, the assertions below fail rather than this wait hang.
  await Promise.race([firstRender, approving.then(() => undefined, () => undefined)]);

  let timer: NodeJS.Timeout | undefined;
  const signedMeanwhile = await Promise.race([
    sign(svc.deps.cases, 'nso-group', partner, { signatory: { name: 'Jane Doe', role: 'Director' } }, 'sign-while-approving').then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(resolve, 10_000, false))),
  ]);
  clearTimeout(timer);
  t.ok(signedMeanwhile, 'the signature is committed while the approval renders');
  release();

  const outcome = await approving;
  t.equal(outcome.version?.n, 1, 'the approval froze version 1');
  t.equal(rendered.length, 2, 'rendered twice: the case changed during the first render');
  t.notOk(rendered[0]!.signatories.some((s) => s.name === partner.organisation), 'the first render was of the case before the signature');
  t.ok(rendered[1]!.signatories.some((s) => s.name === partner.organisation), 'the frozen version has the signature committed before the approval');
  t.equal(outcome.version?.sha256, sha256Hex(bytes[1]!), 'the version stored is the second render');
  const audit = (await svc.deps.db.selectFrom('audit_log').select('action').orderBy('seq').execute()).map((row) => row.action);
  t.same(audit.slice(-2), ['signature.add', 'review.approve'], 'the audit log has the signature, then the approval');
});

t.test('an approval whose frozen PDF cannot be rendered records nothing', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '1' });
  await svc.app.inject({ method: 'POST', url: '/cases/nso-group/status', headers: svc.auth(svc.tokens.editor), payload: { request: 'request_review' } });
  const failing: CaseDeps = { ...svc.deps.cases, renderVersion: async () => Promise.reject(new Error('the render failed')) };
  await t.rejects(addReview(failing, reviewer, 'nso-group', { kind: 'approve' }), /the render failed/);
  t.same(await svc.deps.db.selectFrom('reviews').select('id').execute(), [], 'no review');
  t.same(await svc.deps.db.selectFrom('versions').select('n').execute(), [], 'no version');
  t.equal((await svc.app.inject({ method: 'GET', url: '/cases/nso-group', headers: svc.auth(svc.tokens.reviewer) })).json().status, 'in_review');
});

t.test('an editor changes the case while the approval that freezes a version renders; the approval is refused, not given to text its reviewer never read', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '1' });
  await svc.app.inject({ method: 'POST', url: '/cases/nso-group/status', headers: svc.auth(svc.tokens.editor), payload: { request: 'request_review' } });
  const before = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group', headers: svc.auth(svc.tokens.reviewer) })).json();

  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const firstRender = new Promise<void>((resolve) => (started = resolve));
  const slowRender: CaseDeps = {
    ...svc.deps.cases,
    renderVersion: async (file, sources, at) => {
      started();
      await held;
      return svc.deps.cases.renderVersion(file, sources, at);
    },
  };
  const approving = addReview(slowRender, reviewer, 'nso-group', { kind: 'approve' });
  const settled = approving.then(() => undefined, () => undefined);
  await Promise.race([firstRender, settled]);

  const edit = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { title: 'A title changed during the review' } });
  t.equal(edit.statusCode, 200, 'the editor changes the case while the approval renders');
  release();

  await t.rejects(approving, { kind: 'conflict', code: 'revision-changed', extra: { revision: before.revision + 1 } }, 'the approval is refused, naming the revision the case is at');
  t.same(await svc.deps.db.selectFrom('reviews').select('id').execute(), [], 'no review is recorded');
  t.same(await svc.deps.db.selectFrom('versions').select('n').execute(), [], 'no version is frozen');
  const after = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group', headers: svc.auth(svc.tokens.reviewer) })).json();
  t.equal(after.status, 'in_review', 'the case is still in review');
  t.equal(after.revision, before.revision + 1);
  t.equal(after.approvals, 0, 'with no approval of the new revision');
});
