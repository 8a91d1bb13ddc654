import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import t, { type Test } from 'tap';
import { BackupError, backupSqlite } from '../../src/store/backup.ts';
import { openDatabase } from '../../src/store/database.ts';
import { createToken } from '../../src/store/token-store.ts';
import { baseEnv, startServer, type Server } from '../helpers/server.ts';
import { runCommand, type CommandRun } from '../helpers/command.ts';

/**
 * `npm run backup -- FILE`: an online copy of the SQLite database, taken while
 * the real server runs and signs; restored as the README says, it holds what
 * was signed before the backup and nothing signed after. SQLite only (with
 * DATABASE_URL set to PostgreSQL the command refuses and names pg_dump), so
 * these tests give the server and the command a DATA_DIR of their own whatever
 * DATABASE_URL the suite runs with.
 */

const CASE = 'nso-group';


/** `npm run backup -- ...args`, as this user or, given `user`, as that one. */
const backup = (env: Record<string, string>, ...args: string[]) => backupAs({}, env, ...args);
const backupAs = (user: { uid?: number; gid?: number }, env: Record<string, string>, ...args: string[]) => runCommand('backup', args, { env: baseEnv(env), ...user });

async function sign(server: Server, token: string, key: string, name: string): Promise<{ status: number; id?: string }> {
  const res = await fetch(`${server.url}/cases/${CASE}/signatures`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ signatory: { name, role: 'Director' } }),
  });
  return { status: res.status, id: ((await res.json()) as { id?: string }).id };
}

const oneLine = (t: Test, run: CommandRun, pattern: RegExp) => {
  t.not(run.code, 0, 'exits non-zero');
  t.equal(run.stderr.trim().split('\n').length, 1, `one line: ${run.stderr.trim()}`);
  t.match(run.stderr, /^error: /);
  t.match(run.stderr, pattern);
  t.equal(run.stdout, '', 'nothing on stdout');
};

t.test('back up while the server runs and signs, restore: what was signed before is there, what was signed after is not', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'backup-service-'));
  const env = { DATA_DIR: dataDir, RENDER_WORKERS: '1' };
  const out = await mkdtemp(join(tmpdir(), 'backup-out-'));
  const file = join(out, 'dossier-backup.sqlite');

  let server = await startServer(t, env);
  const db = await openDatabase({ dataDir });
  t.teardown(() => db.destroy());
  const token = async (organisation?: string) => (await createToken(db, { role: organisation ? 'partner' : 'editor', organisation, now: new Date() })).token;
  const before = await token('Signed Before Backup');
  const after = await token('Signed After Backup');
  const editor = await token();

  const first = await sign(server, before, 'before-1', 'Ada Before');
  t.equal(first.status, 201, 'signed before the backup');

  // Partners keep signing, one after the other, until the backup is done: it holds some of them, each with its audit entry.
  let backingUp = true;
  const during: Array<{ status: number; id?: string }> = [];
  const signing = (async () => {
    for (let i = 0; backingUp || during.length < 2; i++) during.push(await sign(server, await token(`Signing During Backup ${i}`), `during-${i}`, `Signer ${i}`));
  })();
  const run = await backup(env, file);
  backingUp = false;
  await signing;
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /^backed up .*dossier\.sqlite to .*dossier-backup\.sqlite \(\d+ pages, \d+ KiB\)\n$/);
  t.ok(during.every((a) => a.status === 201), `the service kept signing during the backup (${during.length} signatures)`);
  await t.rejects(stat(`${file}-wal`), 'the backup is one file, no -wal beside it');
  const copy = new SQLite(file, { readonly: true });
  t.equal(copy.pragma('integrity_check', { simple: true }), 'ok', 'SQLite finds the copy sound');
  copy.close();

  const second = await sign(server, after, 'after-1', 'Bob After');
  t.equal(second.status, 201, 'signed after the backup');
  t.equal(await server.stop(), 0, 'the server stops');

  // Restore as the README says: stop, copy the backup over the database, remove -wal and -shm, start.
  const database = join(dataDir, 'dossier.sqlite');
  await copyFile(file, database);
  await rm(`${database}-wal`, { force: true });
  await rm(`${database}-shm`, { force: true });
  server = await startServer(t, env);
  t.teardown(() => server.stop());

  const list = (await (await fetch(`${server.url}/cases/${CASE}/signatures`)).json()) as Array<{ id: string; name: string }>;
  t.same(list.filter((s) => s.name === 'Signed Before Backup').map((s) => s.id), [first.id], 'the signature made before the backup is there');
  t.same(list.filter((s) => s.name === 'Signed After Backup'), [], 'the one made after it is not');
  const restoredDuring = list.filter((s) => s.name.startsWith('Signing During Backup'));
  t.comment(`${restoredDuring.length} of the ${during.length} signatures made while the backup ran are in it`);
  t.ok(restoredDuring.every((s) => during.some((a) => a.id === s.id)), 'those it holds are the ones answered');

  const headers = { authorization: `Bearer ${editor}` };
  const verify = (await (await fetch(`${server.url}/cases/${CASE}/audit/verify`, { headers })).json()) as { ok: boolean };
  t.match(verify, { ok: true }, 'the restored audit chain verifies');
  const audit = (await (await fetch(`${server.url}/cases/${CASE}/audit`, { headers })).json()) as Array<{ action: string; detail: { signature?: string } }>;
  const added = audit.filter((e) => e.action === 'signature.add').map((e) => e.detail.signature);
  t.same(new Set(added), new Set([first.id, ...restoredDuring.map((s) => s.id)]), 'every restored signature has its audit entry, and no entry lacks its signature');
  const partner = await sign(server, after, 'after-2', 'Bob After');
  t.equal(partner.status, 201, 'the tokens made before the backup still work after the restore');
});

