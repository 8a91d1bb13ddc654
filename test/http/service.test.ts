import t from 'tap';
import { startService } from '../helpers/app.ts';

t.test('GET /health and /ready answer without a token', async (t) => {
  const { app } = await startService(t);
  const health = await app.inject({ method: 'GET', url: '/health' });
  t.equal(health.statusCode, 200);
  t.same(health.json(), { status: 'ok' });
  const ready = await app.inject({ method: 'GET', url: '/ready' });
  t.equal(ready.statusCode, 200);
  t.same(ready.json(), { status: 'ready' });
});

t.test('GET /openapi.json describes every route with its responses', async (t) => {
  const { app } = await startService(t);
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  t.equal(res.statusCode, 200);
  const doc = res.json();
  t.match(doc.openapi, /^3\./);
  for (const path of ['/cases', '/cases/{id}', '/cases/{id}/signatures', '/cases/{id}/dossier.pdf', '/cases/{id}/audit/verify', '/sources', '/criteria']) {
    t.ok(doc.paths[path], `${path} is documented`);
  }
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, { responses?: object }>>)) {
    for (const [method, op] of Object.entries(methods)) t.ok(op.responses && Object.keys(op.responses).length > 0, `${method.toUpperCase()} ${path} declares its responses`);
  }
  const docs = await app.inject({ method: 'GET', url: '/docs' });
  t.ok([200, 302].includes(docs.statusCode), 'Swagger UI is served at /docs');
});
