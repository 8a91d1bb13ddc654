import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import t from 'tap';
import type { Test } from 'tap';
import type { Role } from '../../src/auth/tokens.ts';
import { buildApp } from '../../src/http/app.ts';
import { PROBLEM_TYPE_BASE } from '../../src/http/problem.ts';
import { findActiveToken, revokeToken } from '../../src/store/token-store.ts';
import { startService, type TestService } from '../helpers/app.ts';
import { newCaseBody } from '../helpers/new-case.ts';

// ---------------------------------------------------------------- helpers

const CASE = 'nso-group';
const SOURCE = 'joint-letter-nso-2021';
const ROLES: Role[] = ['editor', 'reviewer', 'partner'];

/** The ids a route's URL is built from: all real, read or created through the API. */
interface Ids {
  excerpt: string;
  signature: string;
}

interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The route as documented, for the test's name. */
  route: string;
  url: (ids: Ids) => string;
  /** Roles let through; `public` needs no token at all. */
  allowed: Role[] | 'public';
  body?: object;
  headers?: Record<string, string>;
  /** What an allowed role gets with this body: never 401/403, never 5xx. */
  expect: number;
}

const newCase = newCaseBody('acme-surveillance');

const newSource = {
  id: 'auth-test-source',
  title: 'A test report',
  organisation: 'A test organisation',
  kind: 'report',
  date: '2024-01-15',
  language: 'en',
  text: 'A short report written for the authorisation tests.',
};

const signBody = { signatory: { name: 'Jane Doe', role: 'Director' }, comment: 'We support this listing.' };

const READERS: Role[] = ['editor', 'reviewer'];

