import type { Kysely } from 'kysely';

/**
 * Indexes for what every change of a case reads: its signatures and excerpts in
 * order (and the next position, their maximum), and the last entry of its audit
 * log. Without them each of these reads the whole table, and signing slows down
 * as signatures accumulate.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('signatures_case_position').on('signatures').columns(['case_id', 'position']).execute();
  await db.schema.createIndex('excerpts_case_position').on('excerpts').columns(['case_id', 'position']).execute();
  await db.schema.createIndex('audit_log_case_seq').on('audit_log').columns(['case_id', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['audit_log_case_seq', 'excerpts_case_position', 'signatures_case_position']) await db.schema.dropIndex(index).execute();
}
