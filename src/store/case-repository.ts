import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { AuditEntry } from '../cases/audit-chain.ts';
import { UniqueViolation } from '../cases/errors.ts';
import type { CaseRecord, CaseRepository, ExcerptRecord, ReviewKind, ReviewRecord, SignatureRecord, SourceRecord, UnitOfWork, VersionRecord } from '../cases/repository.ts';
import { CaseFile, Excerpt, Signatory, type CaseStatus } from '../evidence/case-file.ts';
import { SourceEntry } from '../sources/manifest.ts';
import { ReadMemo } from './change-mark.ts';
import { compiledInsert, compiledQuery } from './compiled-query.ts';
import type { Db } from './database.ts';
import { dialectOf, type Dialect } from './dialect.ts';
import type { Tables } from './tables.ts';

type Executor = Kysely<Tables> | Transaction<Tables>;

/** The part of a case kept in `cases.doc`: all but status, excerpts and signatories, which have their own columns and rows. */
function caseDoc(file: CaseFile): string {
  const { status: _s, excerpts: _e, signatories: _g, ...doc } = file;
  return JSON.stringify(doc);
}

/** A signature row's signatory as stored, before validation. */
function storedSignatory(row: Tables['signatures']): unknown {
  return {
    name: row.name,
    category: row.category,
    ...(row.affiliation ? { affiliation: row.affiliation } : {}),
    ...(row.signatory ? JSON.parse(row.signatory) : {}),
    ...(row.comment ? { comment: row.comment } : {}),
  };
}

function signatureRecord(row: Tables['signatures']): SignatureRecord {
  const signatory = Signatory.parse(storedSignatory(row));
  return { id: row.id, caseId: row.case_id, signerKey: row.signer_key, signatory, tokenId: row.token_id, createdAt: row.created_at, withdrawnAt: row.withdrawn_at };
}

function sourceRecord(row: Tables['sources']): SourceRecord {
  return { entry: SourceEntry.parse(JSON.parse(row.entry)), text: row.text, createdAt: row.created_at };
}

/*
 * The queries of a signature and of the case's stamp, which each request runs:
 * compiled once (./compiled-query.ts), run with each request's values.
 */
const lockCaseRow = compiledQuery((db, id: string) => db.selectFrom('cases').select('id').where('id', '=', id).forUpdate());
const caseStampRow = compiledQuery((db, id: string) =>
  db
    .selectFrom('cases')
    .select((eb) => [
      'status',
      'revision',
      'created_at',
      'updated_at',
      eb.selectFrom('audit_log').select('hash').whereRef('audit_log.case_id', '=', 'cases.id').orderBy('seq', 'desc').limit(1).as('audit'),
      eb.selectFrom('sources').select(eb.fn.countAll().as('n')).as('sources'),
    ])
    .where('id', '=', id),
);
/** Case stamps by case id while nothing was written to the database (see ReadMemo). */
const stamps = new ReadMemo<string | undefined>();
const updateCaseRow = compiledQuery((db, doc: string, status: string, revision: number, updatedAt: string, id: string) =>
  db.updateTable('cases').set({ doc, status, revision, updated_at: updatedAt }).where('id', '=', id),
);
const liveSignatureRow = compiledQuery((db, caseId: string, signerKey: string) =>
  db.selectFrom('signatures').selectAll().where('case_id', '=', caseId).where('signer_key', '=', signerKey).where('withdrawn_at', 'is', null),
);
const lastSignaturePosition = compiledQuery((db, caseId: string) =>
  db.selectFrom('signatures').select((eb) => eb.fn.coalesce(eb.fn.max('position'), eb.lit(0)).as('last')).where('case_id', '=', caseId),
);
const insertSignatureRow = compiledInsert('signatures', ['id', 'case_id', 'signer_key', 'category', 'name', 'affiliation', 'signatory', 'role', 'comment', 'token_id', 'position', 'created_at', 'withdrawn_at']);
const storedResponseRow = compiledQuery((db, tokenId: string, key: string) => db.selectFrom('idempotency_keys').selectAll().where('token_id', '=', tokenId).where('key', '=', key));
const insertResponseRow = compiledInsert('idempotency_keys', ['token_id', 'key', 'request_hash', 'status', 'body', 'headers', 'created_at']);
const lastAuditRow = compiledQuery((db, caseId: string) => db.selectFrom('audit_log').select('hash').where('case_id', '=', caseId).orderBy('seq', 'desc').limit(1));
const insertAuditRow = compiledInsert('audit_log', ['case_id', 'actor', 'action', 'at', 'before_hash', 'after_hash', 'detail', 'prev_hash', 'hash']);

