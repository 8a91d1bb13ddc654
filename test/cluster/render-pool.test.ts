import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { renderDossier } from '../../src/render/dossier-pdf.ts';
import { createRenderPool } from '../../src/render/pool/render-pool.ts';
import { RenderMemoryExceeded } from '../../src/render/render-memory.ts';
import { RenderQueueFull } from '../../src/render/render-queue.ts';
import { startService, type TestService } from '../helpers/app.ts';
import { NSO_AT, nsoModel } from '../helpers/project.ts';

const dossier = (svc: TestService, lang = 'en', token = svc.tokens.reviewer) =>
  svc.app.inject({ method: 'GET', url: `/cases/nso-group/dossier.pdf?lang=${lang}`, headers: svc.auth(token) });

t.test('a worker thread renders a dossier model to the same bytes as the main thread', async (t) => {
  const at = NSO_AT;
  const model = await nsoModel('fr');
  t.ok(isDeepStrictEqual(structuredClone(model), model), 'the model is plain data: a structured clone is the same');
  const pool = createRenderPool({ threads: 1 });
  t.teardown(() => pool.close());
  t.equal(pool.threads, 1);
  const [inWorker, inMain] = await Promise.all([pool.render(model, at), renderDossier(model, at)]);
  t.ok(Buffer.isBuffer(inWorker));
  t.ok(inWorker.equals(inMain), 'byte for byte');
  t.equal(pool.completed, 1);
  await pool.close();
  await t.rejects(pool.render(model, at), /closed/, 'a closed pool renders no more');
});

t.test('a render thread that cannot start fails the renders that wait for it instead of leaving them waiting', async (t) => {
  const at = NSO_AT;
  const model = await nsoModel('en');
  // 16 MB is too little for a thread to load the renderer (the service refuses a RENDER_HEAP_MB under 48).
  const pool = createRenderPool({ threads: 1, heapMb: 16 });
  t.teardown(() => pool.close());
  const outcome = async (render: Promise<Buffer>) => {
    let timer: NodeJS.Timeout | undefined;
    const waiting = new Promise((resolve) => (timer = setTimeout(resolve, 60_000, 'still waiting after a minute')));
    try {
      return await Promise.race([render.then(() => 'rendered', (error: unknown) => error), waiting]);
    } finally {
      clearTimeout(timer);
    }
  };
  for (const attempt of ['first', 'second']) {
    const result = await outcome(pool.render(model, at));
    t.type(result, RenderMemoryExceeded, `the ${attempt} render fails`);
    t.match((result as Error).message, /more than the 16 MB of heap a render thread is given \(RENDER_HEAP_MB\)/);
  }
});

t.test('past the renders that may wait for a thread, a render is refused at once; once a thread is free it renders again', async (t) => {
  const at = NSO_AT;
  const model = await nsoModel('en');
  const pool = createRenderPool({ threads: 1, queue: 1 });
  t.teardown(() => pool.close());
  const running = pool.render(model, at);
  const waiting = pool.render(model, at);
  const refused = await pool.render(model, at).then(() => 'rendered', (error: unknown) => error);
  t.type(refused, RenderQueueFull, 'a third render, with one running and one waiting, is refused');
  t.match((refused as Error).message, /every render thread is busy and the queue of renders waiting for one is full \(RENDER_QUEUE=1\)/);
  t.ok((await running).equals(await waiting), 'the running and the waiting render both finish');
  t.equal((await pool.render(model, at)).subarray(0, 5).toString('latin1'), '%PDF-', 'with the thread free, the next render is taken');
  t.equal(pool.completed, 3);
});

t.test('RENDER_WORKERS sizes the pool', async (t) => {
  const svc = await startService(t, { RENDER_WORKERS: '3' });
  t.equal(svc.deps.dossiers.pool.threads, 3);
});

