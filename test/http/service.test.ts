import t from 'tap';
import { startService } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';

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

t.test('the OpenAPI document gives each answer the media type it is sent with', async (t) => {
  const svc = await startService(t);
  const doc = (await svc.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  type Responses = Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
  const responsesOf = (path: string, method = 'get') => doc.paths[path][method].responses as Responses;
  const mediaOf = (path: string, status: string, method = 'get') => Object.keys(responsesOf(path, method)[status]?.content ?? {});
  t.same(mediaOf('/cases/{id}/dossier.pdf', '200'), ['application/pdf']);
  t.same(responsesOf('/cases/{id}/dossier.pdf')['200']!.content!['application/pdf']!.schema, { type: 'string', format: 'binary' });
  t.same(mediaOf('/cases/{id}/versions/{n}.pdf', '200'), ['application/pdf']);
  t.same(mediaOf('/cases/{id}/ftm.json', '200'), ['application/x-ndjson']);
  t.same(mediaOf('/cases/{id}', '200'), ['application/json'], 'JSON stays JSON');
  t.same(mediaOf('/cases/{id}/signatures', '409', 'post'), ['application/problem+json'], 'a refusal is problem+json');
  const declaredAsJson: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, { responses: Responses; security?: unknown[] }>>)) {
    for (const [method, op] of Object.entries(methods)) {
      for (const [status, response] of Object.entries(op.responses)) if (Number(status) >= 400 && response.content?.['application/json']) declaredAsJson.push(`${method} ${path} ${status}`);
      if (op.security?.length) t.ok(op.responses['429'], `${method.toUpperCase()} ${path} may be refused by the failed-token limit`);
      if (path.includes('{')) t.ok(op.responses['422'], `${method.toUpperCase()} ${path} may be refused for a malformed parameter`);
    }
  }
  t.same(declaredAsJson, [], 'no refusal is declared as plain JSON');
});

t.test('a method the service does not answer at an existing path is 405 with Allow; an unknown path stays 404', async (t) => {
  const svc = await startService(t);
  const wrong = await svc.app.inject({ method: 'PUT', url: '/cases/nso-group/signatures', headers: svc.auth(svc.tokens.partner), payload: {} });
  assertProblem(t, wrong, 405, 'method-not-allowed');
  t.equal(wrong.headers.allow, 'GET, HEAD, POST');
  t.match(wrong.json().detail, 'PUT is not answered at /cases/nso-group/signatures');
  const version = await svc.app.inject({ method: 'DELETE', url: '/cases/nso-group/versions/1.pdf' });
  assertProblem(t, version, 405, 'method-not-allowed');
  t.equal(version.headers.allow, 'GET, HEAD');
  assertProblem(t, await svc.app.inject({ method: 'GET', url: '/cases/nso-group/nothing-here' }), 404, 'not-found');
  assertProblem(t, await svc.app.inject({ method: 'GET', url: '/cases/nso-group/versions/x.pdf' }), 404, 'not-found');
});

t.test("API answers carry the API's security headers, HTML (Swagger UI, the pages) helmet's", async (t) => {
  const svc = await startService(t);
  const apiAnswers = {
    'a JSON answer': await svc.app.inject({ method: 'GET', url: '/health' }),
    'a problem': await svc.app.inject({ method: 'GET', url: '/cases/no-such-case', headers: svc.auth(svc.tokens.editor) }),
    'an unknown address': await svc.app.inject({ method: 'GET', url: '/nothing-here' }),
    'the draft PDF': await svc.app.inject({ method: 'GET', url: '/cases/nso-group/dossier.pdf', headers: svc.auth(svc.tokens.reviewer) }),
  };
  for (const [what, answer] of Object.entries(apiAnswers)) {
    t.equal(answer.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", `${what}: nothing may load or frame it`);
    t.equal(answer.headers['x-content-type-options'], 'nosniff', `${what}: never sniffed`);
    t.equal(answer.headers['x-frame-options'], 'DENY', what);
    t.match(answer.headers['strict-transport-security'], /^max-age=\d+/, what);
    t.equal(answer.headers['cross-origin-opener-policy'], undefined, `${what}: none of helmet's headers for pages`);
  }
  const docs = await svc.app.inject({ method: 'GET', url: '/docs' });
  t.equal(docs.statusCode, 200);
  t.match(docs.headers['content-type'], /^text\/html/);
  t.match(String(docs.headers['content-security-policy']), /script-src 'self'.*style-src 'self' 'unsafe-inline'/, 'Swagger UI gets the policy it needs to run');
  t.equal(docs.headers['x-frame-options'], 'SAMEORIGIN');
  const page = await svc.app.inject({ method: 'GET', url: '/app' });
  t.match(String(page.headers['content-security-policy']), /default-src 'self'/, 'so do the pages');
  t.equal(page.headers['cross-origin-opener-policy'], 'same-origin');
});