/**
 * The driver's word for "a uniqueness rule refused this write" becomes the
 * domain's UniqueViolation: PostgreSQL's SQLSTATE 23505 (with the constraint's
 * name), SQLite's SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY (with the columns).
 */
export function translateDbError(error: unknown): unknown {
  if (error instanceof UniqueViolation || typeof error !== 'object' || error === null) return error;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code === '23505') return new UniqueViolation(typeof constraint === 'string' ? constraint : 'unique');
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new UniqueViolation(String(message).replace(/^UNIQUE constraint failed: /, ''));
  }
  return error;
}

/** PostgreSQL's SQLSTATEs for a transaction that lost to another and may simply run again. */
const RETRYABLE_SQLSTATES = new Set(['40001' /* serialization_failure */, '40P01' /* deadlock_detected */]);

function retryable(error: unknown): boolean {
  if (error instanceof UniqueViolation) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}

/** Every method of the repository, its driver errors translated. */
function translated(repo: CaseRepository): CaseRepository {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(repo) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    wrapped[name] = (...args: unknown[]) => method(...args).catch((error: unknown) => Promise.reject(translateDbError(error)));
  }
  return wrapped as unknown as CaseRepository;
}

/**
 * CaseRepository over Kysely: the same queries serve SQLite and PostgreSQL, and
 * the few places where they differ ask `dialect`.
 */
