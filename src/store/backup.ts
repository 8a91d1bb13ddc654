import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';

/** Why a backup was not made, in one line a person can act on. */
export class BackupError extends Error {}

export interface BackupResult {
  source: string;
  destination: string;
  pages: number;
  bytes: number;
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** Refuses a destination that cannot or must not be written, before any work is done. */
async function checkDestination(source: string, destination: string, force: boolean): Promise<void> {
  if ([source, `${source}-wal`, `${source}-shm`, `${source}-journal`].includes(destination)) {
    throw new BackupError(`${destination} is the database itself: write the backup somewhere else`);
  }
  const existing = await stat(destination).catch(() => undefined);
  if (existing?.isDirectory()) throw new BackupError(`${destination} is a directory: name the file to write`);
  if (existing && !force) throw new BackupError(`${destination} already exists: choose another name, or add --force to replace it`);
  const dir = dirname(destination);
  const parent = await stat(dir).catch((error: unknown) => {
    throw new BackupError(`cannot write ${destination}: its directory ${dir} does not exist (${errorCode(error)})`);
  });
  if (!parent.isDirectory()) throw new BackupError(`cannot write ${destination}: ${dir} is not a directory`);
  await access(dir, constants.W_OK).catch((error: unknown) => {
    throw new BackupError(`cannot write ${destination}: the directory ${dir} is not writable (${errorCode(error)})`);
  });
}

/**
 * A consistent copy of the SQLite database `source` in `destination`, taken
 * while the service runs and writes. SQLite's backup API copies every page in
 * one step inside one read transaction, so the copy is the database as one
 * commit left it (WAL mode lets the service keep writing meanwhile). The
 * source is opened read-only; the copy is written next to the destination,
 * turned into one self-contained file (no -wal beside it), checked with
 * `integrity_check`, and only then moved into place: a failed backup never
 * leaves a partial file under the destination's name.
 */
export async function backupSqlite(sourcePath: string, destinationPath: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  const source = resolve(sourcePath);
  const destination = resolve(destinationPath);
  const found = await stat(source).catch(() => undefined);
  if (!found?.isFile()) throw new BackupError(`there is no database at ${source}: run this with the DATA_DIR (or DATABASE_URL) of the service`);
  await checkDestination(source, destination, options.force ?? false);

  const partial = join(dirname(destination), `.${basename(destination)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    let pages: number;
    const live = new SQLite(source, { readonly: true, fileMustExist: true });
    try {
      live.pragma('busy_timeout = 5000');
      // better-sqlite3's first step copies nothing; the progress callback then asks for every page in the
      // next: one step, one read transaction, one consistent state.
      ({ totalPages: pages } = await live.backup(partial, { progress: () => 0x7fffffff }));
    } finally {
      live.close();
    }
    const copy = new SQLite(partial);
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new BackupError(`the copy failed its integrity check (${String(check)}); the database was not changed`);
    } finally {
      copy.close();
    }
    if (options.force) await rename(partial, destination);
    else await link(partial, destination).then(() => rm(partial));
    const dir = await open(dirname(destination), 'r');
    await dir.sync().finally(() => dir.close());
    return { source, destination, pages, bytes: (await stat(destination)).size };
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof BackupError) throw error;
    if (errorCode(error) === 'EEXIST') throw new BackupError(`${destination} appeared while the backup ran: nothing was replaced`);
    throw new BackupError(`the backup of ${source} failed: ${(error as Error).message.split('\n')[0]}`);
  }
}
