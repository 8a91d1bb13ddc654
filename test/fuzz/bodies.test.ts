import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import t from 'tap';
import { startService, type TestService } from '../helpers/app.ts';
import { contractBreach, databaseFingerprint, holds } from './support/answers.ts';
import { controlChar, hostileString, loneSurrogate } from './support/hostile.ts';
import { at, mutate, mutation, pathsOf, type Json } from './support/mutate.ts';
import { newCaseBody } from '../helpers/new-case.ts';

/**
 * Every route that takes a body, sent a valid body with one generated mutation:
 * a value replaced by a hostile one (wrong type, 1 MB string, control
 * characters, unpaired surrogates, huge numbers, a prototype key), a field
 * removed, an unknown or dangerous field added, the whole body replaced. The
 * mutations reach each route's validation and rules, not just the JSON parser.
 */

const CASE = 'nso-group';
const QUOTE = 'Le ciblage systémique des défenseurs des droits humains palestiniens via Pegasus';

interface Route {
  name: string;
  method: InjectOptions['method'] & string;
  url: string;
  /** `new-partner`: a partner of an organisation that has not signed yet, so that every valid body reaches the insert. */
  as: 'editor' | 'reviewer' | 'new-partner';
  body: Json;
}

async function routes(svc: TestService): Promise<Route[]> {
  const suggestions = await svc.app.inject({ method: 'POST', url: '/sources/ai-luxembourg-2022/suggestions', headers: svc.auth(svc.tokens.editor), payload: { case: CASE } });
  const suggestion = (suggestions.json() as { suggestions: Array<{ id: string }> }).suggestions[0]?.id ?? 'sug_0000000000000000';
  return [
    {
      name: 'create a case',
      method: 'POST',
      url: '/cases',
      as: 'editor',
      body: { ...newCaseBody('fuzz-case'), statement_of_reasons: [] },
    },
    { name: 'change a case', method: 'PATCH', url: `/cases/${CASE}`, as: 'editor', body: { title: 'A new title', submitted_by: ['Fuzz Org'] } },
    { name: 'move a case', method: 'POST', url: `/cases/${CASE}/status`, as: 'editor', body: { request: 'submit' } },
    {
      name: 'upload a source',
      method: 'POST',
      url: '/sources',
      as: 'editor',
      body: { id: 'fuzz-source', title: 'A source', organisation: 'Fuzz Org', kind: 'report', date: '2024-01-31', language: 'en', source_url: 'https://example.org/report', text: 'A plain text that the fuzzer uploads.\n' },
    },
    {
      name: 'add an excerpt',
      method: 'POST',
      url: `/cases/${CASE}/excerpts`,
      as: 'editor',
      body: { id: 'ex-fuzz', source: 'joint-letter-nso-2021', quote: { exact: QUOTE }, position: { start: 226, end: 306 }, criteria: ['art1.1.c.iii'], exculpatory: false, note: 'Added by the fuzzer.' },
    },
    { name: 'change an excerpt', method: 'PATCH', url: `/cases/${CASE}/excerpts/ex-jl-growing-wave-of-abuses`, as: 'editor', body: { criteria: ['art1.1.d.iv'], exculpatory: false, note: 'Changed by the fuzzer.' } },
    { name: 'sign', method: 'POST', url: `/cases/${CASE}/signatures`, as: 'new-partner', body: { signatory: { name: 'Jane Doe', role: 'Director' }, comment: 'We support this listing.' } },
    { name: 'review', method: 'POST', url: `/cases/${CASE}/reviews`, as: 'reviewer', body: { kind: 'comment', excerpt: 'ex-jl-growing-wave-of-abuses', text: 'Please check this.' } },
    { name: 'ask for suggestions', method: 'POST', url: '/sources/ai-luxembourg-2022/suggestions', as: 'editor', body: { case: CASE, lang: 'en' } },
    { name: 'accept a suggestion', method: 'POST', url: `/sources/ai-luxembourg-2022/suggestions/${suggestion}/accept`, as: 'editor', body: { case: CASE, id: 'ex-fuzz-accepted', criteria: ['art1.1.d.iv'], exculpatory: false, note: 'Checked.' } },
    { name: 'reject a suggestion', method: 'POST', url: `/sources/ai-luxembourg-2022/suggestions/${suggestion}/reject`, as: 'editor', body: { reason: 'Not a finding.' } },
  ];
}

const idempotencyKey = fc.oneof(fc.uuid(), hostileString.filter((s) => /^[\t\x20-\x7e\x80-\xff]{1,300}$/.test(s)));

/** Text that is not what a field of a dossier should hold, or is at its very edge. */
const nastyText = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\u0007 bell', '\u001b[31m red', '\u202e evil', ' \t\r\n ', '\u2028', '\ufeff', 'x'.repeat(1024 * 1024)),
  fc.string({ unit: fc.oneof(controlChar, loneSurrogate, fc.string({ minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 12 }),
);

t.test('a valid body with one hostile mutation is answered with success or a 4xx problem, and a refusal changes nothing', async (t) => {
  const svc = await startService(t, { AUTH_FAILURES_PER_MINUTE: '10000', RENDER_WORKERS: '1' });
  const db = svc.deps.db;
  let partners = 0;
  const statuses = new Map<number, number>();

  /** Sends one body and checks the contract; a new partner per request, so that every valid body reaches the insert. */
  const send = async (route: Route, body: unknown, key: string) => {
    const payload = JSON.stringify(body) ?? '';
    const token = route.as === 'new-partner' ? await svc.token('partner', { organisation: `Fuzz Partner ${++partners}` }) : svc.tokens[route.as];
    const headers: Record<string, string> = { ...svc.auth(token), 'content-type': 'application/json' };
    if (route.as === 'new-partner') headers['idempotency-key'] = key;
    const before = await databaseFingerprint(db);
    const res = await svc.app.inject({ method: route.method, url: route.url, headers, payload });
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    const what = `${route.method} ${route.url} with ${payload.slice(0, 300)}`;
    const breach = contractBreach(res);
    if (breach) throw new Error(`${what}: ${breach}`);
    if (res.statusCode >= 400 && (await databaseFingerprint(db)) !== before) throw new Error(`${what}: refused with ${res.statusCode} but the database changed`);
  };
  const answers = () => {
    const text = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(', ');
    statuses.clear();
    return `answers: ${text}`;
  };

  const all = await routes(svc);
  let seed = 0x5eed_0100;
  for (const route of all) {
    const input = fc.record({ path: fc.constantFrom(...pathsOf(route.body)), mutation, key: idempotencyKey });
    await holds(t, `${route.method} ${route.url} (${route.name})`, seed++, 50, input, ({ path, mutation, key }) => send(route, mutate(route.body, path, mutation), key));
    t.comment(answers());
  }

  // Every text field of every body, given text with NUL, unpaired surrogates, controls, 1 MB.
  const textFields = all.flatMap((route) => pathsOf(route.body).filter((path) => typeof at(route.body, path) === 'string').map((path) => ({ route, path })));
  const input = fc.record({ field: fc.constantFrom(...textFields), text: nastyText, key: idempotencyKey });
  await holds(t, `each of the ${textFields.length} text fields given text that is not text`, 0x5eed_01ff, 120, input, ({ field, text, key }) =>
    send(field.route, mutate(field.route.body, field.path, { op: 'replace', value: text }), key),
  );
  t.comment(answers());
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
});
