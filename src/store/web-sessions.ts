import { randomBytes } from 'node:crypto';
import { Role, type Principal } from '../auth/tokens.ts';
import { sha256Hex } from '../shared/hash.ts';
import type { Db } from './database.ts';

/** The tables of migration 0004, seen next to the others. */
type WebTables = {
  service_secrets: { name: string; value: string; created_at: string };
  web_sessions: { id_sha256: string; token_id: string; created_at: string; expires_at: string };
};

const tables = (db: Db) => db.withTables<WebTables>();

/**
 * A secret of the service by name: the stored one, or `make()` stored now. Two
 * instances starting together both insert; the database keeps the first and
 * both read it back, so every instance ends up with the same secret.
 */
export async function sharedSecret(db: Db, name: string, make: () => string, now: Date): Promise<string> {
  await tables(db)
    .insertInto('service_secrets')
    .values({ name, value: make(), created_at: now.toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await tables(db).selectFrom('service_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

export interface WebSession {
  /** The SHA-256 of the session id: what the table knows, and what CSRF tokens are bound to. */
  idSha256: string;
  principal: Principal;
  expiresAt: string;
}

/**
 * Opens a session for a token until `expiresAt`; returns the id, which only the
 * cookie holds (the table keeps its SHA-256). Expired sessions are removed here,
 * so the table stays as small as the sessions in use.
 */
export async function createWebSession(db: Db, tokenId: string, now: Date, expiresAt: Date): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await tables(db).deleteFrom('web_sessions').where('expires_at', '<=', now.toISOString()).execute();
  await tables(db)
    .insertInto('web_sessions')
    .values({ id_sha256: sha256Hex(id), token_id: tokenId, created_at: now.toISOString(), expires_at: expiresAt.toISOString() })
    .execute();
  return id;
}

/** The session with this id while it runs and its token is not revoked; otherwise undefined. */
export async function findWebSession(db: Db, id: string, now: Date): Promise<WebSession | undefined> {
  const row = await tables(db)
    .selectFrom('web_sessions')
    .innerJoin('tokens', 'tokens.id', 'web_sessions.token_id')
    .select(['web_sessions.id_sha256', 'web_sessions.expires_at', 'tokens.id', 'tokens.role', 'tokens.organisation', 'tokens.person'])
    .where('web_sessions.id_sha256', '=', sha256Hex(id))
    .where('web_sessions.expires_at', '>', now.toISOString())
    .where('tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    idSha256: row.id_sha256,
    expiresAt: row.expires_at,
    principal: {
      tokenId: row.id,
      role: Role.parse(row.role),
      ...(row.organisation !== null && { organisation: row.organisation }),
      ...(row.person !== null && { person: row.person }),
    },
  };
}

/** Ends a session (signing out); nothing when there is none. */
export async function deleteWebSession(db: Db, id: string): Promise<void> {
  await tables(db).deleteFrom('web_sessions').where('id_sha256', '=', sha256Hex(id)).execute();
}
