import { randomBytes } from 'node:crypto';
import { bindingProblems, cleanName, generateToken, hashToken, principalLabel, Role, type Principal } from '../auth/tokens.ts';
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

/**
 * Names the person who holds an editor or reviewer token that names no one yet,
 * and gives that person the token's earlier reviews: an approval given with the
 * token before it was named stays theirs, so they cannot approve the same
 * revision again under their name. A name is given once; a partner's binding is
 * who signs, and never changes. Raises a ProblemsError (paths `id`, `person`)
 * and changes nothing when the token cannot take the name.
 */
export async function nameToken(db: Db, id: string, person: string): Promise<{ record: TokenRecord; reviews: number }> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new ProblemsError('token', [{ code: 'unknown_token', path: 'id', message: `there is no token "${id}"` }]);
    const role = Role.parse(row.role);
    if (role === 'partner') {
      throw new ProblemsError('token', [{ code: 'partner_binding', path: 'id', message: `${id} is a partner's token: its ${row.organisation !== null ? 'organisation' : 'person'} is who signs, and is not renamed` }]);
    }
    if (row.person !== null) throw new ProblemsError('token', [{ code: 'already_named', path: 'person', message: `${id} already names ${row.person}; a name is given once` }]);
    const problems = bindingProblems({ role, person });
    if (problems.length) throw new ProblemsError('token', problems);
    const named = { ...row, person: cleanName(person)! };
    await tx.updateTable('tokens').set({ person: named.person }).where('id', '=', id).execute();
    const reviewer = principalLabel({ tokenId: id, role, person: named.person });
    const result = await tx.updateTable('reviews').set({ reviewer }).where('token_id', '=', id).executeTakeFirst();
    return { record: toRecord(named), reviews: Number(result.numUpdatedRows) };
  });
}
