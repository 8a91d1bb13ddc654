import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { ChangeMark } from './change-mark.ts';

/**
 * The SQLite database as Kysely sees it, with its prepared statements kept:
 * Kysely prepares every query it runs, and preparing costs more than running
 * most of the service's queries. The same text gets the same statement; past
 * `size`, the least recently run is dropped. Safe because Kysely runs one query
 * at a time on SQLite and the service never streams a query (an open iterator
 * would keep its statement busy). Every statement is shown to `changeMark`,
 * which counts the writes.
 */
export function withStatementCache(sqlite: SQLite.Database, changeMark: ChangeMark, size = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  const cached = (sql: string): SQLite.Statement => {
    let statement = statements.get(sql);
    if (statement) {
      // Moved to the newest end: what is dropped is the least recently run, never a statement every request runs.
      statements.delete(sql);
      statements.set(sql, statement);
      return statement;
    }
    statement = sqlite.prepare(sql);
    statements.set(sql, statement);
    if (statements.size > size) statements.delete(statements.keys().next().value!);
    return statement;
  };
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      // Kysely prepares every statement right before it runs it: where each write is seen.
      const statement = cached(sql);
      changeMark.noteStatement(statement);
      return statement as unknown as SqliteStatement;
    },
  };
}