/** Every route of the service with the roles it lets through. */
const ROUTES: RouteSpec[] = [
  { method: 'GET', route: '/health', url: () => '/health', allowed: 'public', expect: 200 },
  { method: 'GET', route: '/ready', url: () => '/ready', allowed: 'public', expect: 200 },
  { method: 'GET', route: '/criteria', url: () => '/criteria', allowed: 'public', expect: 200 },
  { method: 'GET', route: '/openapi.json', url: () => '/openapi.json', allowed: 'public', expect: 200 },
  { method: 'GET', route: '/cases/{id}/signatures', url: () => `/cases/${CASE}/signatures`, allowed: 'public', expect: 200 },

  { method: 'GET', route: '/cases', url: () => '/cases', allowed: READERS, expect: 200 },
  { method: 'GET', route: '/cases/{id}', url: () => `/cases/${CASE}`, allowed: READERS, expect: 200 },
  { method: 'GET', route: '/cases/{id}/excerpts', url: () => `/cases/${CASE}/excerpts`, allowed: READERS, expect: 200 },
  { method: 'GET', route: '/cases/{id}/excerpts/{excerptId}', url: (ids) => `/cases/${CASE}/excerpts/${ids.excerpt}`, allowed: READERS, expect: 200 },
  { method: 'GET', route: '/cases/{id}/coverage', url: () => `/cases/${CASE}/coverage`, allowed: READERS, expect: 200 },
  { method: 'GET', route: '/cases/{id}/reviews', url: () => `/cases/${CASE}/reviews`, allowed: READERS, expect: 200 },
  { method: 'GET', route: '/cases/{id}/versions', url: () => `/cases/${CASE}/versions`, allowed: READERS, expect: 200 },
  // No version is frozen yet: the answer is 404, which shows that authorisation let the request through.
  { method: 'GET', route: '/cases/{id}/versions/{n}.pdf', url: () => `/cases/${CASE}/versions/1.pdf`, allowed: READERS, expect: 404 },
  { method: 'GET', route: '/cases/{id}/audit', url: () => `/cases/${CASE}/audit`, allowed: READERS, expect: 200 },
  { method: 'GET', route: '/cases/{id}/audit/verify', url: () => `/cases/${CASE}/audit/verify`, allowed: READERS, expect: 200 },
  { method: 'GET', route: '/cases/{id}/export', url: () => `/cases/${CASE}/export`, allowed: READERS, expect: 200 },
  { method: 'GET', route: '/sources', url: () => '/sources', allowed: READERS, expect: 200 },
  { method: 'GET', route: '/sources/{id}', url: () => `/sources/${SOURCE}`, allowed: READERS, expect: 200 },
  { method: 'GET', route: '/cases/{id}/dossier.pdf', url: () => `/cases/${CASE}/dossier.pdf`, allowed: READERS, expect: 200 },

  { method: 'POST', route: '/cases', url: () => '/cases', allowed: ['editor'], body: newCase, expect: 201 },
  { method: 'PATCH', route: '/cases/{id}', url: () => `/cases/${CASE}`, allowed: ['editor'], body: { title: 'A changed title' }, expect: 200 },
  { method: 'POST', route: '/cases/{id}/status', url: () => `/cases/${CASE}/status`, allowed: ['editor'], body: { request: 'request_review' }, expect: 200 },
  { method: 'POST', route: '/sources', url: () => '/sources', allowed: ['editor'], body: newSource, expect: 201 },
  {
    method: 'POST',
    route: '/cases/{id}/excerpts',
    url: () => `/cases/${CASE}/excerpts`,
    allowed: ['editor'],
    body: { id: 'ex-auth-test', source: SOURCE, quote: { exact: 'Pegasus' }, note: 'a test excerpt' },
    // "Pegasus" occurs more than once in the letter: the editor is let through and told the quote is ambiguous.
    expect: 422,
  },
  { method: 'PATCH', route: '/cases/{id}/excerpts/{excerptId}', url: (ids) => `/cases/${CASE}/excerpts/${ids.excerpt}`, allowed: ['editor'], body: { note: 'A changed note' }, expect: 200 },
  // The first excerpt is cited by the target's identity: the editor is let through and told so (409).
  { method: 'DELETE', route: '/cases/{id}/excerpts/{excerptId}', url: (ids) => `/cases/${CASE}/excerpts/${ids.excerpt}`, allowed: ['editor'], expect: 409 },

  { method: 'POST', route: '/cases/{id}/reviews', url: () => `/cases/${CASE}/reviews`, allowed: ['reviewer'], body: { kind: 'comment', text: 'Looks sound.' }, expect: 201 },

  // The partner signed while the test was set up: let through, it is told it has already signed (409).
  { method: 'POST', route: '/cases/{id}/signatures', url: () => `/cases/${CASE}/signatures`, allowed: ['partner'], body: signBody, headers: { 'idempotency-key': 'auth-table' }, expect: 409 },
  { method: 'DELETE', route: '/cases/{id}/signatures/{signatureId}', url: (ids) => `/cases/${CASE}/signatures/${ids.signature}`, allowed: ['partner'], expect: 204 },
];

function assertProblem(t: Test, res: LightMyRequestResponse, status: number, code?: string): Record<string, unknown> {
  t.equal(res.statusCode, status, `status ${status}`);
  t.match(res.headers['content-type'], /^application\/problem\+json/, 'answered as problem+json');
  const body = res.json() as Record<string, unknown>;
  t.equal(body.status, status, 'the problem repeats the status');
  t.match(body.type, new RegExp(`^${PROBLEM_TYPE_BASE.replace(/[.]/g, '\\.')}`), 'the problem has a stable type');
  if (code) t.equal(body.type, `${PROBLEM_TYPE_BASE}${code}`);
  t.type(body.title, 'string');
  t.type(body.detail, 'string');
  return body;
}

/** A token of this role that signs (partners) as someone distinct. */
async function tokenOf(svc: TestService, role: Role, who: string): Promise<string> {
  return role === 'partner' ? svc.token('partner', { organisation: who }) : svc.token(role);
}

/** A token that existed and was then revoked. */
async function revokedToken(svc: TestService, role: Role): Promise<string> {
  const token = await tokenOf(svc, role, 'Revoked Partner Org');
  const principal = await findActiveToken(svc.deps.db, token);
  if (!principal) throw new Error('a new token should be active');
  if (!(await revokeToken(svc.deps.db, principal.tokenId, new Date()))) throw new Error('the token should have been revoked');
  return token;
}

