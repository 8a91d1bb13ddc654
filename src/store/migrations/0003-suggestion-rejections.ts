import type { Kysely } from 'kysely';

/** Suggestions of the mapper that an editor rejected, remembered per source so they are not suggested again. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('suggestion_rejections')
    .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id'))
    .addColumn('suggestion_id', 'text', (c) => c.notNull())
    .addColumn('start_at', 'integer', (c) => c.notNull())
    .addColumn('end_at', 'integer', (c) => c.notNull())
    .addColumn('rejected_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('suggestion_rejections_pk', ['source_id', 'suggestion_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('suggestion_rejections').execute();
}
