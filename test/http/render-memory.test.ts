import t from 'tap';
import { importCase } from '../../src/cases/import-export.ts';
import { loadProject } from '../../src/cli/load-project.ts';
import { startService } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';
import { assertErrorPage, PageClient } from '../web/client.ts';

/**
 * Each render thread has a heap budget (RENDER_HEAP_MB): a dossier whose render
 * outgrows it is refused in words, its thread replaced, and the service goes on.
 * The budget here is small, and the large case has sixty times NSO's signatories.
 */
t.test('a dossier too large for the render threads\' heap is a 503 naming the setting; the service renders the next one', async (t) => {
  const svc = await startService(t, { RENDER_HEAP_MB: '48', RENDER_WORKERS: '1' });
  const project = await loadProject('nso-group');
  const signatories = Array.from({ length: 60 }, (_, i) =>
    project.file.signatories.map(({ source: _source, ...s }) => ({ ...s, name: `${s.name} (${i + 1})`, signed_by: { name: 'A. Signer', role: 'Director' } })),
  ).flat();
  await importCase(svc.deps.cases, { tokenId: 'system', label: 'test' }, { ...project.file, id: 'nso-large', signatories }, project.sources.values());
  const draft = (id: string) => svc.app.inject({ method: 'GET', url: `/cases/${id}/dossier.pdf`, headers: svc.auth(svc.tokens.reviewer) });

  const refused = assertProblem(t, await draft('nso-large'), 503, 'render-memory-exceeded');
  t.match(refused.detail, /needs more than the 48 MB of heap a render thread is given \(RENDER_HEAP_MB\)/);
  t.match(refused.detail, /an operator can raise RENDER_HEAP_MB/);

  const next = await draft('nso-group');
  t.equal(next.statusCode, 200, 'the next dossier renders on a new thread');
  t.equal(next.rawPayload.subarray(0, 5).toString(), '%PDF-');
  t.equal((await svc.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);

  const reviewer = new PageClient(svc.app);
  await reviewer.signIn(svc.tokens.reviewer);
  const page = await reviewer.get('/app/cases/nso-large/draft/en');
  assertErrorPage(t, page, 503, 'The PDF is too large to make here', 'needs more than the 48 MB of memory the service gives each PDF', 'RENDER_HEAP_MB');

  const french = new PageClient(svc.app, 'fr');
  await french.signIn(svc.tokens.reviewer);
  const pageFr = await french.get('/app/cases/nso-large/draft/fr');
  const textFr = assertErrorPage(t, pageFr, 503, 'Le PDF est trop volumineux pour être produit ici', 'plus que les 48 Mo de mémoire');
  t.notMatch(textFr, /heap|needs more/, 'nothing of the page is in English');
});
