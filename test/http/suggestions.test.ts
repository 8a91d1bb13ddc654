import t from 'tap';
import { startService } from '../helpers/app.ts';

const SOURCE = 'ai-luxembourg-2022';

t.test('POST /sources/{id}/suggestions: explained suggestions for a stored source, editors only', async (t) => {
  const svc = await startService(t);
  const { app, tokens, auth } = svc;
  const res = await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions`, headers: auth(tokens.editor), payload: { case: 'nso-group' } });
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.match(body.source, { id: SOURCE, language: 'fr', sha256: /^[0-9a-f]{64}$/ });
  const sourceText = (await app.inject({ method: 'GET', url: `/sources/${SOURCE}`, headers: auth(tokens.editor) })).json().text as string;
  for (const s of body.suggestions) {
    t.match(s.id, /^sug_[0-9a-f]{16}$/);
    t.equal([...sourceText].slice(s.start, s.end).join(''), s.text, 'text is the code points start..end');
    t.ok(s.criteria.length > 0 && s.why.length > 0, 'criteria with their reasons');
  }
  t.ok(body.suggestions.length > 0, 'the source still has passages the case does not quote');
  const quoted = (await app.inject({ method: 'GET', url: `/cases/nso-group/excerpts?source=${SOURCE}`, headers: auth(tokens.editor) })).json() as Array<{ position: { start: number; end: number } }>;
  t.ok(quoted.length > 0);
  for (const s of body.suggestions) {
    t.notOk(quoted.some((e) => e.position.start < s.end && s.start < e.position.end), `suggestion ${s.start}-${s.end} is not already quoted`);
  }
  const reviewer = await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions`, headers: auth(tokens.reviewer), payload: { case: 'nso-group' } });
  t.equal(reviewer.statusCode, 403);
  const unknown = await app.inject({ method: 'POST', url: '/sources/no-such-source/suggestions', headers: auth(tokens.editor), payload: { case: 'nso-group' } });
  t.equal(unknown.statusCode, 404);
});

