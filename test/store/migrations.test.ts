import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import t from 'tap';
import { MIGRATIONS, openDatabase, sqlitePath } from '../../src/store/database.ts';

/**
 * A database made by an earlier version of the service, opened by this one:
 * the migrations it lacks run, and what it held reads as its version meant it.
 * On SQLite, whatever DATABASE_URL the suite runs with (PostgreSQL runs the same
 * migrations from empty in test/store/postgres.test.ts).
 */
t.test('a review given before reviewers were named is by its token, as the audit log names it', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'dossier-migrate-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const file = new SQLite(sqlitePath({ dataDir }));
  // The review alone matters here, not the case it belongs to.
  file.pragma('foreign_keys = OFF');
  const earlier = new Kysely<unknown>({ dialect: new SqliteDialect({ database: file }) });
  const { error } = await new Migrator({ db: earlier, provider: { getMigrations: async () => MIGRATIONS } }).migrateTo('0005-case-order-indexes');
  t.error(error, 'the database as the service left it before 0006');
  await sql`INSERT INTO reviews (id, case_id, token_id, kind, excerpt_id, text, revision, created_at)
            VALUES ('rev_0000000000000001', 'nso-group', 'tok_0123456789ab', 'approve', NULL, NULL, 3, '2026-11-23T10:00:00.000Z')`.execute(earlier);
  await earlier.destroy();

  const db = await openDatabase({ dataDir });
  t.teardown(() => db.destroy());
  const rows = await db.selectFrom('reviews').select(['id', 'token_id', 'reviewer']).execute();
  t.same(rows, [{ id: 'rev_0000000000000001', token_id: 'tok_0123456789ab', reviewer: 'reviewer:tok_0123456789ab' }], 'the reviewer is the token, as the audit log names it');
});
