import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * Rendered draft PDFs, keyed by the SHA-256 of their dossier model (the ETag):
 * whichever instance renders a dossier first, every instance serves the same bytes.
 * Bounded by the service, which keeps the newest entries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pdf_cache')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('bytes', dialectOf(db) === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pdf_cache_created_at').on('pdf_cache').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pdf_cache').execute();
}
