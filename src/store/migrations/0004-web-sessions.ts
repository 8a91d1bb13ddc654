import type { Kysely } from 'kysely';

/**
 * The web pages' sessions and the service's own secrets. A session is stored
 * under the SHA-256 of its id (the cookie holds the id, signed), so that the
 * table alone opens no session; secrets (the cookie-signing key when
 * SESSION_SECRET is not set) are made once and shared by every instance.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('service_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('web_sessions')
    .addColumn('id_sha256', 'text', (c) => c.primaryKey())
    .addColumn('token_id', 'text', (c) => c.notNull().references('tokens.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('web_sessions_expires_at').on('web_sessions').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('web_sessions').execute();
  await db.schema.dropTable('service_secrets').execute();
}
