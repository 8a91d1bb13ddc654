import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import t from 'tap';
import type { Test } from 'tap';
import { PROBLEM_TYPE_BASE } from '../../src/http/problem.ts';
import { startService, type TestService } from '../helpers/app.ts';

// ---------------------------------------------------------------- helpers

const CASE = 'nso-group';
const JSON_TYPE = { 'content-type': 'application/json' };

const signBody = { signatory: { name: 'Jane Doe', role: 'Director' }, comment: 'We support the listing.' };

/** What no answer may reveal: a stack trace, SQL or the database, a file path of the server. */
const LEAKS: Array<[string, RegExp]> = [
  ['a stack trace', / {4}at /],
  ['SQL', /\bSELECT\b|\bINSERT INTO\b|\bUPDATE\b.*\bSET\b/],
  ['the database', /sqlite/i],
  ['a file path', /\/work\/|node_modules|\/tmp\/|dossier-service-/],
];

function assertNoLeak(t: Test, res: LightMyRequestResponse): void {
  for (const [what, pattern] of LEAKS) t.notMatch(res.body, pattern, `the answer reveals no ${what}`);
}

/** A refused request: status, problem+json with type/title/status/detail, and nothing revealed. */
function assertProblem(t: Test, res: LightMyRequestResponse, status: number, code?: string): Record<string, unknown> {
  t.equal(res.statusCode, status, `status ${status}${res.statusCode === status ? '' : `: ${res.body.slice(0, 300)}`}`);
  t.match(res.headers['content-type'], /^application\/problem\+json/, 'answered as problem+json');
  const body = res.json() as Record<string, unknown>;
  if (code) t.equal(body.type, `${PROBLEM_TYPE_BASE}${code}`);
  else t.match(body.type, PROBLEM_TYPE_BASE);
  t.equal(body.status, res.statusCode, 'the problem repeats the status');
  t.type(body.title, 'string');
  t.type(body.detail, 'string');
  assertNoLeak(t, res);
  return body;
}

/** Refused by the client's fault: some 4xx as problem+json, never a server error. */
function assertClientProblem(t: Test, res: LightMyRequestResponse, label: string): void {
  t.ok(res.statusCode >= 400 && res.statusCode < 500, `${label}: 4xx (got ${res.statusCode})`);
  t.match(res.headers['content-type'], /^application\/problem\+json/, `${label}: problem+json`);
  const body = res.json() as Record<string, unknown>;
  t.equal(body.status, res.statusCode);
  t.type(body.detail, 'string');
  assertNoLeak(t, res);
}

interface Fixture {
  svc: TestService;
  send: (options: InjectOptions) => Promise<LightMyRequestResponse>;
  /** The state a refused request must leave as it was. */
  state: () => Promise<unknown>;
}

