import t from 'tap';
import { startService } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';
import { NSO_AT, nsoModel } from '../helpers/project.ts';
import { assertErrorPage, PageClient } from '../web/client.ts';

/**
 * With every render thread busy and RENDER_QUEUE renders waiting, a draft is
 * turned away at once with a time to come back, in the API and on the pages;
 * once a thread is free the same request is answered.
 */
t.test('a draft asked for while every render thread is busy and the queue is full is a 503 with Retry-After', async (t) => {
  const svc = await startService(t, { RENDER_WORKERS: '1', RENDER_QUEUE: '0', PDF_CACHE_ENTRIES: '0' });
  const [model, at] = [await nsoModel('en'), NSO_AT];
  const draft = () => svc.app.inject({ method: 'GET', url: '/cases/nso-group/dossier.pdf?lang=en', headers: svc.auth(svc.tokens.reviewer) });
  const french = new PageClient(svc.app, 'fr');
  await french.signIn(svc.tokens.reviewer);

  // The only thread is taken; nothing may wait.
  const busy = svc.deps.dossiers.pool.render(model, at);
  const refused = await draft();
  const problem = assertProblem(t, refused, 503, 'render-queue-full');
  t.match(problem.detail, /every render thread is busy and the queue of renders waiting for one is full \(RENDER_QUEUE=0\): try again in a few seconds/);
  t.equal(refused.headers['retry-after'], '5');

  const page = await french.get('/app/cases/nso-group/draft/fr');
  assertErrorPage(t, page, 503, 'Le PDF ne peut pas être produit pour l’instant', 'réessayez dans 5 secondes');
  t.equal(page.headers['retry-after'], '5');
  const english = new PageClient(svc.app, 'en');
  await english.signIn(svc.tokens.reviewer);
  const pageEn = await english.get('/app/cases/nso-group/draft/en');
  assertErrorPage(t, pageEn, 503, 'The PDF cannot be made just now', 'try again in 5 seconds');
  t.equal(pageEn.headers['retry-after'], '5');

  await busy;
  const answered = await draft();
  t.equal(answered.statusCode, 200, 'with the thread free, the same request is answered');
  t.equal(answered.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
});

t.test('an approval whose frozen PDF is turned away by a full queue is not recorded, and goes through once a thread is free', async (t) => {
  const svc = await startService(t, { RENDER_WORKERS: '1', RENDER_QUEUE: '0', REVIEW_APPROVALS: '1' });
  const [model, at] = [await nsoModel('en'), NSO_AT];
  const review = await svc.app.inject({ method: 'POST', url: '/cases/nso-group/status', headers: svc.auth(svc.tokens.editor), payload: { request: 'request_review' } });
  t.equal(review.statusCode, 200);
  const approve = () => svc.app.inject({ method: 'POST', url: '/cases/nso-group/reviews', headers: svc.auth(svc.tokens.reviewer), payload: { kind: 'approve' } });
  const reviews = async () => (await svc.app.inject({ method: 'GET', url: '/cases/nso-group/reviews', headers: svc.auth(svc.tokens.reviewer) })).json() as unknown[];

  const busy = svc.deps.dossiers.pool.render(model, at);
  const refused = await approve();
  assertProblem(t, refused, 503, 'render-queue-full');
  t.equal(refused.headers['retry-after'], '5');
  t.same(await reviews(), [], 'no approval was recorded');
  const status = (await svc.app.inject({ method: 'GET', url: '/cases/nso-group', headers: svc.auth(svc.tokens.reviewer) })).json().status;
  t.equal(status, 'in_review', 'the case is still in review');

  const reviewer = new PageClient(svc.app, 'en');
  await reviewer.signIn(svc.tokens.reviewer);
  const fromPage = await reviewer.submit('/app/cases/nso-group/reviews', '/app/cases/nso-group/reviews', { kind: 'approve', text: '' });
  assertErrorPage(t, fromPage, 503, 'The PDF cannot be made just now');
  t.same(await reviews(), [], 'nor from the reviews page');

  await busy;
  const approved = await approve();
  t.equal(approved.statusCode, 201, approved.body);
  t.equal(approved.json().version.n, 1, 'the first frozen version');
});
