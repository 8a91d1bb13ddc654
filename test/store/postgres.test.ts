import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import t from 'tap';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { MIGRATIONS, migrationsApplied, openDatabase } from '../../src/store/database.ts';
import { findActiveToken, listTokens } from '../../src/store/token-store.ts';
import { adminQuery, POSTGRES_SKIP_REASON, POSTGRES_URL, testDatabase } from '../helpers/database.ts';

// Whatever else runs, this file says whether the PostgreSQL half of the suite ran:
// without DATABASE_URL it is one skipped test with the reason.
t.test('the PostgreSQL half of the suite: schema, migrations, commands', { skip: POSTGRES_URL ? false : POSTGRES_SKIP_REASON }, async (t) => {
  t.test('the schema, as the migrations make it there', async (t) => {
    const settings = await testDatabase(t, 'postgres-schema-');
    const db = await openDatabase({ dataDir: settings.dataDir, databaseUrl: settings.databaseUrl });
    t.teardown(() => db.destroy());
    t.ok(await migrationsApplied(db), 'every migration applied');

    const columns = await adminQuery(
      `SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns WHERE table_schema = '${settings.schema}' ORDER BY table_name, ordinal_position`,
    );
    const column = (table: string, name: string) => columns.rows.find((r) => r.table_name === table && r.column_name === name);
    t.equal(column('versions', 'pdf')?.data_type, 'bytea', 'frozen PDFs are bytea');
    t.equal(column('pdf_cache', 'bytes')?.data_type, 'bytea', 'cached PDFs are bytea');
    t.match(column('audit_log', 'seq'), { data_type: 'integer', is_identity: 'YES' }, 'the audit sequence is an identity column');
    const tables = new Set(columns.rows.map((r) => r.table_name as string));
    for (const table of ['cases', 'sources', 'excerpts', 'signatures', 'idempotency_keys', 'tokens', 'reviews', 'audit_log', 'versions', 'pdf_cache', 'suggestion_rejections', 'kysely_migration']) {
      t.ok(tables.has(table), `${table} is in the test's own schema`);
    }

    const index = await adminQuery(`SELECT indexdef FROM pg_indexes WHERE schemaname = '${settings.schema}' AND indexname = 'signatures_live_signer'`);
    t.match(index.rows[0]?.indexdef, /^CREATE UNIQUE INDEX signatures_live_signer ON \S+\.signatures USING btree \(case_id, signer_key\) WHERE \(withdrawn_at IS NULL\)$/, 'the partial unique index');

    const migrations = await adminQuery(`SELECT name FROM ${settings.schema}.kysely_migration ORDER BY name`);
    t.same(migrations.rows.map((r) => r.name), Object.keys(MIGRATIONS).sort());
  });

  t.test('an instance opens at most DATABASE_POOL_SIZE connections', async (t) => {
    const settings = await testDatabase(t, 'postgres-pool-');
    const db = await openDatabase({ dataDir: settings.dataDir, databaseUrl: settings.databaseUrl, poolSize: 2 });
    t.teardown(() => db.destroy());
    const backends = await Promise.all([1, 2, 3, 4, 5].map(() => sql<{ pid: number }>`SELECT pg_backend_pid() AS pid, pg_sleep(0.1)`.execute(db)));
    t.equal(new Set(backends.map((r) => r.rows[0]!.pid)).size, 2, 'five queries at once share two connections');
  });

  t.test('instances starting together migrate once, taking turns', async (t) => {
    const settings = await testDatabase(t, 'postgres-migrate-');
    const dbs = await Promise.all([1, 2, 3].map(() => openDatabase({ dataDir: settings.dataDir, databaseUrl: settings.databaseUrl })));
    t.teardown(() => Promise.all(dbs.map((db) => db.destroy())));
    for (const db of dbs) t.ok(await migrationsApplied(db));
    const migrations = await adminQuery(`SELECT count(*)::int AS n FROM ${settings.schema}.kysely_migration`);
    t.equal(migrations.rows[0]?.n, Object.keys(MIGRATIONS).length, 'each migration recorded once');
  });

  t.test('the token command honours DATABASE_URL', async (t) => {
    const settings = await testDatabase(t, 'postgres-cli-');
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...settings.env };
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', 'create', '--role', 'partner', '--org', 'Access Now'], { cwd: PROJECT_ROOT, env });
    const token = stdout.trim();
    t.match(token, /^dsr_/);
    const db = await openDatabase({ dataDir: settings.dataDir, databaseUrl: settings.databaseUrl });
    t.teardown(() => db.destroy());
    t.match(await findActiveToken(db, token), { role: 'partner', organisation: 'Access Now' }, 'the token is in PostgreSQL');
    t.equal((await listTokens(db)).length, 1);
    const sqliteTokens = await openDatabase({ dataDir: settings.dataDir });
    t.teardown(() => sqliteTokens.destroy());
    t.same(await listTokens(sqliteTokens), [], 'and not in a SQLite file in DATA_DIR');
  });

  t.test('a database that cannot be reached stops start-up with a message that hides the password', async (t) => {
    const error = await openDatabase({ dataDir: '/nonexistent', databaseUrl: 'postgres://dossier:s3cret-pw@127.0.0.1:1/dossier' }).catch((e: unknown) => e as Error);
    t.ok(error instanceof Error);
    t.match((error as Error).message, /postgres:\/\/dossier:\*\*\*@127\.0\.0\.1:1\/dossier/);
    t.notMatch((error as Error).message, 's3cret-pw');
  });
});
