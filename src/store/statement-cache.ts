import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * The SQLite database as Kysely sees it, with its prepared statements kept:
 * Kysely prepares every query it runs, and preparing costs more than running
 * most of the service's queries. The same text gets the same statement; the
 * oldest are dropped past `size`. Safe because Kysely runs one query at a time
 * on SQLite and the service never streams a query (an open iterator would keep
 * its statement busy).
 */
export function withStatementCache(sqlite: SQLite.Database, size = 500): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement) return statement;
      statement = sqlite.prepare(sql) as unknown as SqliteStatement;
      statements.set(sql, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
