import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import t from 'tap';
import { startService } from '../helpers/app.ts';
import { contractBreach, databaseFingerprint, holds } from './support/answers.ts';
import { contentType, hostileBody, hostileIdSegment, hostileQuery, hostileString } from './support/hostile.ts';

/**
 * Every operation the API documents (GET /openapi.json), driven with generated
 * hostile input: ids with traversal and junk, unknown and repeated query keys,
 * any token or none, odd content types, bodies that are broken JSON, invalid
 * UTF-8, binary or JSON of the wrong shape. Zero 5xx, every 4xx is problem+json,
 * and a refused request leaves every row of the database as it was.
 */

const CASE = 'nso-group';
const REAL_IDS = [CASE, 'joint-letter-nso-2021', 'ai-luxembourg-2022', 'ex-jl-pegasus-palestinian-hrds', 'ex-jl-growing-wave-of-abuses', '1'];
const AUTH = ['editor', 'editor', 'editor', 'reviewer', 'partner', 'expert', 'none', 'garbage'] as const;

/** Header values a real client can send (Latin-1 without controls but tab). */
const headerValue = hostileString.filter((s) => /^[\t\x20-\x7e\x80-\xff]{0,2000}$/.test(s));

t.test('every documented operation answers hostile input with a 4xx problem or success, never a 5xx, and a refusal changes nothing', async (t) => {
  const svc = await startService(t, { AUTH_FAILURES_PER_MINUTE: '10000', RENDER_WORKERS: '1' });
  const db = svc.deps.db;
  const tokens: Record<(typeof AUTH)[number], string | undefined> = { ...svc.tokens, none: undefined, garbage: 'dsr_not-a-token' };

  const doc = (await svc.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  // The web pages (/app) answer browsers in HTML and have their own tests; this is the JSON API.
  const operations = Object.entries(doc.paths)
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase() as InjectOptions['method'] & string, path })))
    .filter((op) => !op.path.startsWith('/app'));
  operations.push({ method: 'GET', path: '/openapi.json' }, { method: 'GET', path: '/docs/static/{file}' }, { method: 'GET', path: '/{anything}/{else}' });
  t.ok(operations.length >= 30, `${operations.length} operations`);

  // A real signature id, so that the signature routes reach their handlers.
  const signatures = (await svc.app.inject({ method: 'GET', url: `/cases/${CASE}/signatures` })).json() as Array<{ id: string }>;
  const realIds = [...REAL_IDS, signatures[0]!.id];

  const request = fc.record({
    op: fc.constantFrom(...operations),
    otherMethod: fc.option(fc.constantFrom('HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'POST'), { freq: 8 }),
    segments: fc.array(hostileIdSegment(realIds), { minLength: 3, maxLength: 3 }),
    query: hostileQuery(['lang', 'criterion', 'source']),
    auth: fc.constantFrom(...AUTH),
    idempotencyKey: fc.option(headerValue, { freq: 3 }),
    contentType,
    body: hostileBody,
    ifNoneMatch: fc.option(headerValue, { freq: 4 }),
  });

  await holds(t, 'no 5xx, problem+json for every 4xx, nothing stored by a refused request', 0x5eed_0001, 400, request, async (r) => {
    let i = 0;
    const path = r.op.path.replace(/\{[^}]+\}/g, () => r.segments[i++]!);
    const method = (r.otherMethod ?? r.op.method) as InjectOptions['method'] & string;
    const headers: Record<string, string> = {};
    const token = tokens[r.auth];
    if (token) headers.authorization = `Bearer ${token}`;
    if (r.idempotencyKey !== null) headers['idempotency-key'] = r.idempotencyKey;
    if (r.contentType !== undefined) headers['content-type'] = r.contentType;
    // The draft PDF answers 304 after every check of its input, so that no run waits for a render.
    headers['if-none-match'] = path.endsWith('dossier.pdf') ? '*' : (r.ifNoneMatch ?? '');
    if (!headers['if-none-match']) delete headers['if-none-match'];
    const url = `${path}${r.query}`;
    const options: InjectOptions = { method, url, headers, ...(r.body !== undefined && method !== 'GET' && method !== 'HEAD' ? { payload: r.body } : {}) };

    const before = await databaseFingerprint(db);
    const res = await svc.app.inject(options);
    const what = `${method} ${url.slice(0, 200)} as ${r.auth}, ${r.contentType ?? 'no content type'}, body ${JSON.stringify(String(r.body ?? '').slice(0, 200))}`;
    const breach = method === 'HEAD' ? (res.statusCode >= 500 ? `a server error ${res.statusCode}` : undefined) : contractBreach(res);
    if (breach) {
      throw new Error(`${what}: ${breach}`);
    }
    if (res.statusCode >= 400 && (await databaseFingerprint(db)) !== before) {
      throw new Error(`${what}: refused with ${res.statusCode} but the database changed`);
    }
  });
});