t.test('accepting a suggestion makes it an anchored excerpt, in the audit log, and it is no longer suggested', async (t) => {
  const { app, tokens, auth } = await startService(t);
  const fresh = (await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions`, headers: auth(tokens.editor), payload: { case: 'nso-group' } })).json();
  const pick = fresh.suggestions[0];
  const accepted = await app.inject({
    method: 'POST',
    url: `/sources/${SOURCE}/suggestions/${pick.id}/accept`,
    headers: auth(tokens.editor),
    payload: { case: 'nso-group', id: 'ex-accepted-suggestion', note: 'Checked against the source by the legal team.' },
  });
  t.equal(accepted.statusCode, 201, accepted.body);
  t.match(accepted.json(), { id: 'ex-accepted-suggestion', quote: { exact: pick.text }, position: { start: pick.start, end: pick.end }, criteria: pick.criteria });
  t.ok(accepted.json().quote.prefix.length > 0 || pick.start === 0, 'the context is recorded');
  const excerpts = (await app.inject({ method: 'GET', url: '/cases/nso-group/excerpts', headers: auth(tokens.editor) })).json();
  t.ok(excerpts.some((e: { id: string }) => e.id === 'ex-accepted-suggestion'));
  const audit = (await app.inject({ method: 'GET', url: '/cases/nso-group/audit', headers: auth(tokens.editor) })).json();
  t.match(audit.at(-1), { action: 'excerpt.create', detail: { excerpt: 'ex-accepted-suggestion', suggestion: pick.id } });
  const again = (await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions`, headers: auth(tokens.editor), payload: { case: 'nso-group' } })).json();
  t.notOk(again.suggestions.some((s: { id: string }) => s.id === pick.id), 'an accepted passage is not suggested again');
  const twice = await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions/${pick.id}/accept`, headers: auth(tokens.editor), payload: { case: 'nso-group', id: 'ex-the-same-passage-again' } });
  t.equal(twice.statusCode, 409, 'nor accepted again under another id');
  t.match(twice.json(), { type: /suggestion-excerpted$/, excerpt: 'ex-accepted-suggestion' });
});

t.test('a suggestion accepted, then withdrawn, is suggested and accepted again under the next free id', async (t) => {
  const { app, tokens, auth } = await startService(t);
  const suggestions = async () => (await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions`, headers: auth(tokens.editor), payload: { case: 'nso-group' } })).json().suggestions as Array<{ id: string; text: string }>;
  const pick = (await suggestions())[0]!;
  const accept = (body: Record<string, unknown> = {}) =>
    app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions/${pick.id}/accept`, headers: auth(tokens.editor), payload: { case: 'nso-group', ...body } });
  const derived = `ex-${pick.id.replace('sug_', 'sug-')}`;

  const first = await accept();
  t.equal(first.statusCode, 201, first.body);
  t.equal(first.json().id, derived, 'the id is derived from the suggestion');
  t.equal((await app.inject({ method: 'DELETE', url: `/cases/nso-group/excerpts/${derived}`, headers: auth(tokens.editor) })).statusCode, 204);
  t.ok((await suggestions()).some((s) => s.id === pick.id), 'withdrawn, the passage is suggested again');

  const second = await accept();
  t.equal(second.statusCode, 201, second.body);
  t.match(second.json(), { id: `${derived}-2`, quote: { exact: pick.text } }, 'accepted again under the next free id');
  t.equal(second.headers.location, `/cases/nso-group/excerpts/${derived}-2`);
  t.equal((await app.inject({ method: 'DELETE', url: `/cases/nso-group/excerpts/${derived}-2`, headers: auth(tokens.editor) })).statusCode, 204);
  t.equal((await accept()).json().id, `${derived}-3`);

  t.equal((await app.inject({ method: 'DELETE', url: `/cases/nso-group/excerpts/${derived}-3`, headers: auth(tokens.editor) })).statusCode, 204);
  const chosen = await accept({ id: derived });
  t.equal(chosen.statusCode, 409, 'an id the editor chooses is never changed: a withdrawn one is refused');
  t.match(chosen.json(), { type: /excerpt-exists$/, detail: /since withdrawn/ });
  const audit = (await app.inject({ method: 'GET', url: '/cases/nso-group/audit', headers: auth(tokens.editor) })).json() as Array<{ action: string; detail: { excerpt?: string } }>;
  t.same(audit.filter((e) => e.action === 'excerpt.create').map((e) => e.detail.excerpt), [derived, `${derived}-2`, `${derived}-3`], 'each audit entry names an excerpt of its own');
});

t.test('a rejected suggestion is remembered and not suggested again for that source', async (t) => {
  const { app, tokens, auth } = await startService(t);
  const before = (await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions`, headers: auth(tokens.editor), payload: { case: 'nso-group' } })).json();
  const pick = before.suggestions.at(-1);
  const rejected = await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions/${pick.id}/reject`, headers: auth(tokens.editor), payload: { reason: 'a call for action, not a finding' } });
  t.equal(rejected.statusCode, 204);
  const twice = await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions/${pick.id}/reject`, headers: auth(tokens.editor), payload: {} });
  t.equal(twice.statusCode, 204, 'rejecting again changes nothing');
  const after = (await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions`, headers: auth(tokens.editor), payload: { case: 'nso-group' } })).json();
  t.equal(after.suggestions.length, before.suggestions.length - 1);
  t.notOk(after.suggestions.some((s: { id: string }) => s.id === pick.id));
  const excerpts = async () => ((await app.inject({ method: 'GET', url: `/cases/nso-group/excerpts?source=${SOURCE}`, headers: auth(tokens.editor) })).json() as unknown[]).length;
  const excerptsBefore = await excerpts();
  const late = await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions/${pick.id}/accept`, headers: auth(tokens.editor), payload: { case: 'nso-group' } });
  t.equal(late.statusCode, 409, 'a rejected suggestion cannot be accepted');
  t.match(late.json(), { type: /suggestion-rejected$/ });
  t.equal(await excerpts(), excerptsBefore, 'and no excerpt was made');
  const unknown = await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions/sug_0000000000000000/accept`, headers: auth(tokens.editor), payload: { case: 'nso-group' } });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), { type: /suggestion-not-found$/ });
});

t.test('a suggestion listed in another language than the manifest says is accepted as listed', async (t) => {
  const { app, tokens, auth } = await startService(t);
  // The manifest says French; the source is listed, then accepted, as if it were English.
  const listed = (await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions`, headers: auth(tokens.editor), payload: { case: 'nso-group', lang: 'en' } })).json();
  const manifest = (await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions`, headers: auth(tokens.editor), payload: { case: 'nso-group' } })).json();
  const only = listed.suggestions.find((s: { id: string }) => !manifest.suggestions.some((m: { id: string }) => m.id === s.id));
  t.ok(only, 'the English reading suggests a passage the French one does not');
  const accepted = await app.inject({ method: 'POST', url: `/sources/${SOURCE}/suggestions/${only.id}/accept`, headers: auth(tokens.editor), payload: { case: 'nso-group', lang: 'en' } });
  t.equal(accepted.statusCode, 201, accepted.body);
  t.same(accepted.json().criteria, only.criteria, 'with the criteria it was listed with');
});
