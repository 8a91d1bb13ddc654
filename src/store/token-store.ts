import { randomBytes } from 'node:crypto';
import { bindingProblems, cleanName, generateToken, hashToken, Role, type Principal } from '../auth/tokens.ts';
import { ProblemsError } from '../shared/problems.ts';
import { ReadMemo } from './change-mark.ts';
import { compiledQuery } from './compiled-query.ts';
import type { Db } from './database.ts';
import { dialectOf } from './dialect.ts';
import type { Tables } from './tables.ts';

/** A token as it may be shown: everything but the secret, which is never stored. */
export interface TokenRecord {
  id: string;
  role: Role;
  organisation?: string;
  person?: string;
  createdAt: string;
  revokedAt?: string;
}

export interface NewToken {
  role: Role;
  organisation?: string | undefined;
  person?: string | undefined;
  now: Date;
}

function toRecord(row: Tables['tokens']): TokenRecord {
  return {
    id: row.id,
    role: Role.parse(row.role),
    ...(row.organisation !== null && { organisation: row.organisation }),
    ...(row.person !== null && { person: row.person }),
    createdAt: row.created_at,
    ...(row.revoked_at !== null && { revokedAt: row.revoked_at }),
  };
}

/**
 * Creates a token and returns its secret, which exists only in this answer: the
 * table keeps its SHA-256. Raises a ProblemsError (paths `role`, `organisation`,
 * `person`) when the role and binding do not fit together.
 */
export async function createToken(db: Db, input: NewToken): Promise<{ token: string; record: TokenRecord }> {
  const problems = bindingProblems(input);
  if (problems.length) throw new ProblemsError('token', problems);
  const token = generateToken();
  const row: Tables['tokens'] = {
    id: `tok_${randomBytes(6).toString('hex')}`,
    sha256: hashToken(token),
    role: input.role,
    organisation: cleanName(input.organisation) ?? null,
    person: cleanName(input.person) ?? null,
    created_at: input.now.toISOString(),
    revoked_at: null,
  };
  await db.insertInto('tokens').values(row).execute();
  return { token, record: toRecord(row) };
}

const activeToken = compiledQuery((db: Db, sha256: string) =>
  db.selectFrom('tokens').select(['id', 'role', 'organisation', 'person']).where('sha256', '=', sha256).where('revoked_at', 'is', null),
);

/** Principals by token hash while nothing was written to the database (see ReadMemo). */
const principals = new ReadMemo<Principal | undefined>();

/**
 * The principal a presented token stands for, or undefined when it is unknown or
 * revoked: one indexed read (of a query compiled once), or on SQLite that
 * read's answer while the database has not changed since. Revoking a token
 * changes the database, from this process or any other, so a revoked token is
 * refused at its next request.
 */
export async function findActiveToken(db: Db, token: string): Promise<Principal | undefined> {
  const sha256 = hashToken(token);
  return principals.get(db, sha256, async () => {
    const [row] = (await activeToken(db, dialectOf(db), sha256)).rows;
    if (!row) return undefined;
    return Object.freeze({
      tokenId: row.id,
      role: Role.parse(row.role),
      ...(row.organisation !== null && { organisation: row.organisation }),
      ...(row.person !== null && { person: row.person }),
    });
  });
}

/** Every token, oldest first, without hashes. */
export async function listTokens(db: Db): Promise<TokenRecord[]> {
  const rows = await db.selectFrom('tokens').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toRecord);
}

/** Revokes a token from `now` on; false when there is no such token or it was already revoked. */
export async function revokeToken(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('tokens')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
