import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase, sqlitePath } from '../src/store/database.ts';

/**
 * The least a signature can cost the service's thread on SQLite: the statements
 * signing runs (look up the key's answer and a live signature, insert the
 * signature, its audit entry and its answer, each in a savepoint) prepared
 * once, run by better-sqlite3 directly on the service's tables and settings
 * (WAL, synchronous=FULL), `group` signatures to a transaction and its one
 * commit. No rules, no hashing, no Kysely, no HTTP: what any implementation
 * that keeps these rows on disk before answering must spend per signature.
 */
export async function signStoreFloorMicros(group = 50, signatures = 5_000): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dossier-bench-floor-'));
  try {
    await (await openDatabase({ dataDir })).destroy();
    const db = new SQLite(sqlitePath({ dataDir }));
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      const at = new Date().toISOString();
      db.prepare('INSERT INTO cases (id, doc, status, revision, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)').run('floor', '{}', 'draft', at, at);
      const statements = {
        begin: db.prepare('BEGIN IMMEDIATE'),
        commit: db.prepare('COMMIT'),
        savepoint: db.prepare('SAVEPOINT signature'),
        release: db.prepare('RELEASE signature'),
        answer: db.prepare('SELECT * FROM idempotency_keys WHERE token_id = ? AND key = ?'),
        live: db.prepare('SELECT * FROM signatures WHERE case_id = ? AND signer_key = ? AND withdrawn_at IS NULL'),
        signature: db.prepare(
          'INSERT INTO signatures (id, case_id, signer_key, category, name, affiliation, signatory, role, comment, token_id, position, created_at, withdrawn_at) VALUES (?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, NULL)',
        ),
        audit: db.prepare('INSERT INTO audit_log (case_id, actor, action, at, before_hash, after_hash, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
        store: db.prepare('INSERT INTO idempotency_keys (token_id, key, request_hash, status, body, headers, created_at) VALUES (?, ?, ?, 201, ?, ?, ?)'),
      };
      const hash = (n: number) => n.toString(16).padStart(64, '0');
      let n = 0;
      const commitGroup = () => {
        statements.begin.run();
        for (let i = 0; i < group; i++, n++) {
          const id = `sig_${n.toString(16).padStart(16, '0')}`;
          const signer = `organisation:bench organisation ${n}`;
          statements.savepoint.run();
          statements.answer.get(`tok_${n}`, `key-${n}`);
          statements.live.get('floor', signer);
          statements.signature.run(id, 'floor', signer, 'organisation', `Bench Organisation ${n}`, '{"name":"Signer","role":"Director"}', 'We support this listing.', `tok_${n}`, n, at);
          statements.audit.run('floor', `partner:Bench Organisation ${n}`, 'signature.add', at, hash(2 * n), hash(2 * n + 1), `{"signature":"${id}"}`, hash(n), hash(n + 1));
          statements.store.run(`tok_${n}`, `key-${n}`, hash(n), `{"id":"${id}"}`, `{"location":"/cases/floor/signatures/${id}"}`, at);
          statements.release.run();
        }
        statements.commit.run();
      };
      const groups = Math.ceil(signatures / group);
      for (let i = 0; i < Math.ceil(groups / 5); i++) commitGroup();
      const started = performance.now();
      for (let i = 0; i < groups; i++) commitGroup();
      return ((performance.now() - started) * 1000) / (groups * group);
    } finally {
      db.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