export function caseRepository(db: Executor, dialect: Dialect = dialectOf(db)): CaseRepository {
  let savepoints = 0;
  // The last signature position of each case this transaction has read or written: a group of signatures reads it once.
  // (A position left unused by a unit undone leaves a gap, which orders the same.)
  const lastPositions = new Map<string, number>();
  const repo: CaseRepository = {
    async nested(work) {
      // Savepoints nest and are released in order, so a counter names them apart.
      const name = `nested_${++savepoints}`;
      await db.executeQuery(CompiledQuery.raw(`savepoint ${name}`));
      try {
        const result = await work();
        await db.executeQuery(CompiledQuery.raw(`release savepoint ${name}`));
        return result;
      } catch (error) {
        // When the database has ended the whole transaction (SQLite does on some
        // I/O errors), there is no savepoint left: the work's error is the answer,
        // and the transaction fails when it commits.
        await db
          .executeQuery(CompiledQuery.raw(`rollback to savepoint ${name}`))
          .then(() => db.executeQuery(CompiledQuery.raw(`release savepoint ${name}`)))
          .catch(() => undefined);
        throw error;
      }
    },

    async lockCase(id) {
      // SQLite has one writer at a time already (and no FOR UPDATE); PostgreSQL
      // holds the row lock until commit, so a second writer of the case waits here
      // and then reads what the first one committed.
      if (dialect === 'postgres') await lockCaseRow(db, dialect, id);
    },

    async listCases() {
      // Byte order on both databases: PostgreSQL's default collation would sort `nso-group` after `nsoa` (it weighs hyphens last).
      const byId = dialect === 'postgres' ? sql`id collate "C"` : sql`id`;
      const rows = await db.selectFrom('cases').select(['id', 'doc', 'status', 'revision', 'updated_at']).orderBy(byId).execute();
      return rows.map((r) => {
        const { title, language } = JSON.parse(r.doc) as { title: string; language: string };
        return { id: r.id, title, language, status: r.status as CaseStatus, revision: r.revision, updatedAt: r.updated_at };
      });
    },

    async getCase(id) {
      const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      // The live rows, validated once, as part of the whole case.
      const excerpts = await db.selectFrom('excerpts').select('data').where('case_id', '=', id).where('withdrawn_at', 'is', null).orderBy('position').execute();
      const signatures = await db.selectFrom('signatures').selectAll().where('case_id', '=', id).where('withdrawn_at', 'is', null).orderBy('position').execute();
      const file = CaseFile.parse({ ...JSON.parse(row.doc), status: row.status, excerpts: excerpts.map((e) => JSON.parse(e.data) as unknown), signatories: signatures.map(storedSignatory) });
      return { file, revision: row.revision, createdAt: row.created_at, updatedAt: row.updated_at };
    },

    async caseStamp(id) {
      // One read of a few short values: the end of the case's audit chain (every change of the case through the
      // service appends to it, and its hash chains all the entries before), the row's status, revision and times
      // (every saved change sets updated_at), and how many sources there are (sources are only ever added).
      // Not the case's document itself (16 kB for the NSO case): reading and comparing it would cost more than the rest.
      // In a transaction `db` is the transaction, which has no change mark: every call reads.
      return stamps.get(db, id, async () => {
        const [row] = (await caseStampRow(db, dialect, id)).rows;
        if (!row) return undefined;
        return JSON.stringify([row.audit ?? null, row.status, row.revision, row.created_at, row.updated_at, Number(row.sources)]);
      });
    },

    async insertCase(record) {
      await db.insertInto('cases').values({ id: record.file.id, doc: caseDoc(record.file), status: record.file.status, revision: record.revision, created_at: record.createdAt, updated_at: record.updatedAt }).execute();
      for (const excerpt of record.file.excerpts) await repo.insertExcerpt(record.file.id, excerpt);
    },

    async saveCase(record) {
      await updateCaseRow(db, dialect, caseDoc(record.file), record.file.status, record.revision, record.updatedAt, record.file.id);
    },

    async listSources() {
      return (await db.selectFrom('sources').selectAll().orderBy('position').orderBy('id').execute()).map(sourceRecord);
    },
    async getSource(id) {
      const row = await db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
      return row && sourceRecord(row);
    },
    async findSourceBySha256(sha256) {
      const row = await db.selectFrom('sources').selectAll().where('sha256', '=', sha256).executeTakeFirst();
      return row && sourceRecord(row);
    },
    async insertSource({ entry, text, createdAt }) {
      const { next } = await db.selectFrom('sources').select((eb) => eb.fn.coalesce(eb.fn.max('position'), eb.lit(0)).as('next')).executeTakeFirstOrThrow();
      await db.insertInto('sources').values({ id: entry.id, sha256: entry.sha256, entry: JSON.stringify(entry), text, position: Number(next) + 1, created_at: createdAt }).execute();
    },

    async listExcerpts(caseId) {
      const rows = await db.selectFrom('excerpts').selectAll().where('case_id', '=', caseId).orderBy('position').execute();
      return rows.map((r): ExcerptRecord => ({ excerpt: Excerpt.parse(JSON.parse(r.data)), withdrawnAt: r.withdrawn_at }));
    },
    async insertExcerpt(caseId, excerpt) {
      const { next } = await db.selectFrom('excerpts').select((eb) => eb.fn.coalesce(eb.fn.max('position'), eb.lit(0)).as('next')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
      await db.insertInto('excerpts').values({ case_id: caseId, id: excerpt.id, source_id: excerpt.source, data: JSON.stringify(excerpt), position: Number(next) + 1, withdrawn_at: null }).execute();
    },
    async updateExcerpt(caseId, excerpt) {
      await db.updateTable('excerpts').set({ data: JSON.stringify(excerpt) }).where('case_id', '=', caseId).where('id', '=', excerpt.id).execute();
    },
    async withdrawExcerpt(caseId, id, at) {
      await db.updateTable('excerpts').set({ withdrawn_at: at }).where('case_id', '=', caseId).where('id', '=', id).execute();
    },

    async listSignatures(caseId) {
      return (await db.selectFrom('signatures').selectAll().where('case_id', '=', caseId).orderBy('position').execute()).map(signatureRecord);
    },
    async getSignature(caseId, id) {
      const row = await db.selectFrom('signatures').selectAll().where('case_id', '=', caseId).where('id', '=', id).executeTakeFirst();
      return row && signatureRecord(row);
    },
    async findLiveSignature(caseId, signerKey) {
      const [row] = (await liveSignatureRow(db, dialect, caseId, signerKey)).rows;
      return row && signatureRecord(row);
    },
    async insertSignature(record) {
      const position = (lastPositions.get(record.caseId) ?? Number((await lastSignaturePosition(db, dialect, record.caseId)).rows[0]!.last)) + 1;
      const { name, category, affiliation, signed_by, comment } = record.signatory;
      await insertSignatureRow(db, dialect, {
        id: record.id,
        case_id: record.caseId,
        signer_key: record.signerKey,
        category,
        name,
        affiliation: affiliation ?? null,
        signatory: JSON.stringify({ ...(signed_by ? { signed_by } : {}), ...(record.signatory.source ? { source: record.signatory.source } : {}) }),
        role: signed_by?.role ?? null,
        comment: comment ?? null,
        token_id: record.tokenId,
        position,
        created_at: record.createdAt,
        withdrawn_at: null,
      });
      lastPositions.set(record.caseId, position);
    },
    async withdrawSignature(caseId, id, at) {
      await db.updateTable('signatures').set({ withdrawn_at: at }).where('case_id', '=', caseId).where('id', '=', id).execute();
    },

    async getStoredResponse(tokenId, key) {
      const [row] = (await storedResponseRow(db, dialect, tokenId, key)).rows;
      return row && { requestHash: row.request_hash, status: row.status, body: row.body, headers: JSON.parse(row.headers) as Record<string, string> };
    },
    async storeResponse(tokenId, key, response, at) {
      await insertResponseRow(db, dialect, { token_id: tokenId, key, request_hash: response.requestHash, status: response.status, body: response.body, headers: JSON.stringify(response.headers), created_at: at });
    },

    async listRejections(sourceId) {
      const rows = await db.selectFrom('suggestion_rejections').selectAll().where('source_id', '=', sourceId).orderBy('at').execute();
      return rows.map((r) => ({ sourceId: r.source_id, suggestionId: r.suggestion_id, start: r.start_at, end: r.end_at, rejectedBy: r.rejected_by, reason: r.reason, at: r.at }));
    },
    async insertRejection(r) {
      await db
        .insertInto('suggestion_rejections')
        .values({ source_id: r.sourceId, suggestion_id: r.suggestionId, start_at: r.start, end_at: r.end, rejected_by: r.rejectedBy, reason: r.reason, at: r.at })
        .onConflict((oc) => oc.columns(['source_id', 'suggestion_id']).doNothing())
        .execute();
    },

    async listReviews(caseId) {
      const rows = await db.selectFrom('reviews').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
      return rows.map((r): ReviewRecord => ({ id: r.id, caseId: r.case_id, tokenId: r.token_id, reviewer: r.reviewer, kind: r.kind as ReviewKind, excerptId: r.excerpt_id, text: r.text, revision: r.revision, createdAt: r.created_at }));
    },
    async insertReview(r) {
      await db.insertInto('reviews').values({ id: r.id, case_id: r.caseId, token_id: r.tokenId, reviewer: r.reviewer, kind: r.kind, excerpt_id: r.excerptId, text: r.text, revision: r.revision, created_at: r.createdAt }).execute();
    },

    async listAudit(caseId) {
      const rows = await db.selectFrom('audit_log').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
      return rows.map((r): AuditEntry => ({ seq: r.seq, caseId: r.case_id, actor: r.actor, action: r.action, at: r.at, beforeHash: r.before_hash, afterHash: r.after_hash, detail: JSON.parse(r.detail), prevHash: r.prev_hash, hash: r.hash }));
    },
    async lastAuditHash(caseId) {
      const [row] = (await lastAuditRow(db, dialect, caseId)).rows;
      return row?.hash;
    },
    async appendAudit(e) {
      await insertAuditRow(db, dialect, { case_id: e.caseId, actor: e.actor, action: e.action, at: e.at, before_hash: e.beforeHash, after_hash: e.afterHash, detail: JSON.stringify(e.detail), prev_hash: e.prevHash, hash: e.hash });
    },

    async listVersions(caseId) {
      const rows = await db.selectFrom('versions').select(['case_id', 'n', 'revision', 'sha256', 'created_at']).where('case_id', '=', caseId).orderBy('n').execute();
      return rows.map((r): VersionRecord => ({ caseId: r.case_id, n: r.n, revision: r.revision, sha256: r.sha256, createdAt: r.created_at }));
    },
    async getVersionPdf(caseId, n) {
      const row = await db.selectFrom('versions').selectAll().where('case_id', '=', caseId).where('n', '=', n).executeTakeFirst();
      return row && { version: { caseId: row.case_id, n: row.n, revision: row.revision, sha256: row.sha256, createdAt: row.created_at }, pdf: row.pdf };
    },
    async insertVersion(v, pdf) {
      await db.insertInto('versions').values({ case_id: v.caseId, n: v.n, revision: v.revision, sha256: v.sha256, pdf: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength), created_at: v.createdAt }).execute();
    },
  };
  return translated(repo);
}

/** How often a transaction that lost a race runs before its error is the answer. */
const ATTEMPTS = 4;

/**
 * Transactions over the database. A transaction that lost a race to another
 * writer (a unique violation, or on PostgreSQL a deadlock or serialization
 * failure) is rolled back and run again: the second run sees what the winner
 * committed and answers as the rules say (already signed, a replay, exists).
 */
export function unitOfWork(db: Db): UnitOfWork {
  const dialect = dialectOf(db);
  // Built once: a repository is thirty functions wrapped anew, which cost a conditional download more than its read.
  // Shared by every read outside a transaction, which only ever reads (its per-transaction caches stay empty).
  const outside = caseRepository(db, dialect);
  return {
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute((tx) => work(caseRepository(tx, dialect)));
        } catch (error) {
          const translatedError = translateDbError(error);
          if (attempt >= ATTEMPTS || !retryable(translatedError)) throw translatedError;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
        }
      }
    },
    async readOnce(work) {
      try {
        return await work(outside);
      } catch (error) {
        throw translateDbError(error);
      }
    },
  };
}