const unknownToken = () => `dsr_${randomBytes(32).toString('base64url')}`;

/** A fresh service with the real ids every route needs: an excerpt of the case and a signature of the partner. */
async function serviceWithIds(t: Test, env: Record<string, string> = {}): Promise<{ svc: TestService; ids: Ids }> {
  const svc = await startService(t, env);
  const excerpts = await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/excerpts`, headers: svc.auth(svc.tokens.editor) });
  const excerpt = (excerpts.json() as Array<{ id: string }>)[0]!.id;
  const signed = await svc.app.inject({
    method: 'POST',
    url: `/cases/${CASE}/signatures`,
    headers: { ...svc.auth(svc.tokens.partner), 'idempotency-key': 'setup' },
    payload: signBody,
  });
  if (signed.statusCode !== 201) throw new Error(`setup: the partner could not sign (${signed.statusCode} ${signed.body})`);
  return { svc, ids: { excerpt, signature: (signed.json() as { id: string }).id } };
}

/** What a refused request must not have changed: the audit log, the sources, the cases, the signatures. */
async function snapshot(svc: TestService) {
  const read = async (url: string) => (await svc.app.inject({ method: 'GET', url, headers: svc.auth(svc.tokens.editor) })).json() as unknown[];
  const signatures = (await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/signatures` })).json() as unknown[];
  return { audit: (await read(`/cases/${CASE}/audit`)).length, sources: (await read('/sources')).length, cases: await read('/cases'), signatures };
}

function request(svc: TestService, spec: RouteSpec, ids: Ids, authorization?: string) {
  return svc.app.inject({
    method: spec.method,
    url: spec.url(ids),
    headers: { ...spec.headers, ...(authorization ? { authorization } : {}) },
    ...(spec.body ? { payload: spec.body } : {}),
  });
}

// ---------------------------------------------------------------- every role against every route

for (const spec of ROUTES.filter((r) => r.allowed === 'public')) {
  t.test(`${spec.method} ${spec.route} answers without a token`, async (t) => {
    const { svc, ids } = await serviceWithIds(t);
    const res = await request(svc, spec, ids);
    t.equal(res.statusCode, spec.expect);
  });
}

for (const spec of ROUTES) {
  if (spec.allowed === 'public') continue;
  const allowed = spec.allowed;
  const refused = ROLES.filter((r) => !allowed.includes(r));
  t.test(`${spec.method} ${spec.route}: without a token, with an unknown or a revoked token 401; ${refused.join(' and ')} 403; ${allowed.join(' and ')} let through`, async (t) => {
    const { svc, ids } = await serviceWithIds(t);
    const before = await snapshot(svc);

    const none = await request(svc, spec, ids);
    assertProblem(t, none, 401, 'unauthenticated');
    t.match(none.headers['www-authenticate'], /^Bearer /, 'no token: the answer says how to authenticate');

    const unknown = await request(svc, spec, ids, `Bearer ${unknownToken()}`);
    assertProblem(t, unknown, 401, 'unauthenticated');
    t.match(unknown.headers['www-authenticate'], /^Bearer /);

    const revoked = await request(svc, spec, ids, `Bearer ${await revokedToken(svc, allowed[0]!)}`);
    assertProblem(t, revoked, 401, 'unauthenticated');
    t.match(revoked.headers['www-authenticate'], /^Bearer /);

    for (const role of refused) {
      const res = await request(svc, spec, ids, `Bearer ${await tokenOf(svc, role, `Other ${role} Org`)}`);
      const body = assertProblem(t, res, 403, 'forbidden');
      t.match(body.detail, role, `the ${role} is told its role cannot do this`);
    }
    t.same(await snapshot(svc), before, 'the refused requests changed nothing');

    for (const role of allowed) {
      const token = role === 'editor' ? svc.tokens.editor : role === 'reviewer' ? svc.tokens.reviewer : svc.tokens.partner;
      const res = await request(svc, spec, ids, `Bearer ${token}`);
      t.not(res.statusCode, 401, `${role} is authenticated`);
      t.not(res.statusCode, 403, `${role} is authorised`);
      t.ok(res.statusCode < 500, `${role} gets no server error`);
      t.equal(res.statusCode, spec.expect, `${role} gets ${spec.expect}: ${res.statusCode === spec.expect ? '' : res.body.slice(0, 300)}`);
    }
  });
}

