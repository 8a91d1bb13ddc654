import { mkdir, mkdtemp, readdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openDatabase } from '../../src/store/database.ts';
import { databasePdfCache, directoryPdfCache } from '../../src/store/pdf-cache.ts';
import { sha256Hex } from '../../src/shared/hash.ts';
import { testDatabase } from '../helpers/database.ts';

const key = (n: number) => sha256Hex(`model ${n}`);
const pdf = (n: number) => Buffer.from(`%PDF-1.7 number ${n} \u0000\u00ff`, 'latin1');
const at = (n: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, n));

t.test('the database cache keeps the newest entries and never overwrites a key', async (t) => {
  const settings = await testDatabase(t, 'pdf-cache-');
  const db = await openDatabase({ dataDir: settings.dataDir, databaseUrl: settings.databaseUrl });
  t.teardown(() => db.destroy());
  const cache = databasePdfCache(db, 3);
  t.equal(await cache.get(key(1)), undefined, 'empty at first');
  for (const n of [1, 2, 3, 4, 5]) await cache.put(key(n), pdf(n), at(n));
  t.equal(await cache.get(key(1)), undefined, 'the oldest went');
  t.equal(await cache.get(key(2)), undefined);
  for (const n of [3, 4, 5]) t.ok(Buffer.from((await cache.get(key(n)))!).equals(pdf(n)), `entry ${n} kept, byte for byte`);

  await cache.put(key(5), pdf(99), at(9));
  t.ok(Buffer.from((await cache.get(key(5)))!).equals(pdf(5)), 'a second put of a key (another instance was faster) keeps the first bytes');
  t.equal((await db.selectFrom('pdf_cache').select('key').execute()).length, 3);

  await t.rejects(cache.put('../../etc/passwd', pdf(1), at(1)), /not a PDF cache key/);
});

t.test('the directory cache keeps the newest files, written whole', async (t) => {
  const dir = join(await mkdtemp(join(tmpdir(), 'pdf-cache-dir-')), 'nested', 'cache');
  const cache = directoryPdfCache(dir, 2);
  t.equal(await cache.get(key(1)), undefined, 'a missing directory is an empty cache');
  for (const n of [1, 2, 3]) {
    await cache.put(key(n), pdf(n), at(n));
    // File times have a resolution of their own: make the order explicit.
    await utimes(join(dir, `${key(n)}.pdf`), at(n), at(n));
  }
  await cache.put(key(4), pdf(4), at(4));
  const files = (await readdir(dir)).sort();
  t.same(files, [`${key(3)}.pdf`, `${key(4)}.pdf`].sort(), 'two files, the newest, and no temporary ones');
  t.ok(Buffer.from((await cache.get(key(4)))!).equals(pdf(4)));
  t.equal(await cache.get(key(1)), undefined);
  await t.rejects(cache.get('../secret'), /not a PDF cache key/, 'a key is a SHA-256, never a path');
});

t.test('a file the directory cache could not put in place leaves no temporary file behind', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pdf-cache-fail-'));
  const cache = directoryPdfCache(dir, 5);
  // The entry's name is taken by a directory that is not empty: the rename fails, as a full disk would fail it.
  await mkdir(join(dir, `${key(1)}.pdf`, 'in-the-way'), { recursive: true });
  await t.rejects(cache.put(key(1), pdf(1), at(1)));
  t.same((await readdir(dir)).filter((name) => name.endsWith('.tmp')), [], 'no temporary file left');
});
