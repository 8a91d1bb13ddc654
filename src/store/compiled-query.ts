import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Dialect } from './dialect.ts';
import type { Tables } from './tables.ts';

/** What stands for argument `i` while the query is compiled: no argument can be this text. */
const placeholder = (i: number) => `\u0000compiled-query-argument-${i}\u0000`;

interface Compiled {
  sql: string;
  /** Each parameter of the SQL: an argument's index, or a value of the query itself (a limit). */
  parameters: Array<{ argument: number } | { value: unknown }>;
}

/**
 * A query written with Kysely's builder, compiled once per dialect and then run
 * with new arguments. Building and compiling costs about three times what
 * running one of the service's small queries costs on SQLite (about 27 µs
 * against 8 here): the queries every request runs (the token, the steps of a
 * signature, the case's stamp) are compiled once.
 *
 * `build` is called once per dialect, with placeholders for the arguments, so
 * the SQL must not depend on their values (no lists, no null becoming IS NULL);
 * an argument that does not become a parameter is refused when first compiled.
 */
export function compiledQuery<A extends unknown[], R>(build: (db: Kysely<Tables>, ...args: A) => Compilable<R>) {
  const byDialect = new Map<Dialect, Compiled>();
  return (db: Kysely<Tables>, dialect: Dialect, ...args: A): Promise<QueryResult<R>> => {
    let compiled = byDialect.get(dialect);
    if (!compiled) {
      const placeholders = args.map((_, i) => placeholder(i));
      const query = build(db, ...(placeholders as A)).compile();
      const parameters = query.parameters.map((p) => {
        const argument = placeholders.indexOf(p as string);
        return argument >= 0 ? { argument } : { value: p };
      });
      const missing = placeholders.findIndex((_, i) => !parameters.some((p) => 'argument' in p && p.argument === i));
      if (missing >= 0) throw new Error(`argument ${missing} is not a parameter of the compiled query ${query.sql}`);
      byDialect.set(dialect, (compiled = { sql: query.sql, parameters }));
    }
    const { sql, parameters } = compiled;
    return db.executeQuery<R>(CompiledQuery.raw(sql, parameters.map((p) => ('argument' in p ? args[p.argument] : p.value))));
  };
}

/** An insert of one row into `table`, compiled once: the row's columns, in the order given, are its parameters. */
export function compiledInsert<T extends keyof Tables & string>(table: T, columns: ReadonlyArray<keyof Tables[T] & string>) {
  const insert = compiledQuery((db: Kysely<Tables>, ...values: unknown[]) =>
    db.insertInto(table).values(Object.fromEntries(columns.map((column, i) => [column, values[i]])) as never),
  );
  return (db: Kysely<Tables>, dialect: Dialect, row: { [C in keyof Tables[T] & string]?: unknown }) => insert(db, dialect, ...columns.map((column) => row[column]));
}
