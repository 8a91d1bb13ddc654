import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql, type Migration } from 'kysely';
import t, { type Test } from 'tap';
import { openDatabase, sqlitePath } from '../../src/store/database.ts';
import { LockingSqliteDialect } from '../../src/store/sqlite-dialect.ts';

/** SQLite as the service opens it (src/store/sqlite-dialect.ts), beside another connection that stands for another process. */
async function scratchDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dossier-sqlite-dialect-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('a transaction holds the write lock from its start: a write by another process waits for it, and nothing fails after a read', async (t) => {
  const dataDir = await scratchDir(t);
  const db = await openDatabase({ dataDir });
  t.teardown(() => db.destroy());
  const other = new SQLite(sqlitePath({ dataDir }));
  other.pragma('busy_timeout = 0');
  t.teardown(() => other.close());

  let otherWrite = '';
  await db.transaction().execute(async (tx) => {
    await sql`select count(*) from tokens`.execute(tx);
    // Another process writes between this transaction's read and its write.
    try {
      other.prepare(`insert into service_secrets (name, value, created_at) values ('other', 'x', '2026-01-01')`).run();
      otherWrite = 'committed';
    } catch (error) {
      otherWrite = (error as { code?: string }).code ?? String(error);
    }
    await sql`insert into service_secrets (name, value, created_at) values ('mine', 'y', '2026-01-01')`.execute(tx);
  });
  t.equal(otherWrite, 'SQLITE_BUSY', 'the other writer found the lock taken (it would wait up to its busy_timeout)');
  const names = other.prepare('select name from service_secrets order by name').pluck().all();
  t.same(names, ['mine'], "this transaction's write committed (with a deferred BEGIN it failed with SQLITE_BUSY_SNAPSHOT)");
});

t.test('a migration that fails half-way leaves nothing behind: migrations run in one transaction', async (t) => {
  const dataDir = await scratchDir(t);
  const sqlite = new SQLite(join(dataDir, 'm.sqlite'));
  const db = new Kysely<Record<string, never>>({ dialect: new LockingSqliteDialect({ database: sqlite }) });
  t.teardown(() => db.destroy());
  const halfWay: Migration = {
    async up(db) {
      await db.schema.createTable('first_half').addColumn('id', 'integer').execute();
      throw new Error('the disk is full');
    },
  };
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ '0001-half-way': halfWay }) } });
  const { error } = await migrator.migrateToLatest();
  t.match(String(error), 'the disk is full');
  const tables = sqlite.prepare(`select name from sqlite_master where type = 'table' and name = 'first_half'`).all();
  t.same(tables, [], 'the table the migration made before it failed is gone');
  t.same(await migrator.getMigrations().then((all) => all.filter((m) => m.executedAt)), [], 'and the migration is not recorded');
});
