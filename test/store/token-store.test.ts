import t from 'tap';
import type { Role } from '../../src/auth/tokens.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { createToken, findActiveToken, listTokens, revokeToken } from '../../src/store/token-store.ts';
import { testDatabase } from '../helpers/database.ts';
import { problemsOf } from '../helpers/problems.ts';

const NOW = new Date('2026-11-23T10:00:00Z');
const LATER = new Date('2026-11-24T09:30:00Z');

/** A fresh database (SQLite in a temp dir, or a PostgreSQL schema with DATABASE_URL), closed when the test ends. */
async function database(t: { teardown: (fn: () => unknown) => void }): Promise<Db> {
  const settings = await testDatabase(t, 'token-store-');
  const db = await openDatabase({ dataDir: settings.dataDir, databaseUrl: settings.databaseUrl });
  t.teardown(() => db.destroy());
  return db;
}

t.test('a created token is found by its secret, with its role and binding', async (t) => {
  const db = await database(t);
  const partner = await createToken(db, { role: 'partner', organisation: 'Access Now', now: NOW });
  const expert = await createToken(db, { role: 'partner', person: 'Jane Expert', now: NOW });
  const editor = await createToken(db, { role: 'editor', now: NOW });
  t.match(partner.token, /^dsr_/);
  t.match(partner.record.id, /^tok_[0-9a-f]{12}$/);
  t.same(partner.record, { id: partner.record.id, role: 'partner', organisation: 'Access Now', createdAt: NOW.toISOString() });
  t.same(await findActiveToken(db, partner.token), { tokenId: partner.record.id, role: 'partner', organisation: 'Access Now' });
  t.same(await findActiveToken(db, expert.token), { tokenId: expert.record.id, role: 'partner', person: 'Jane Expert' });
  t.same(await findActiveToken(db, editor.token), { tokenId: editor.record.id, role: 'editor' });
  t.equal(await findActiveToken(db, 'dsr_not-a-token'), undefined);
  t.equal(await findActiveToken(db, ''), undefined);
});

t.test('only the hash is stored', async (t) => {
  const db = await database(t);
  const { token, record } = await createToken(db, { role: 'reviewer', now: NOW });
  const rows = await db.selectFrom('tokens').selectAll().execute();
  t.equal(rows.length, 1);
  const row = rows[0]!;
  t.equal(row.id, record.id);
  t.match(row.sha256, /^[0-9a-f]{64}$/);
  const stored = JSON.stringify(row);
  t.notMatch(stored, token, 'the token text is nowhere in the row');
  t.notMatch(stored, token.slice(4), 'not even without its prefix');
});

t.test('list shows every token without secrets; revoke stops a token working', async (t) => {
  const db = await database(t);
  const a = await createToken(db, { role: 'editor', now: NOW });
  const b = await createToken(db, { role: 'partner', person: 'Jane Expert', now: LATER });
  t.same(await listTokens(db), [a.record, b.record]);

  t.equal(await revokeToken(db, a.record.id, LATER), true);
  t.equal(await findActiveToken(db, a.token), undefined, 'a revoked token is not found');
  t.ok(await findActiveToken(db, b.token), 'the other one still works');
  const [first, second] = await listTokens(db);
  t.same(first, { ...a.record, revokedAt: LATER.toISOString() });
  t.same(second, b.record);
  for (const record of await listTokens(db)) {
    t.notMatch(JSON.stringify(record), /dsr_|[0-9a-f]{64}/, 'neither secret nor hash');
  }

  t.equal(await revokeToken(db, a.record.id, LATER), false, 'already revoked');
  t.equal(await revokeToken(db, 'tok_000000000000', LATER), false, 'unknown');
});

t.test('role and binding that do not fit are refused, with paths, and nothing is stored', async (t) => {
  const db = await database(t);
  t.match(await problemsOf(() => createToken(db, { role: 'partner', now: NOW })), [{ path: 'organisation', message: /organisation or a person/ }]);
  t.match(await problemsOf(() => createToken(db, { role: 'partner', organisation: 'A', person: 'B', now: NOW })), [{ path: 'person', message: /not both/ }]);
  t.match(await problemsOf(() => createToken(db, { role: 'editor', organisation: 'Access Now', now: NOW })), [{ path: 'organisation' }]);
  t.match(await problemsOf(() => createToken(db, { role: 'reviewer', organisation: 'Access Now', person: 'Jane Doe', now: NOW })), [{ path: 'organisation' }]);
  t.match(await problemsOf(() => createToken(db, { role: 'admin' as Role, now: NOW })), [{ path: 'role', message: /not a role/ }]);
  t.same(await listTokens(db), []);
});

t.test('names are stored as cleanName leaves them, so that two tokens of one person are one reviewer', async (t) => {
  const db = await database(t);
  const { record } = await createToken(db, { role: 'reviewer', person: ' Jane\u200b  Doe\n', now: NOW });
  t.equal(record.person, 'Jane Doe');
  t.match(await listTokens(db), [{ id: record.id, person: 'Jane Doe' }], 'as stored');
});
