import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import t from 'tap';
import { openDatabase } from '../../src/store/database.ts';
import { POSTGRES_URL, testDatabase } from '../helpers/database.ts';
import { cliToken, startServer } from '../helpers/server.ts';

const QUOTE = 'Le ciblage systémique des défenseurs des droits humains palestiniens via Pegasus';

t.test(`stopping the server and starting it on the same ${POSTGRES_URL ? 'PostgreSQL database' : 'DATA_DIR'} keeps everything`, async (t) => {
  const database = await testDatabase(t, 'dossier-persist-');
  const { dataDir } = database;
  const first = await startServer(t, database.env);

  const partner = await cliToken(database.env, '--role', 'partner', '--org', 'Persist Org');
  const signed = await fetch(`${first.url}/cases/nso-group/signatures`, {
    method: 'POST',
    headers: { authorization: `Bearer ${partner}`, 'idempotency-key': 'persist-1', 'content-type': 'application/json' },
    body: JSON.stringify({ signatory: { name: 'Rosa Parks', role: 'Director' } }),
  });
  t.equal(signed.status, 201, 'signed');
  const signature = (await signed.json()) as { id: string };

  const editor = await cliToken(database.env, '--role', 'editor');
  const added = await fetch(`${first.url}/cases/nso-group/excerpts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'ex-test-persisted', source: 'joint-letter-nso-2021', quote: { exact: QUOTE }, criteria: ['art1.1.c.iii'], note: 'Must survive a restart.' }),
  });
  t.equal(added.status, 201, 'excerpt added');
  const excerpt = await added.json();
  const caseBefore = await (await fetch(`${first.url}/cases/nso-group`, { headers: { authorization: `Bearer ${editor}` } })).json();

  if (!POSTGRES_URL) {
    // The journal mode is stored in the database file itself.
    const file = new SQLite(join(dataDir, 'dossier.sqlite'), { readonly: true });
    t.equal(file.pragma('journal_mode', { simple: true }), 'wal', 'the file is in WAL mode');
    file.close();
  }

  t.equal(await first.stop(), 0, 'SIGTERM closes the server cleanly with exit code 0');

  const second = await startServer(t, database.env);
  const get = async (path: string, token?: string) => {
    const res = await fetch(`${second.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    t.equal(res.status, 200, `GET ${path}`);
    return res.json() as Promise<any>;
  };

  const signatures = (await get('/cases/nso-group/signatures')) as Array<{ id: string; name: string; signatory?: { name: string } }>;
  const mine = signatures.find((s) => s.name === 'Persist Org');
  t.ok(mine, 'the signature is still there');
  t.equal(mine?.id, signature.id);
  t.same(mine?.signatory, { name: 'Rosa Parks', role: 'Director' });

  const excerpts = (await get('/cases/nso-group/excerpts', editor)) as Array<{ id: string }>;
  t.same(excerpts.find((e) => e.id === 'ex-test-persisted'), excerpt, 'the excerpt is still there, tokens too');

  t.same(await get('/cases/nso-group', editor), caseBefore, 'the case reads the same');

  const verify = await get('/cases/nso-group/audit/verify', editor);
  t.match(verify, { ok: true });
  const audit = (await get('/cases/nso-group/audit', editor)) as Array<{ action: string }>;
  t.same(audit.map((e) => e.action), ['case.import', 'signature.add', 'excerpt.create'], 'the case was not imported twice');
  t.equal(audit.filter((e) => e.action === 'case.import').length, 1);

  const cases = (await get('/cases', editor)) as Array<{ id: string }>;
  t.same(cases.map((c) => c.id), ['nso-group']);

  const replay = await fetch(`${second.url}/cases/nso-group/signatures`, {
    method: 'POST',
    headers: { authorization: `Bearer ${partner}`, 'idempotency-key': 'persist-1', 'content-type': 'application/json' },
    body: JSON.stringify({ signatory: { name: 'Rosa Parks', role: 'Director' } }),
  });
  t.equal(replay.status, 201, 'the idempotency key survives the restart');
  t.equal(replay.headers.get('idempotent-replayed'), 'true');
  t.equal(((await replay.json()) as { id: string }).id, signature.id);

  t.equal(await second.stop(), 0);
});

// SQLite's own settings: this test runs on SQLite in both halves of the suite.
t.test('the SQLite database runs with journal_mode=wal and synchronous=FULL', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'dossier-pragma-'));
  const server = await startServer(t, { DATA_DIR: dataDir });
  const file = new SQLite(join(dataDir, 'dossier.sqlite'), { readonly: true });
  t.equal(file.pragma('journal_mode', { simple: true }), 'wal', 'WAL is recorded in the file after start');
  file.close();
  t.equal(await server.stop(), 0);

  // synchronous is a setting of each connection, not of the file: it is checked on a
  // connection opened as the service opens its own.
  const db = await openDatabase({ dataDir });
  t.teardown(() => db.destroy());
  const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
  t.equal(sync.rows[0]?.synchronous, 2, 'synchronous is 2 (FULL)');
  const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
  t.equal(journal.rows[0]?.journal_mode, 'wal');
  const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
  t.equal(fk.rows[0]?.foreign_keys, 1, 'foreign keys are enforced');
});