t.test('the backup of a stopped service, and --force over an earlier backup', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'backup-stopped-'));
  await (await openDatabase({ dataDir })).destroy();
  const file = join(dataDir, 'copy.sqlite');
  t.match(await backupSqlite(join(dataDir, 'dossier.sqlite'), file), { destination: file }, 'a backup with no server running');
  await t.rejects(backupSqlite(join(dataDir, 'dossier.sqlite'), file), new BackupError(`${file} already exists: choose another name, or add --force to replace it`));
  await writeFile(file, 'not a database');
  await backupSqlite(join(dataDir, 'dossier.sqlite'), file, { force: true });
  t.equal((await readFile(file)).subarray(0, 15).toString(), 'SQLite format 3', 'force replaced it with a database');
});

t.test('the command on bad input: one line on stderr, a non-zero exit', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'backup-bad-'));
  await (await openDatabase({ dataDir })).destroy();
  const env = { DATA_DIR: dataDir };
  const existing = join(dataDir, 'existing.sqlite');
  await writeFile(existing, 'an earlier backup');
  // Run side by side: each is a cold start of the command.
  const [none, unknown, missingDir, exists, postgres] = await Promise.all([
    backup(env),
    backup(env, '--fast', join(dataDir, 'a')),
    backup(env, join(dataDir, 'no', 'such', 'dir', 'b.sqlite')),
    backup(env, existing),
    backup({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://user:secret@127.0.0.1:5432/dossier' }, join(dataDir, 'd.sqlite')),
  ]);
  await t.test('no FILE', async (t) => oneLine(t, none, /FILE/));
  await t.test('an unknown option', async (t) => oneLine(t, unknown, /--fast/));
  await t.test('a destination that cannot be written', async (t) => oneLine(t, missingDir, /cannot write .* does not exist/));
  await t.test('an existing file, without --force', async (t) => {
    oneLine(t, exists, /already exists.*--force/);
    t.equal(await readFile(existing, 'utf8'), 'an earlier backup', 'left as it was');
  });
  await t.test('PostgreSQL', async (t) => {
    oneLine(t, postgres, /pg_dump/);
    t.notMatch(postgres.stderr, 'secret', 'the password is not printed');
  });
});

t.test('destinations refused before anything is written', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'backup-refused-'));
  await (await openDatabase({ dataDir })).destroy();
  const source = join(dataDir, 'dossier.sqlite');
  const notADir = join(dataDir, 'plain-file');
  await writeFile(notADir, 'x');
  const locked = join(dataDir, 'locked');
  await mkdir(locked, { mode: 0o500 });
  const refused = async (destination: string, pattern: RegExp, from = source) => {
    const error = await backupSqlite(from, destination).then(() => undefined, (e: unknown) => e);
    t.type(error, BackupError, destination);
    t.match((error as Error).message, pattern);
    t.notMatch((error as Error).message, '\n', 'in one line');
  };
  await refused(join(dataDir, 'no', 'such', 'dir', 'b.sqlite'), /does not exist/);
  await refused(join(notADir, 'b.sqlite'), /not a directory/);
  await refused(dataDir, /is a directory/);
  await refused(source, /the database itself/);
  await refused(`${source}-wal`, /the database itself/);
  await refused(join(dataDir, 'c.sqlite'), /no database at .*DATA_DIR/, join(dataDir, 'empty', 'dossier.sqlite'));
  await t.test('a directory that is not writable', async (t) => {
    // Root may write into any directory: run as root (as CI does), the command runs as "nobody" to meet one it may not write.
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    await chmod(dataDir, 0o755);
    const run = await backupAs(user, { DATA_DIR: dataDir }, join(locked, 'e.sqlite'));
    t.not(run.code, 0, 'the command fails');
    // Only the first line: under tap the child also carries tap's process tracking, which "nobody" may not write.
    t.match(run.stderr.split('\n')[0], /^error: cannot write .*e\.sqlite: the directory .*locked is not writable \(EACCES\)$/, 'and says why in one line');
  });
  t.same((await readdir(dataDir)).filter((f) => !f.startsWith('dossier.sqlite')).sort(), ['locked', 'plain-file'], 'no backup and no partial file was left behind');
});
