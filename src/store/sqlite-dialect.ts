import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type SqliteDialectConfig } from 'kysely';

/**
 * Kysely's SQLite dialect with two changes, both for a database that another
 * process (a command such as `npm run token`, or an instance starting) may
 * write at the same moment:
 *
 * - Transactions begin IMMEDIATE: each takes the write lock first, waiting for
 *   another writer up to busy_timeout, rather than reading first and failing
 *   with SQLITE_BUSY when another process committed before its first write.
 *   Within the process nothing changes: Kysely runs one statement at a time on
 *   its one connection.
 * - Migrations run in one transaction, as on PostgreSQL: SQLite rolls back
 *   schema changes, so a migration cut short (the process killed, the disk
 *   full) leaves the database as it was, not half made and unable to start.
 *   Kysely's SQLite adapter says otherwise, and then runs each statement alone.
 */
export class LockingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** How every transaction on SQLite begins. */
export const BEGIN_IMMEDIATE = 'begin immediate';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(BEGIN_IMMEDIATE));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