// ---------------------------------------------------------------- tokens

t.test('a token that worked is refused with 401 from the moment it is revoked', async (t) => {
  const svc = await startService(t);
  const token = await svc.token('reviewer');
  t.equal((await svc.app.inject({ method: 'GET', url: '/cases', headers: svc.auth(token) })).statusCode, 200);
  const principal = await findActiveToken(svc.deps.db, token);
  t.ok(await revokeToken(svc.deps.db, principal!.tokenId, new Date()));
  const res = await svc.app.inject({ method: 'GET', url: '/cases', headers: svc.auth(token) });
  const body = assertProblem(t, res, 401, 'unauthenticated');
  t.match(body.detail, /unknown or revoked/);
});

t.test('an Authorization header that is not a Bearer token is 401, not 400 or 500', async (t) => {
  const svc = await startService(t);
  for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', `Bearer ${'x'.repeat(600)}`, `Bearer ${svc.tokens.editor} extra`, 'dsr_only-the-token']) {
    const res = await svc.app.inject({ method: 'GET', url: '/cases', headers: { authorization } });
    assertProblem(t, res, 401, 'unauthenticated');
    t.match(res.headers['www-authenticate'], /^Bearer /);
  }
});

// ---------------------------------------------------------------- signatures belong to their organisation

t.test("DELETE /cases/{id}/signatures/{signatureId} of another organisation's signature is 403 and the signature stays in the public list", async (t) => {
  const { svc, ids } = await serviceWithIds(t);
  const other = await svc.token('partner', { organisation: 'Another Partner Org' });
  const res = await svc.app.inject({ method: 'DELETE', url: `/cases/${CASE}/signatures/${ids.signature}`, headers: svc.auth(other) });
  const body = assertProblem(t, res, 403, 'not-your-signature');
  t.match(body.detail, ids.signature);

  const expert = await svc.app.inject({ method: 'DELETE', url: `/cases/${CASE}/signatures/${ids.signature}`, headers: svc.auth(svc.tokens.expert) });
  assertProblem(t, expert, 403, 'not-your-signature');

  const list = (await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/signatures` })).json() as Array<{ id: string; name: string }>;
  t.ok(list.some((s) => s.id === ids.signature && s.name === 'Test Partner Org'), 'the signature is still listed');
});

t.test('a partner cannot withdraw a signature of the imported joint letter (403)', async (t) => {
  const svc = await startService(t);
  const list = (await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/signatures` })).json() as Array<{ id: string; name: string }>;
  const imported = list.find((s) => s.name === 'Access Now');
  t.ok(imported, 'Access Now signed the joint letter');
  const res = await svc.app.inject({ method: 'DELETE', url: `/cases/${CASE}/signatures/${imported!.id}`, headers: svc.auth(svc.tokens.partner) });
  assertProblem(t, res, 403, 'not-your-signature');
  const after = (await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/signatures` })).json() as unknown[];
  t.equal(after.length, list.length, 'no signature left the list');
});

// ---------------------------------------------------------------- failed authentications

t.test('after AUTH_FAILURES_PER_MINUTE failed authentications from one address the next request gets 429', async (t) => {
  const svc = await startService(t, { AUTH_FAILURES_PER_MINUTE: '3' });
  for (let i = 0; i < 3; i++) {
    const res = await svc.app.inject({ method: 'GET', url: '/cases', headers: { authorization: `Bearer ${unknownToken()}` } });
    assertProblem(t, res, 401, 'unauthenticated');
  }
  const blocked = await svc.app.inject({ method: 'GET', url: '/cases', headers: { authorization: `Bearer ${unknownToken()}` } });
  const body = assertProblem(t, blocked, 429, 'too-many-failed-authentications');
  t.equal(blocked.headers['retry-after'], '60', 'the answer says when to try again');
  t.match(body.detail, /too many failed authentications/);

  const guessedRight = await svc.app.inject({ method: 'GET', url: '/cases', headers: svc.auth(svc.tokens.editor) });
  assertProblem(t, guessedRight, 429, 'too-many-failed-authentications');
  t.pass('a valid token from the blocked address is not confirmed either');

  const otherAddress = await svc.app.inject({ method: 'GET', url: '/cases', headers: svc.auth(svc.tokens.editor), remoteAddress: '192.0.2.44' });
  t.equal(otherAddress.statusCode, 200, 'another address is not blocked');

  const open = await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/signatures` });
  t.equal(open.statusCode, 200, 'public routes still answer the blocked address');
});

