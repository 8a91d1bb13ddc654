import { sql, type Kysely } from 'kysely';

/**
 * Who gave each review, as the audit log names them (`reviewer:Jane Doe`, or
 * `reviewer:tok_…` for a token that names no one): approvals are counted per
 * reviewer, not per token, so that one person holding two tokens approves once.
 * Reviews given before are by their token, which is what the audit log says of them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reviews').addColumn('reviewer', 'text', (c) => c.notNull().defaultTo('')).execute();
  await sql`UPDATE reviews SET reviewer = 'reviewer:' || token_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reviews').dropColumn('reviewer').execute();
}
