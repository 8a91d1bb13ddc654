import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PdfCache } from '../render/pool/dossier-pdfs.ts';
import type { Db } from './database.ts';

const KEY = /^[0-9a-f]{64}$/;

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`not a PDF cache key: ${JSON.stringify(key)}`);
}

/**
 * The PDF cache in the database's `pdf_cache` table, shared by every instance
 * on the database; it keeps the newest `entries` PDFs.
 */
export function databasePdfCache(db: Db, entries: number): PdfCache {
  return {
    async get(key) {
      const row = await db.selectFrom('pdf_cache').select('bytes').where('key', '=', key).executeTakeFirst();
      return row?.bytes;
    },
    async put(key, pdf, at) {
      checkKey(key);
      const inserted = await db
        .insertInto('pdf_cache')
        .values({ key, bytes: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength), created_at: at.toISOString() })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      if (!inserted.numInsertedOrUpdatedRows) return;
      await db
        .deleteFrom('pdf_cache')
        .where('key', 'not in', (eb) => eb.selectFrom('pdf_cache').select('key').orderBy('created_at', 'desc').orderBy('key', 'desc').limit(entries))
        .execute();
    },
  };
}

const isMissing = (error: unknown) => (error as { code?: string }).code === 'ENOENT';

/**
 * The PDF cache as files `<key>.pdf` in a directory, for instances that share a
 * volume; written under a temporary name and renamed, so a reader never sees
 * half a file. It keeps the newest `entries` files.
 */
export function directoryPdfCache(dir: string, entries: number): PdfCache {
  return {
    async get(key) {
      checkKey(key);
      try {
        return await readFile(join(dir, `${key}.pdf`));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async put(key, pdf) {
      checkKey(key);
      await mkdir(dir, { recursive: true });
      const temporary = join(dir, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temporary, pdf);
        await rename(temporary, join(dir, `${key}.pdf`));
      } catch (error) {
        // A disk that filled up mid-write leaves no temporary file to fill it further.
        await unlink(temporary).catch(() => undefined);
        throw error;
      }
      const files = (await readdir(dir)).filter((name) => KEY.test(name.replace(/\.pdf$/, '')) && name.endsWith('.pdf'));
      if (files.length <= entries) return;
      const dated = await Promise.all(
        files.map(async (name) => ({ name, mtime: await stat(join(dir, name)).then((s) => s.mtimeMs, () => 0) })),
      );
      dated.sort((a, b) => b.mtime - a.mtime || b.name.localeCompare(a.name));
      for (const { name } of dated.slice(entries)) {
        await unlink(join(dir, name)).catch((error: unknown) => {
          if (!isMissing(error)) throw error;
        });
      }
    },
  };
}
