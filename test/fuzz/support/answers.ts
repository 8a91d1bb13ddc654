import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Test } from 'tap';
import { PROBLEM_TYPE_BASE } from '../../../src/http/problem.ts';
import { dialectOf, type Db } from '../../../src/store/database.ts';

const tableNames = new WeakMap<Db, string[]>();

/** The tables of the service's schema, looked up once per database (no request creates a table). */
async function tablesOf(db: Db): Promise<string[]> {
  const known = tableNames.get(db);
  if (known) return known;
  let tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (dialectOf(db) === 'postgres') {
    // The suite's PostgreSQL holds one schema per test: only this test's tables count.
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    tables = tables.filter((table) => table.schema === rows[0]?.schema);
  }
  const names = tables.map((table) => table.name).sort();
  tableNames.set(db, names);
  return names;
}

/**
 * The fingerprint of everything stored: every row of every table of the
 * service's schema, hashed. Equal fingerprints mean an unchanged database.
 */
export async function databaseFingerprint(db: Db): Promise<string> {
  const hash = createHash('sha256');
  for (const table of await tablesOf(db)) {
    const rows = await db.selectFrom(table as never).selectAll().execute();
    const lines = rows.map((row) => JSON.stringify(row, (_key, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : typeof value === 'bigint' ? String(value) : value)));
    hash.update(`${table}\n${lines.sort().join('\n')}\n`);
  }
  return hash.digest('hex');
}

export interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/**
 * Why an answer breaks the contract, or undefined when it keeps it: never a 5xx;
 * every 4xx is RFC 9457 problem+json with type, title, status and detail; no
 * stack trace in any answer.
 */
export function contractBreach(res: Answer): string | undefined {
  if (res.statusCode >= 500) return `a server error ${res.statusCode}: ${res.body.slice(0, 500)}`;
  if (/ {4}at |node:internal|\.ts:\d+:\d+/.test(res.body)) return `the answer shows a stack trace: ${res.body.slice(0, 500)}`;
  if (res.statusCode < 400) return undefined;
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) return `a ${res.statusCode} answered as "${type}", not application/problem+json: ${res.body.slice(0, 300)}`;
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    return `a ${res.statusCode} problem whose body is not JSON: ${res.body.slice(0, 300)}`;
  }
  if (typeof doc.type !== 'string' || !doc.type.startsWith(PROBLEM_TYPE_BASE)) return `problem without a stable type: ${res.body.slice(0, 300)}`;
  if (typeof doc.title !== 'string' || !doc.title) return `problem without a title: ${res.body.slice(0, 300)}`;
  if (doc.status !== res.statusCode) return `problem whose status ${String(doc.status)} is not the answer's ${res.statusCode}`;
  if (typeof doc.detail !== 'string' || !doc.detail) return `problem without a detail: ${res.body.slice(0, 300)}`;
  return undefined;
}

/** The fixed seed of a property (FUZZ_SEED overrides every one of them, to explore). */
export function seedOf(fixed: number): number {
  return process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : fixed;
}

/**
 * Runs a property with its seed, printed so that a failure can be replayed; the
 * counterexample (shrunk) and the replay path are in the failure's message.
 */
export async function holds<T>(t: Test, name: string, fixedSeed: number, numRuns: number, arbitrary: fc.Arbitrary<T>, property: (value: T) => Promise<void>): Promise<void> {
  const seed = seedOf(fixedSeed);
  const started = Date.now();
  const result = await fc.check(fc.asyncProperty(arbitrary, property), { seed, numRuns, endOnFailure: false });
  const note = `${result.numRuns} runs, seed ${seed}, ${Date.now() - started} ms`;
  if (result.failed) t.fail(`${name} (${note}): ${(result.errorInstance as Error | undefined)?.message ?? ''}\n${fc.defaultReportMessage(result) ?? ''}`);
  else t.pass(`${name} (${note})`);
}
