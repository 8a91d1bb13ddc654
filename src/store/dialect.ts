import { PostgresAdapter, type Kysely } from 'kysely';

/** The two databases the store speaks to; the SQL they share is written once, what differs asks this. */
export type Dialect = 'sqlite' | 'postgres';

/** Which database a Kysely instance (or a transaction of it) talks to. */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//.test(url);
}