t.test('requests with valid tokens do not count as failed authentications', async (t) => {
  const svc = await startService(t, { AUTH_FAILURES_PER_MINUTE: '3' });
  for (let i = 0; i < 10; i++) {
    t.equal((await svc.app.inject({ method: 'GET', url: '/cases', headers: svc.auth(svc.tokens.reviewer) })).statusCode, 200);
  }
  // A wrong role is an authenticated caller, not a guess.
  for (let i = 0; i < 5; i++) {
    t.equal((await svc.app.inject({ method: 'GET', url: '/cases', headers: svc.auth(svc.tokens.partner) })).statusCode, 403);
  }
  t.equal((await svc.app.inject({ method: 'GET', url: '/cases', headers: svc.auth(svc.tokens.editor) })).statusCode, 200);
});

// ---------------------------------------------------------------- logs

t.test('tokens never appear in the logs, even at level trace', async (t) => {
  const svc = await startService(t);
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await buildApp(svc.deps, { logger: { level: 'trace', stream } });
  t.teardown(() => app.close());

  const unknown = unknownToken();
  const answers = [
    await app.inject({ method: 'GET', url: '/cases', headers: svc.auth(svc.tokens.editor) }),
    await app.inject({ method: 'GET', url: `/cases/${CASE}`, headers: svc.auth(svc.tokens.reviewer) }),
    await app.inject({ method: 'POST', url: `/cases/${CASE}/signatures`, headers: { ...svc.auth(svc.tokens.partner), 'idempotency-key': 'log-test' }, payload: signBody }),
    await app.inject({ method: 'GET', url: '/cases', headers: svc.auth(svc.tokens.partner) }),
    await app.inject({ method: 'GET', url: '/cases', headers: svc.auth(unknown) }),
    await app.inject({ method: 'POST', url: `/cases/${CASE}/reviews`, headers: svc.auth(svc.tokens.reviewer2), payload: { kind: 'comment', text: 'fine' } }),
  ];
  t.same(answers.map((r) => r.statusCode), [200, 200, 201, 403, 401, 201]);

  t.ok(lines.length > 0, 'the requests were logged');
  const log = lines.join('');
  for (const [name, token] of [...Object.entries(svc.tokens), ['unknown', unknown] as const]) {
    t.notOk(log.includes(token), `the ${name} token is not in the log`);
  }
  t.notOk(log.includes('dsr_'), 'no token prefix in the log');
  t.notOk(/bearer/i.test(log), 'no Authorization header in the log');
});

t.test('the token is checked before the request is: an anonymous or wrong-role request learns nothing about the schema', async (t) => {
  const { app, tokens, auth } = await startService(t);
  const anonymous = await app.inject({ method: 'POST', url: '/cases', payload: {} });
  t.equal(anonymous.statusCode, 401);
  const reviewer = await app.inject({ method: 'POST', url: '/cases/nso-group/signatures', headers: auth(tokens.reviewer), payload: {} });
  t.equal(reviewer.statusCode, 403, 'a reviewer signing without an Idempotency-Key is told it may not sign at all');
  const noToken = await app.inject({ method: 'DELETE', url: '/cases/nso-group/signatures/xyz' });
  t.equal(noToken.statusCode, 401);
});
