import t, { type Test } from 'tap';
import { draftStamp } from '../../src/cases/draft-state.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { createToken, findActiveToken, revokeToken } from '../../src/store/token-store.ts';
import { startService } from '../helpers/app.ts';

/**
 * The token and the case's stamp are remembered while the database has not
 * changed (src/store/change-mark.ts). A second connection to the same database
 * stands for another process (`npm run token -- revoke`, a second instance):
 * what it commits is seen from the next turn of the event loop, which is when
 * a request sent after it is read. On PostgreSQL nothing is remembered, and
 * the same assertions hold.
 */

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

async function secondConnection(t: Test, env: Record<string, string>): Promise<Db> {
  const db = await openDatabase({ dataDir: env.DATA_DIR!, databaseUrl: env.DATABASE_URL });
  t.teardown(() => db.destroy());
  return db;
}

t.test('a token revoked by another connection is refused from the next turn on', async (t) => {
  const svc = await startService(t);
  const other = await secondConnection(t, svc.database.env);
  const { token, record } = await createToken(svc.deps.db, { role: 'reviewer', now: new Date() });
  t.match(await findActiveToken(svc.deps.db, token), { tokenId: record.id, role: 'reviewer' }, 'found, and remembered');
  t.ok(await revokeToken(other, record.id, new Date()), 'revoked through the other connection');
  await nextTurn();
  t.equal(await findActiveToken(svc.deps.db, token), undefined, 'refused');

  const answer = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/dossier.pdf', headers: svc.auth(token) });
  t.equal(answer.statusCode, 401, 'and the API refuses it');
});

t.test('a token revoked on this connection is refused at once', async (t) => {
  const svc = await startService(t);
  const { token, record } = await createToken(svc.deps.db, { role: 'editor', now: new Date() });
  t.ok(await findActiveToken(svc.deps.db, token));
  t.ok(await revokeToken(svc.deps.db, record.id, new Date()));
  t.equal(await findActiveToken(svc.deps.db, token), undefined, 'in the same turn');
});

t.test('a token created by another connection is found, though it was unknown a moment before', async (t) => {
  const svc = await startService(t);
  const other = await secondConnection(t, svc.database.env);
  const guess = 'dsr_not-yet-a-token';
  t.equal(await findActiveToken(svc.deps.db, guess), undefined);
  const { token, record } = await createToken(other, { role: 'partner', organisation: 'Later Org', now: new Date() });
  await nextTurn();
  t.match(await findActiveToken(svc.deps.db, token), { tokenId: record.id, organisation: 'Later Org' });
  t.equal(await findActiveToken(svc.deps.db, guess), undefined, 'an unknown token stays unknown');
});

t.test('a case changed by another connection gets a new stamp, and its cached draft is no longer answered 304', async (t) => {
  const svc = await startService(t);
  const other = await secondConnection(t, svc.database.env);
  const headers = svc.auth(svc.tokens.reviewer);
  const first = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/dossier.pdf', headers });
  t.equal(first.statusCode, 200);
  const etag = String(first.headers.etag);
  const cached = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/dossier.pdf', headers: { ...headers, 'if-none-match': etag } });
  t.equal(cached.statusCode, 304, 'unchanged: 304');
  const before = await draftStamp(svc.deps.cases, 'nso-group');

  await other.updateTable('cases').set({ updated_at: '2026-11-30T12:00:00.000Z' }).where('id', '=', 'nso-group').execute();
  await nextTurn();
  t.not(await draftStamp(svc.deps.cases, 'nso-group'), before, 'a new stamp');
  const changed = await svc.app.inject({ method: 'GET', url: '/cases/nso-group/dossier.pdf', headers: { ...headers, 'if-none-match': etag } });
  t.equal(changed.statusCode, 200, 'the old ETag no longer matches: the new draft');
  t.not(changed.headers.etag, etag);
});

t.test('a case changed through the service gets a new stamp at once', async (t) => {
  const svc = await startService(t);
  const before = await draftStamp(svc.deps.cases, 'nso-group');
  const patched = await svc.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: svc.auth(svc.tokens.editor), payload: { title: 'A new title' } });
  t.equal(patched.statusCode, 200);
  t.not(await draftStamp(svc.deps.cases, 'nso-group'), before);
});

t.test('two databases in one process never see each other’s remembered reads', async (t) => {
  const first = await startService(t);
  const second = await startService(t);
  const timesOf = (db: Db) => db.selectFrom('cases').select(['created_at', 'updated_at']).where('id', '=', 'nso-group').executeTakeFirstOrThrow();
  // Seeded the same way, the two may well have the same change mark; their stamps differ (they were made at different times).
  t.notSame(await timesOf(first.deps.db), await timesOf(second.deps.db), 'two cases made at different moments');
  const a = await draftStamp(first.deps.cases, 'nso-group');
  const b = await draftStamp(second.deps.cases, 'nso-group');
  t.not(a, b, 'each database its own stamp');
  t.equal(await findActiveToken(second.deps.db, first.tokens.editor), undefined, "one database's token is unknown to the other");
  t.ok(await findActiveToken(first.deps.db, first.tokens.editor), 'and known to its own');
});
