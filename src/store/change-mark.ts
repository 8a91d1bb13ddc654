import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { BEGIN_IMMEDIATE } from './sqlite-dialect.ts';

/**
 * A value that moves whenever a SQLite database may have changed: SQLite's
 * `data_version`, which moves when another connection commits (another
 * process, such as `npm run token -- revoke` beside the running service), with
 * a count of the writes this process has run on its own connection (its own
 * commits do not move `data_version`).
 *
 * `data_version` is read at most once per turn of the event loop, since reading
 * it costs about as much as a small query: a request is answered with what
 * the database held when the turn that reads it began.
 */
export class ChangeMark {
  private writes = 0;
  private version: number | undefined;
  private readonly dataVersion: SQLite.Statement<[], number>;

  constructor(sqlite: SQLite.Database) {
    this.dataVersion = sqlite.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** Shown every statement about to run on the connection. */
  noteStatement(statement: { readonly: boolean; source: string }): void {
    // `readonly`, not `reader`: an INSERT … RETURNING returns rows (a reader) and still writes. BEGIN IMMEDIATE
    // is not read-only to SQLite (it takes the write lock) but changes nothing; what the transaction writes counts.
    if (!statement.readonly && statement.source !== BEGIN_IMMEDIATE) this.writes++;
  }

  current(): string {
    if (this.version === undefined) {
      this.version = this.dataVersion.get()!;
      setImmediate(() => (this.version = undefined));
    }
    return `${this.version}:${this.writes}`;
  }
}

/** The change mark of each SQLite database: the Kysely instance itself, never one of its transactions. */
const marks = new WeakMap<Kysely<any>, ChangeMark>();

export function registerChangeMark(db: Kysely<any>, mark: ChangeMark): void {
  marks.set(db, mark);
}

/**
 * Reads remembered while their database's change mark stays where it was: the
 * reads every request repeats (its token, the case's stamp) cost no query while
 * nothing was written. Remembered per database (a process may open several,
 * as the tests do); only on SQLite and outside a transaction (a transaction's
 * `db` has no mark); on PostgreSQL every call reads.
 */
export class ReadMemo<V> {
  private readonly byDatabase = new WeakMap<ChangeMark, { mark: string; values: Map<string, V> }>();

  constructor(private readonly limit = 10_000) {}

  async get(db: Kysely<any>, key: string, read: () => Promise<V>): Promise<V> {
    const changeMark = marks.get(db);
    if (!changeMark) return read();
    const mark = changeMark.current();
    let memo = this.byDatabase.get(changeMark);
    if (memo?.mark !== mark) this.byDatabase.set(changeMark, (memo = { mark, values: new Map() }));
    if (memo.values.has(key)) return memo.values.get(key)!;
    // The mark was taken before the read: a change during the read moves it, and the next call starts afresh.
    const value = await read();
    if (this.byDatabase.get(changeMark) === memo && memo.values.size < this.limit) memo.values.set(key, value);
    return value;
  }
}
