import t from 'tap';
import { assertProblem } from '../helpers/problem.ts';
import { startService } from '../helpers/app.ts';
import { rawRequest, type RawAnswer } from '../fuzz/support/raw-http.ts';

/** Refusals found by the property tests in test/fuzz, each kept here as a plain example. */

const CASE = 'nso-group';
const JSON_TYPE = { 'content-type': 'application/json' };

t.test('a URL whose percent-encoding is not UTF-8 is a 400 problem bad-url, not Fastify’s own JSON', async (t) => {
  const svc = await startService(t);
  for (const url of ['/cases/%ff%fe/audit', '/cases/%e9', '/sources/%zz', '/cases/%/export']) {
    const res = await svc.app.inject({ method: 'GET', url, headers: svc.auth(svc.tokens.editor) });
    assertProblem(t, res, 400, 'bad-url');
  }
});

t.test('a path segment longer than any id is a 414 problem uri-too-long', async (t) => {
  const svc = await startService(t);
  const res = await svc.app.inject({ method: 'GET', url: `/cases/${'x'.repeat(10_000)}`, headers: svc.auth(svc.tokens.editor) });
  assertProblem(t, res, 414, 'uri-too-long');
});

t.test('a request that is not well-formed HTTP is answered with a problem and the connection closed', async (t) => {
  const svc = await startService(t);
  await svc.app.listen({ port: 0, host: '127.0.0.1' });
  const address = svc.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const answer = (res: RawAnswer) => ({ ...res, json: () => JSON.parse(res.body) as unknown });

  const smuggled = await rawRequest(port, Buffer.from([`POST /cases/${CASE}/signatures HTTP/1.1`, 'Host: x', 'Content-Length: 4', 'Transfer-Encoding: chunked', '', '0', '', ''].join('\r\n')));
  assertProblem(t, answer(smuggled), 400, 'malformed-request');
  t.equal(smuggled.headers.connection, 'close');

  const twoLengths = await rawRequest(port, Buffer.from([`POST /cases/${CASE}/signatures HTTP/1.1`, 'Host: x', 'Content-Length: 2', 'Content-Length: 3', '', '{}'].join('\r\n')));
  assertProblem(t, answer(twoLengths), 400, 'malformed-request');

  const huge = await rawRequest(port, Buffer.from([`GET /cases/${CASE}/signatures HTTP/1.1`, 'Host: x', `X-Filler: ${'x'.repeat(20_000)}`, '', ''].join('\r\n')));
  assertProblem(t, answer(huge), 431, 'headers-too-large');
});

t.test('a JSON body that is not UTF-8 is a 400 problem body-not-utf8, and the source is not stored with replaced characters', async (t) => {
  const svc = await startService(t);
  const latin1 = Buffer.concat([
    Buffer.from('{"id":"latin-1-source","title":"t","organisation":"o","kind":"k","date":"2020-01-01","language":"fr","text":"caf'),
    Buffer.from([0xe9]),
    Buffer.from(' au lait"}'),
  ]);
  const res = await svc.app.inject({ method: 'POST', url: '/sources', headers: { ...svc.auth(svc.tokens.editor), 'content-type': 'application/json; charset=latin1' }, payload: latin1 });
  assertProblem(t, res, 400, 'body-not-utf8');
  const read = await svc.app.inject({ method: 'GET', url: '/sources/latin-1-source', headers: svc.auth(svc.tokens.editor) });
  t.equal(read.statusCode, 404, 'nothing stored');

  const utf8 = await svc.app.inject({ method: 'POST', url: '/sources', headers: { ...svc.auth(svc.tokens.editor), ...JSON_TYPE }, payload: latin1.toString('latin1') });
  t.equal(utf8.statusCode, 201, 'the same text sent as UTF-8 is taken');
});

t.test('NUL and unpaired surrogates in any text field are a 422 problem naming the field, and nothing is stored (PostgreSQL answered 500)', async (t) => {
  const svc = await startService(t);
  const partner = { ...svc.auth(svc.tokens.partner), ...JSON_TYPE, 'idempotency-key': 'nul-role' };
  const signed = await svc.app.inject({ method: 'POST', url: `/cases/${CASE}/signatures`, headers: partner, payload: '{"signatory":{"name":"Jane Doe","role":"\\u0000"}}' });
  const body = assertProblem(t, signed, 422, 'not-text');
  t.match(body.errors, [{ path: 'body.signatory.role', code: 'not_text', message: /NUL/ }]);
  t.match(body.detail, 'body.signatory.role contains a NUL character');

  const reviewed = await svc.app.inject({ method: 'POST', url: `/cases/${CASE}/reviews`, headers: { ...svc.auth(svc.tokens.reviewer), ...JSON_TYPE }, payload: '{"kind":"comment","text":"see\\u0000this"}' });
  t.match(assertProblem(t, reviewed, 422, 'not-text').errors, [{ path: 'body.text', code: 'not_text' }]);

  const titled = await svc.app.inject({ method: 'PATCH', url: `/cases/${CASE}`, headers: { ...svc.auth(svc.tokens.editor), ...JSON_TYPE }, payload: '{"title":"Proposed listing \\ud800","submitted_by":["A","B\\udfff"]}' });
  const problems = assertProblem(t, titled, 422, 'not-text').errors as Array<{ path: string; message: string }>;
  t.same(problems.map((p) => p.path), ['body.title', 'body.submitted_by[1]'], 'every field at once');
  t.match(problems[0]?.message, /unpaired surrogate/);

  const signatures = (await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/signatures` })).json() as Array<{ name: string }>;
  t.notOk(signatures.some((s) => s.name === 'Test Partner Org'), 'not signed');
  const audit = (await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/audit`, headers: svc.auth(svc.tokens.editor) })).json() as unknown[];
  t.equal(audit.length, 1, 'the audit log holds the import only');
});