async function fixture(t: Test): Promise<Fixture> {
  const svc = await startService(t);
  const asEditor = svc.auth(svc.tokens.editor);
  const get = async (url: string, headers: Record<string, string> = asEditor) => {
    const res = await svc.app.inject({ method: 'GET', url, headers });
    if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}`);
    return res.json() as unknown;
  };
  return {
    svc,
    send: (options) => svc.app.inject(options),
    state: async () => ({
      export: await get(`/cases/${CASE}/export`),
      signatures: ((await get(`/cases/${CASE}/signatures`, {})) as unknown[]).length,
      audit: ((await get(`/cases/${CASE}/audit`)) as unknown[]).length,
      cases: await get('/cases'),
      sources: ((await get('/sources')) as unknown[]).length,
    }),
  };
}

/** Runs the refused requests and checks that the state is exactly as before. */
async function unchanged(t: Test, f: Fixture, run: () => Promise<void>): Promise<void> {
  const before = await f.state();
  await run();
  t.same(await f.state(), before, 'the state is unchanged: export, signatures, audit log, cases and sources');
}

// ---------------------------------------------------------------- malformed bodies

t.test('malformed JSON is a 400 problem malformed-json and changes nothing', async (t) => {
  const f = await fixture(t);
  const { tokens, auth } = f.svc;
  await unchanged(t, f, async () => {
    for (const [method, url, token, extra] of [
      ['POST', '/cases', tokens.editor, {}],
      ['PATCH', `/cases/${CASE}`, tokens.editor, {}],
      ['POST', `/cases/${CASE}/excerpts`, tokens.editor, {}],
      ['POST', `/cases/${CASE}/reviews`, tokens.reviewer, {}],
      ['POST', `/cases/${CASE}/signatures`, tokens.partner, { 'idempotency-key': 'malformed' }],
    ] as const) {
      for (const payload of ['{"title": ', "{'title': 'single quotes'}", '{"title": "x",}', '[1, 2', 'undefined']) {
        const res = await f.send({ method, url, headers: { ...auth(token), ...extra, ...JSON_TYPE }, payload });
        const body = assertProblem(t, res, 400, 'malformed-json');
        t.match(body.detail, /not valid JSON/);
      }
    }
  });
});

t.test('an empty body declared as JSON is a 400 problem malformed-json', async (t) => {
  const f = await fixture(t);
  await unchanged(t, f, async () => {
    const res = await f.send({ method: 'PATCH', url: `/cases/${CASE}`, headers: { ...f.svc.auth(f.svc.tokens.editor), ...JSON_TYPE }, payload: '' });
    const body = assertProblem(t, res, 400, 'malformed-json');
    t.match(body.detail, /empty/);
  });
});

t.test('a body of 16 MiB is a 413 problem body-too-large naming the limit, also on the source upload that accepts larger bodies', async (t) => {
  const f = await fixture(t);
  const { tokens, auth } = f.svc;
  // Past even the source upload's limit: three times SOURCE_LIMIT (5 MiB), for text whose JSON escapes every accent.
  const huge = JSON.stringify({ title: 'x'.repeat(16 * 1024 * 1024) });
  await unchanged(t, f, async () => {
    for (const [method, url, token, extra] of [
      ['POST', '/cases', tokens.editor, {}],
      ['PATCH', `/cases/${CASE}`, tokens.editor, {}],
      ['POST', '/sources', tokens.editor, {}],
      ['POST', `/cases/${CASE}/signatures`, tokens.partner, { 'idempotency-key': 'huge' }],
    ] as const) {
      const res = await f.send({ method, url, headers: { ...auth(token), ...extra, ...JSON_TYPE }, payload: huge });
      t.match(assertProblem(t, res, 413, 'body-too-large').detail, /larger than the \d+ bytes this address accepts$/, `${method} ${url}: the detail names the limit`);
    }
  });
});

t.test('a body that is not JSON on a JSON route is refused with a 4xx problem; application/xml is a 415 problem unsupported-media-type', async (t) => {
  const f = await fixture(t);
  const { tokens, auth } = f.svc;
  await unchanged(t, f, async () => {
    const xml = await f.send({ method: 'PATCH', url: `/cases/${CASE}`, headers: { ...auth(tokens.editor), 'content-type': 'application/xml' }, payload: '<title>x</title>' });
    const body = assertProblem(t, xml, 415, 'unsupported-media-type');
    t.match(body.detail, 'application/json');

    const form = await f.send({ method: 'PATCH', url: `/cases/${CASE}`, headers: { ...auth(tokens.editor), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'title=x' });
    assertProblem(t, form, 415, 'unsupported-media-type');

    const text = await f.send({ method: 'PATCH', url: `/cases/${CASE}`, headers: { ...auth(tokens.editor), 'content-type': 'text/plain' }, payload: JSON.stringify({ title: 'Changed through text/plain' }) });
    assertProblem(t, text, 415, 'unsupported-media-type');
    const signed = await f.send({ method: 'POST', url: `/cases/${CASE}/signatures`, headers: { ...auth(tokens.partner), 'idempotency-key': 'text', 'content-type': 'text/plain' }, payload: JSON.stringify(signBody) });
    assertProblem(t, signed, 415, 'unsupported-media-type');
  });
});

// ---------------------------------------------------------------- prototype keys

t.test('__proto__ and constructor keys in a body are refused with a 4xx problem and pollute nothing', async (t) => {
  const f = await fixture(t);
  const { tokens, auth } = f.svc;
  const sign = (payload: string) =>
    f.send({ method: 'POST', url: `/cases/${CASE}/signatures`, headers: { ...auth(tokens.partner), 'idempotency-key': `proto-${payload.length}`, ...JSON_TYPE }, payload });
  const patch = (payload: string) => f.send({ method: 'PATCH', url: `/cases/${CASE}`, headers: { ...auth(tokens.editor), ...JSON_TYPE }, payload });
  await unchanged(t, f, async () => {
    const answers: Array<[string, LightMyRequestResponse]> = [
      ['__proto__ at the top', await sign('{"signatory":{"name":"J","role":"D"},"__proto__":{"polluted":"yes"}}')],
      ['__proto__ nested', await sign('{"signatory":{"name":"J","role":"D","__proto__":{"polluted":"yes"}}}')],
      ['constructor.prototype', await sign('{"signatory":{"name":"J","role":"D"},"constructor":{"prototype":{"polluted":"yes"}}}')],
      ['a plain constructor key', await sign('{"signatory":{"name":"J","role":"D"},"constructor":"x"}')],
      ['__proto__ in a case update', await patch('{"title":"x","__proto__":{"status":"submitted"}}')],
      ['constructor in a case update', await patch('{"title":"x","constructor":{"prototype":{"status":"submitted"}}}')],
    ];
    for (const [label, res] of answers) assertClientProblem(t, res, label);
    // The body is valid JSON: it is refused for its key, and told so, not as "not valid JSON".
    for (const [label, res] of answers.filter(([label]) => label !== 'a plain constructor key')) {
      t.equal(assertProblem(t, res, 400, 'forbidden-key').detail, 'the request body contains a "__proto__" or "constructor" key, which is refused', label);
    }
  });
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is not polluted');
  t.equal(({} as Record<string, unknown>).status, undefined);
});

// ---------------------------------------------------------------- validation

t.test('a missing field is said to be required, with what it should be, not "received undefined"', async (t) => {
  const f = await fixture(t);
  const { tokens, auth } = f.svc;
  await unchanged(t, f, async () => {
    const res = await f.send({ method: 'POST', url: `/cases/${CASE}/signatures`, headers: { ...auth(tokens.partner), 'idempotency-key': 'missing-role' }, payload: { signatory: { name: 'Jane Doe' } } });
    const body = assertProblem(t, res, 422, 'validation-failed');
    t.equal(body.detail, "1 problem in the request's body: body.signatory.role: required (a string)");
  });
});

t.test('unknown fields are a 422 problem validation-failed whose errors name the path and the key', async (t) => {
  const f = await fixture(t);
  const { tokens, auth } = f.svc;
  await unchanged(t, f, async () => {
    const top = await f.send({ method: 'PATCH', url: `/cases/${CASE}`, headers: auth(tokens.editor), payload: { title: 'A new title', colour: 'red' } });
    const topBody = assertProblem(t, top, 422, 'validation-failed');
    t.match(topBody.errors, [{ path: 'body', code: 'unrecognized_keys', message: /colour/ }]);

    const nested = await f.send({ method: 'POST', url: `/cases/${CASE}/excerpts`, headers: auth(tokens.editor), payload: { id: 'ex-new', source: 'joint-letter-nso-2021', quote: { exact: 'NSO', colour: 'red' }, note: 'n' } });
    t.match(assertProblem(t, nested, 422, 'validation-failed').errors, [{ path: 'body.quote', code: 'unrecognized_keys', message: /colour/ }]);

    const review = await f.send({ method: 'POST', url: `/cases/${CASE}/reviews`, headers: auth(tokens.reviewer), payload: { kind: 'approve', approvals: 2 } });
    t.match(assertProblem(t, review, 422, 'validation-failed').errors, [{ path: 'body', message: /approvals/ }]);

    const query = await f.send({ method: 'GET', url: `/cases/${CASE}/excerpts?limit=10`, headers: auth(tokens.editor) });
    t.match(assertProblem(t, query, 422, 'validation-failed').errors, [{ path: 'querystring', message: /limit/ }]);
  });
});

t.test('a validation error lists every problem of the body, each with its path', async (t) => {
  const f = await fixture(t);
  const bad = {
    id: 'Not A Valid Id',
    title: '',
    language: 'de',
    submitted_by: [],
    target: { type: 'natural_person' },
    claims: { criteria: [], involvement: 'art99' },
    status: 'submitted',
  };
  await unchanged(t, f, async () => {
    const res = await f.send({ method: 'POST', url: '/cases', headers: f.svc.auth(f.svc.tokens.editor), payload: bad });
    const body = assertProblem(t, res, 422, 'validation-failed');
    const errors = body.errors as Array<{ path: string; message: string; code: string }>;
    const paths = errors.map((e) => e.path);
    for (const path of ['body.id', 'body.title', 'body.language', 'body.submitted_by', 'body.target.type', 'body.target.names', 'body.claims.criteria', 'body.claims.involvement', 'body']) {
      t.ok(paths.includes(path), `${path} is listed`);
    }
    t.ok(errors.some((e) => e.path === 'body' && e.message.includes('status')), 'the unknown key "status" is named');
    t.equal(errors.length, 9, 'nine problems, each once');
    t.match(body.detail, /^9 problems in the request's body: /);
    for (const e of errors) {
      t.type(e.message, 'string');
      t.type(e.code, 'string');
    }
  });
  const created = await f.send({ method: 'GET', url: '/cases/not-a-valid-id', headers: f.svc.auth(f.svc.tokens.editor) });
  t.equal(created.statusCode, 404, 'no case was created');
});

t.test('a bad Idempotency-Key header is a 422 naming the header', async (t) => {
  const f = await fixture(t);
  await unchanged(t, f, async () => {
    for (const key of ['with space', 'x'.repeat(201), 'tab\tkey', 'ünïcode']) {
      const res = await f.send({ method: 'POST', url: `/cases/${CASE}/signatures`, headers: { ...f.svc.auth(f.svc.tokens.partner), 'idempotency-key': key }, payload: signBody });
      if (res.statusCode === 201) t.fail(`the key ${JSON.stringify(key)} was accepted`);
      else t.match(assertProblem(t, res, 422, 'validation-failed').errors, [{ path: 'headers.idempotency-key' }]);
    }
  });
});

// ---------------------------------------------------------------- ids that do not exist

t.test('ids that do not exist are 404 problems naming what was not found', async (t) => {
  const f = await fixture(t);
  const { tokens, auth } = f.svc;
  const editor = auth(tokens.editor);
  await unchanged(t, f, async () => {
    const cases: Array<[InjectOptions, string, string]> = [
      [{ method: 'GET', url: '/cases/no-such-case', headers: editor }, 'case-not-found', 'no-such-case'],
      [{ method: 'PATCH', url: '/cases/no-such-case', headers: editor, payload: { title: 'x' } }, 'case-not-found', 'no-such-case'],
      [{ method: 'GET', url: '/cases/no-such-case/excerpts', headers: editor }, 'case-not-found', 'no-such-case'],
      [{ method: 'GET', url: '/cases/no-such-case/export', headers: editor }, 'case-not-found', 'no-such-case'],
      [{ method: 'GET', url: '/cases/no-such-case/dossier.pdf', headers: editor }, 'case-not-found', 'no-such-case'],
      [{ method: 'GET', url: '/cases/no-such-case/audit', headers: editor }, 'case-not-found', 'no-such-case'],
      [{ method: 'GET', url: '/cases/no-such-case/signatures' }, 'case-not-found', 'no-such-case'],
      [{ method: 'POST', url: '/cases/no-such-case/reviews', headers: auth(tokens.reviewer), payload: { kind: 'comment', text: 'x' } }, 'case-not-found', 'no-such-case'],
      [{ method: 'PATCH', url: `/cases/${CASE}/excerpts/ex-no-such-excerpt`, headers: editor, payload: { note: 'x' } }, 'excerpt-not-found', 'ex-no-such-excerpt'],
      [{ method: 'DELETE', url: `/cases/${CASE}/excerpts/ex-no-such-excerpt`, headers: editor }, 'excerpt-not-found', 'ex-no-such-excerpt'],
      [{ method: 'POST', url: `/cases/${CASE}/reviews`, headers: auth(tokens.reviewer), payload: { kind: 'comment', text: 'x', excerpt: 'ex-no-such-excerpt' } }, 'excerpt-not-found', 'ex-no-such-excerpt'],
      [{ method: 'DELETE', url: `/cases/${CASE}/signatures/sig_0000000000000000`, headers: auth(tokens.partner) }, 'signature-not-found', 'sig_0000000000000000'],
      [{ method: 'GET', url: '/sources/no-such-source', headers: editor }, 'source-not-found', 'no-such-source'],
      [{ method: 'GET', url: `/cases/${CASE}/versions/99.pdf`, headers: editor }, 'version-not-found', '99'],
      [{ method: 'GET', url: '/no/such/route' }, 'not-found', '/no/such/route'],
    ];
    for (const [options, code, named] of cases) {
      const body = assertProblem(t, await f.send(options), 404, code);
      t.match(body.detail, named, `${options.method} ${options.url}: the detail names ${named}`);
    }
  });
});

t.test('path traversal in ids is a 4xx problem, never a 5xx, and reads no file', async (t) => {
  const f = await fixture(t);
  const { tokens, auth } = f.svc;
  const editor = auth(tokens.editor);
  const attempts: InjectOptions[] = [
    { method: 'GET', url: '/cases/../../etc/passwd', headers: editor },
    { method: 'GET', url: '/cases/..%2f..%2fetc%2fpasswd', headers: editor },
    { method: 'GET', url: '/cases/%2e%2e%2f', headers: editor },
    { method: 'GET', url: '/cases/%2e%2e%2f%2e%2e%2fpackage.json/export', headers: editor },
    { method: 'GET', url: '/cases/nso-group%2f..%2f..%2fseeds/dossier.pdf', headers: editor },
    { method: 'GET', url: '/sources/..%2f..%2fpackage.json', headers: editor },
    { method: 'GET', url: '/sources/%2e%2e%2fseeds%2fmanifest.json', headers: editor },
    { method: 'GET', url: '/sources/....%2f%2f....%2f%2fetc%2fpasswd', headers: editor },
    { method: 'GET', url: `/cases/${CASE}/versions/..%2f..%2f1.pdf`, headers: editor },
    { method: 'GET', url: '/cases/%2e%2e%2f/signatures' },
    { method: 'PATCH', url: `/cases/${CASE}/excerpts/..%2f..%2fex-x`, headers: editor, payload: { note: 'x' } },
    { method: 'DELETE', url: `/cases/${CASE}/excerpts/%2e%2e%2fex-x`, headers: editor },
    { method: 'DELETE', url: `/cases/${CASE}/signatures/..%2fsig_0000000000000000`, headers: auth(tokens.partner) },
    { method: 'GET', url: '/cases/%00/export', headers: editor },
  ];
  await unchanged(t, f, async () => {
    for (const options of attempts) {
      const res = await f.send(options);
      assertClientProblem(t, res, `${options.method} ${options.url}`);
      t.notMatch(res.body, /root:|"dependencies"|sha256.*\.txt/, `${options.url}: no file content in the answer`);
    }
  });
});

// ---------------------------------------------------------------- nothing revealed, nothing lost

t.test('no refused request reveals a stack trace, SQL or a file path, and none changes the state', async (t) => {
  const f = await fixture(t);
  const { tokens, auth } = f.svc;
  const editor = auth(tokens.editor);
  const partner = { ...auth(tokens.partner), 'idempotency-key': 'leak-test' };
  const attempts: InjectOptions[] = [
    { method: 'POST', url: '/cases', headers: { ...editor, ...JSON_TYPE }, payload: '{"id": "x", "title": "\u0000' },
    { method: 'POST', url: '/cases', headers: editor, payload: { id: 'nso-group', title: 'duplicate', language: 'en', submitted_by: ['x'], target: { type: 'legal_person', names: [{ value: 'x', sources: [{ citation: 'c', verified: true }] }] }, claims: { criteria: ['art1.1.d.iii'], involvement: 'art3.1.b' } } },
    { method: 'PATCH', url: `/cases/${CASE}`, headers: editor, payload: { title: "x'; DROP TABLE cases; --" , statement_of_reasons: [{ sentences: [{ text: 'cites nothing real', excerpts: ['ex-does-not-exist'] }] }] } },
    { method: 'PATCH', url: `/cases/${CASE}`, headers: editor, payload: {} },
    { method: 'POST', url: `/cases/${CASE}/status`, headers: editor, payload: { request: 'approve' } },
    { method: 'POST', url: `/cases/${CASE}/status`, headers: editor, payload: { request: 'submit' } },
    { method: 'POST', url: `/cases/${CASE}/reviews`, headers: auth(tokens.reviewer), payload: { kind: 'approve' } },
    { method: 'POST', url: `/cases/${CASE}/excerpts`, headers: editor, payload: { id: 'ex-not-in-source', source: 'joint-letter-nso-2021', quote: { exact: 'words that the letter never says' }, note: 'n' } },
    { method: 'POST', url: `/cases/${CASE}/excerpts`, headers: editor, payload: { id: 'ex-unknown-source', source: 'no-such-source', quote: { exact: 'x' }, note: 'n' } },
    { method: 'POST', url: `/cases/${CASE}/excerpts`, headers: editor, payload: { id: 'ex-jl-pegasus-palestinian-hrds', source: 'joint-letter-nso-2021', quote: { exact: 'NSO' }, note: 'n' } },
    { method: 'POST', url: '/sources', headers: editor, payload: { id: 'joint-letter-nso-2021', title: 't', organisation: 'o', kind: 'k', date: '2021-01-01', language: 'en', text: 'new text' } },
    { method: 'POST', url: '/sources', headers: editor, payload: { id: 'nul-source', title: 't', organisation: 'o', kind: 'k', date: 'yesterday', language: 'en', text: 'a\u0000b', source_url: 'javascript:alert(1)' } },
    { method: 'POST', url: `/cases/${CASE}/signatures`, headers: partner, payload: { signatory: { name: ' ', role: 'x'.repeat(201) }, comment: '' } },
    { method: 'POST', url: `/cases/${CASE}/signatures`, headers: partner, payload: [signBody] },
    { method: 'POST', url: `/cases/${CASE}/signatures`, headers: partner, payload: { signatory: 'Jane Doe' } },
    { method: 'GET', url: `/cases/${CASE}/dossier.pdf?lang=de`, headers: editor },
    { method: 'GET', url: `/cases/${CASE}/excerpts?criterion=' OR 1=1 --`, headers: editor },
    { method: 'GET', url: `/cases/${CASE}/versions/0.pdf`, headers: editor },
    { method: 'PUT', url: `/cases/${CASE}`, headers: editor, payload: { title: 'x' } },
  ];
  await unchanged(t, f, async () => {
    for (const options of attempts) {
      const res = await f.send(options);
      assertClientProblem(t, res, `${options.method} ${options.url} ${JSON.stringify(options.payload ?? '').slice(0, 60)}`);
    }
  });
});
