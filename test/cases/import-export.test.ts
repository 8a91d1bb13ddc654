import t from 'tap';
import { exportCase, importCase } from '../../src/cases/import-export.ts';
import { loadProject } from '../../src/cli/load-project.ts';
import { startService } from '../helpers/app.ts';

const importer = { tokenId: 'system', label: 'system:test-import' };

t.test('GET /cases/nso-group/export gives the case file that exportCase gives', async (t) => {
  const svc = await startService(t);
  const res = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/export', headers: svc.auth(svc.tokens.reviewer) });
  t.equal(res.statusCode, 200);
  t.same(res.json(), await exportCase(svc.deps.cases, 'nso-group'));
  const partner = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/export', headers: svc.auth(svc.tokens.partner) });
  t.equal(partner.statusCode, 403, 'not for partners');
});

t.test('the first export holds what evidence/nso-group/case.yaml holds', async (t) => {
  const svc = await startService(t);
  const exported = await exportCase(svc.deps.cases, 'nso-group');
  const { file } = await loadProject('nso-group');
  t.equal(exported.id, file.id);
  t.equal(exported.title, file.title);
  t.equal(exported.status, 'draft');
  t.equal(exported.language, file.language);
  t.same(exported.submitted_by, file.submitted_by);
  t.same(exported.target, file.target, 'the same target');
  t.same(exported.claims, file.claims, 'the same claims');
  t.same(exported.statement_of_reasons, file.statement_of_reasons, 'the same statement of reasons');
  t.equal(exported.excerpts.length, file.excerpts.length);
  t.same(exported.excerpts, file.excerpts, 'the same excerpts, in order, selectors included');
  t.equal(exported.signatories.length, file.signatories.length);
  t.same(exported.signatories, file.signatories, 'the same signatories, in order');
  t.same(exported, file, 'nothing else differs');
});

t.test('import → export → import gives the same case', async (t) => {
  const first = await startService(t);
  const exported = await exportCase(first.deps.cases, 'nso-group');

  const second = await startService(t);
  const copy = { ...exported, id: 'nso-group-copy' };
  const project = await loadProject('nso-group');
  await importCase(second.deps.cases, importer, copy, project.sources.values());
  const reexported = await exportCase(second.deps.cases, 'nso-group-copy');
  t.equal(reexported.id, 'nso-group-copy');
  const { id: _a, ...left } = reexported;
  const { id: _b, ...right } = exported;
  t.same(left, right, 'deep-equal apart from the id');

  const sources = (await second.app.inject({ method: 'GET', url: '/sources', headers: second.auth(second.tokens.editor) })).json();
  t.equal(sources.length, 5, 'sources already stored are not added twice');

  const view = (await second.app.inject({ method: 'GET', url: '/cases/nso-group-copy', headers: second.auth(second.tokens.editor) })).json();
  t.match(view, { id: 'nso-group-copy', status: 'draft', revision: 1, excerpts: exported.excerpts.length, signatures: exported.signatories.length });
  const audit = (await second.app.inject({ method: 'GET', url: '/cases/nso-group-copy/audit', headers: second.auth(second.tokens.editor) })).json();
  t.match(audit, [{ action: 'case.import', actor: 'system:test-import', detail: { excerpts: exported.excerpts.length, signatories: exported.signatories.length } }]);
  t.equal(audit.length, 1);

  // A third round changes nothing either.
  const third = await startService(t);
  await importCase(third.deps.cases, importer, { ...reexported, id: 'nso-group-third' }, []);
  const { id: _c, ...again } = await exportCase(third.deps.cases, 'nso-group-third');
  t.same(again, right);
});

t.test('an export with its changes imports with those changes', async (t) => {
  const svc = await startService(t);
  const editor = svc.auth(svc.tokens.editor);
  await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: editor, payload: { title: 'Changed before export' } });
  const sign = await svc.app.inject({
    method: 'POST',
    url: '/cases/nso-group/signatures',
    headers: { ...svc.auth(svc.tokens.partner), 'idempotency-key': 'export-1' },
    payload: { signatory: { name: 'Grace Hopper', role: 'Chair' }, comment: 'We support this.' },
  });
  t.equal(sign.statusCode, 201);
  const exported = await exportCase(svc.deps.cases, 'nso-group');
  t.equal(exported.title, 'Changed before export');
  t.match(exported.signatories.at(-1), { name: 'Test Partner Org', category: 'organisation', signed_by: { name: 'Grace Hopper', role: 'Chair' }, comment: 'We support this.' });

  const fresh = await startService(t);
  await importCase(fresh.deps.cases, importer, { ...exported, id: 'nso-group-changed' }, []);
  const { id: _a, ...left } = await exportCase(fresh.deps.cases, 'nso-group-changed');
  const { id: _b, ...right } = exported;
  t.same(left, right);
});

t.test('importing a case whose id exists is refused', async (t) => {
  const svc = await startService(t);
  const exported = await exportCase(svc.deps.cases, 'nso-group');
  await t.rejects(importCase(svc.deps.cases, importer, exported, []), { code: 'case-exists', kind: 'conflict' });
  const audit = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/audit', headers: svc.auth(svc.tokens.editor) })).json();
  t.equal(audit.filter((e: { action: string }) => e.action === 'case.import').length, 1);
});

t.test('a case file that says approved or submitted is refused: approval comes from reviews the file does not carry', async (t) => {
  const svc = await startService(t);
  const { file, sources } = await loadProject('nso-group');
  const cases = async () => (await svc.deps.db.selectFrom('cases').select('id').execute()).map((row) => row.id);
  const before = await cases();
  for (const status of ['approved', 'submitted'] as const) {
    await t.rejects(
      importCase(svc.deps.cases, importer, { ...file, id: `nso-${status}`, status }, sources.values()),
      { code: 'status-not-importable', message: new RegExp(`case "nso-${status}" says status "${status}".*import it as draft or in_review`) },
    );
  }
  t.same(await cases(), before, 'no case was stored');
  await importCase(svc.deps.cases, importer, { ...file, id: 'nso-in-review', status: 'in_review' }, sources.values());
  t.equal((await exportCase(svc.deps.cases, 'nso-in-review')).status, 'in_review', 'a case file in review comes in as it is');
});