t.test('health checks and signatures stay fast while dossiers render', async (t) => {
  // No cache: every request renders.
  const svc = await startService(t, { RENDER_WORKERS: '2', PDF_CACHE_ENTRIES: '0' });
  t.equal((await dossier(svc)).statusCode, 200, 'a first render starts the threads');
  const rendered = svc.deps.dossiers.pool.completed;

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const renders = Promise.all([dossier(svc, 'en'), dossier(svc, 'fr'), dossier(svc, 'en', svc.tokens.editor), dossier(svc, 'fr', svc.tokens.editor)]);
  let done = false;
  void renders.finally(() => (done = true));
  const health: number[] = [];
  let signed = 0;
  while (!done) {
    const before = performance.now();
    const res = await svc.app.inject({ method: 'GET', url: '/health' });
    t.equal(res.statusCode, 200);
    health.push(performance.now() - before);
    if (signed < 3) {
      const token = await svc.token('partner', { organisation: `Busy Render Org ${signed}` });
      const sign = await svc.app.inject({ method: 'POST', url: '/cases/nso-group/signatures', headers: { ...svc.auth(token), 'idempotency-key': `busy-${signed}` }, payload: { signatory: { name: 'Jane Doe', role: 'Director' } } });
      t.equal(sign.statusCode, 201, 'a partner signs while dossiers render');
      signed++;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const elapsed = performance.now() - started;
  delay.disable();
  const answers = await renders;
  t.same(answers.map((r) => r.statusCode), [200, 200, 200, 200]);
  // Signing changed the case, so some of the four renders drew the new state; the two languages at least are distinct models.
  t.ok(svc.deps.dossiers.pool.completed - rendered >= 2, `the pool rendered (${svc.deps.dossiers.pool.completed - rendered} renders in ${Math.round(elapsed)} ms)`);
  t.ok(health.length >= 5, `the health check answered ${health.length} times during the renders`);
  const worst = Math.max(...health);
  const stall = delay.max / 1e6;
  t.ok(worst < 400, `the slowest health check took ${Math.round(worst)} ms (a render on the event loop takes about a second)`);
  t.ok(stall < 400, `the event loop never stalled for long (longest ${Math.round(stall)} ms)`);
});

t.test('a rendered PDF is cached by its ETag in the database and served by another instance without rendering', async (t) => {
  const a = await startService(t);
  const first = await dossier(a);
  t.equal(first.statusCode, 200);
  t.equal(a.deps.dossiers.pool.completed, 1);
  const key = String(first.headers.etag).replaceAll('"', '');
  const rows = await a.deps.db.selectFrom('pdf_cache').select(['key', 'bytes']).execute();
  t.same(rows.map((r) => r.key), [key], 'one entry, under the ETag');
  t.ok(Buffer.from(rows[0]!.bytes).equals(first.rawPayload), 'holding the bytes served');

  const again = await dossier(a, 'en', a.tokens.editor);
  t.ok(again.rawPayload.equals(first.rawPayload));
  t.equal(a.deps.dossiers.pool.completed, 1, 'the second request did not render');

  const b = await startService(t, {}, a.dataDir);
  const fromB = await dossier(b);
  t.equal(fromB.statusCode, 200);
  t.equal(fromB.headers.etag, first.headers.etag, 'the other instance computes the same ETag');
  t.ok(fromB.rawPayload.equals(first.rawPayload), 'and serves the same bytes');
  t.equal(b.deps.dossiers.pool.completed, 0, 'without rendering');
});

t.test('PDF_CACHE_DIR caches the PDFs as files in that directory instead', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pdf-cache-service-'));
  const svc = await startService(t, { PDF_CACHE_DIR: dir });
  const res = await dossier(svc);
  const key = String(res.headers.etag).replaceAll('"', '');
  t.same(await readdir(dir), [`${key}.pdf`]);
  t.same(await svc.deps.db.selectFrom('pdf_cache').select('key').execute(), [], 'nothing in the database');
  t.ok((await dossier(svc, 'en', svc.tokens.editor)).rawPayload.equals(res.rawPayload));
  t.equal(svc.deps.dossiers.pool.completed, 1);
});

t.test('frozen versions render in the pool too', async (t) => {
  const svc = await startService(t, { REVIEW_APPROVALS: '1' });
  const status = await svc.app.inject({ method: 'POST', url: '/cases/nso-group/status', headers: svc.auth(svc.tokens.editor), payload: { request: 'request_review' } });
  t.equal(status.statusCode, 200);
  t.equal(svc.deps.dossiers.pool.completed, 0);
  const approve = await svc.app.inject({ method: 'POST', url: '/cases/nso-group/reviews', headers: svc.auth(svc.tokens.reviewer), payload: { kind: 'approve' } });
  t.equal(approve.statusCode, 201);
  t.equal(approve.json().version.n, 1);
  t.equal(svc.deps.dossiers.pool.completed, 1, 'the version was rendered by the pool');
  const pdf = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/versions/1.pdf', headers: svc.auth(svc.tokens.editor) });
  t.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
});
