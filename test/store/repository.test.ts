import t from 'tap';
import { UniqueViolation } from '../../src/cases/errors.ts';
import type { SignatureRecord } from '../../src/cases/repository.ts';
import { caseRepository, translateDbError, unitOfWork } from '../../src/store/case-repository.ts';
import { dialectOf, openDatabase, type Db } from '../../src/store/database.ts';
import { POSTGRES_URL, testDatabase } from '../helpers/database.ts';

/** A fresh database of the kind the suite runs on (SQLite, or PostgreSQL with DATABASE_URL), every query's SQL recorded. */
async function database(t: Parameters<typeof testDatabase>[0]): Promise<{ db: Db; queries: string[] }> {
  const settings = await testDatabase(t, 'repository-');
  const queries: string[] = [];
  const db = await openDatabase({ dataDir: settings.dataDir, databaseUrl: settings.databaseUrl, log: (q) => queries.push(q) });
  t.teardown(() => db.destroy());
  return { db, queries };
}

const AT = '2026-11-23T10:00:00.000Z';

async function insertCase(db: Db, id = 'case-a'): Promise<void> {
  await db.insertInto('cases').values({ id, doc: JSON.stringify({ id, title: 'A case' }), status: 'draft', revision: 1, created_at: AT, updated_at: AT }).execute();
}

function signature(id: string, signerKey: string, caseId = 'case-a'): SignatureRecord {
  return {
    id,
    caseId,
    signerKey,
    signatory: { name: 'Access Now', category: 'organisation', signed_by: { name: 'Jane Doe', role: 'Director' } },
    tokenId: 'tok_000000000001',
    createdAt: AT,
    withdrawnAt: null,
  };
}

t.test(`the repository knows its dialect: ${POSTGRES_URL ? 'PostgreSQL locks the case row with FOR UPDATE' : 'SQLite, which has one writer at a time, is never sent FOR UPDATE'}`, async (t) => {
  const { db, queries } = await database(t);
  t.equal(dialectOf(db), POSTGRES_URL ? 'postgres' : 'sqlite');
  await insertCase(db);
  queries.length = 0;
  await unitOfWork(db).transaction(async (repo) => {
    await repo.lockCase('case-a');
    await repo.lockCase('no-such-case');
  });
  const locks = queries.filter((q) => /for update/i.test(q));
  if (POSTGRES_URL) {
    t.equal(locks.length, 2, 'one SELECT … FOR UPDATE per lock');
    t.match(locks[0], /^select "id" from "cases" where "id" = \$1 for update$/);
  } else {
    t.same(locks, [], 'no FOR UPDATE');
  }
  t.notOk(queries.some((q) => /for update/i.test(q)) && !POSTGRES_URL);
});

t.test('a second live signature of one signer is a UniqueViolation naming the partial unique index; a withdrawn one is not', async (t) => {
  const { db } = await database(t);
  await insertCase(db);
  const uow = unitOfWork(db);
  await uow.transaction((repo) => repo.insertSignature(signature('sig_0000000000000001', 'organisation:access now')));
  let attempts = 0;
  const error = await uow
    .transaction(async (repo) => {
      attempts++;
      await repo.insertSignature(signature('sig_0000000000000002', 'organisation:access now'));
    })
    .catch((e: unknown) => e);
  t.ok(error instanceof UniqueViolation, 'the driver error became the domain error');
  t.match((error as UniqueViolation).constraint, POSTGRES_URL ? 'signatures_live_signer' : 'signatures.case_id, signatures.signer_key');
  t.equal((error as UniqueViolation).kind, 'conflict', 'answered as 409 if it is still there after the retries');
  t.equal(attempts, 4, 'the transaction ran again, in case it lost a race, then gave up');
  t.equal((await db.selectFrom('signatures').selectAll().execute()).length, 1, 'nothing of the failed attempts stayed');

  await uow.transaction((repo) => repo.withdrawSignature('case-a', 'sig_0000000000000001', AT));
  await uow.transaction((repo) => repo.insertSignature(signature('sig_0000000000000003', 'organisation:access now')));
  t.equal((await db.selectFrom('signatures').selectAll().where('withdrawn_at', 'is', null).execute()).length, 1, 'after withdrawal the signer may sign again');
});

t.test('a second answer for one idempotency key is a UniqueViolation', async (t) => {
  const { db } = await database(t);
  const repo = caseRepository(db);
  const response = { requestHash: 'h', status: 201, body: '{}', headers: { location: '/x' } };
  await repo.storeResponse('tok_000000000001', 'key-1', response, AT);
  const error = await repo.storeResponse('tok_000000000001', 'key-1', response, AT).catch((e: unknown) => e);
  t.ok(error instanceof UniqueViolation);
  t.match((error as UniqueViolation).constraint, POSTGRES_URL ? 'idempotency_pk' : 'idempotency_keys.token_id, idempotency_keys.key');
  await repo.storeResponse('tok_000000000002', 'key-1', response, AT);
  t.pass('the same key of another token is another key');
});

t.test('a transaction that lost a race runs again and then sees the winner', async (t) => {
  const { db } = await database(t);
  await insertCase(db);
  const uow = unitOfWork(db);
  let attempts = 0;
  const result = await uow.transaction(async (repo) => {
    attempts++;
    if (await repo.findLiveSignature('case-a', 'organisation:access now')) return 'already signed';
    // Another writer signs for the same organisation between our check and our insert.
    // (Only PostgreSQL can be shown this: on SQLite the transaction holds the one connection, and no other writer can come between.)
    if (attempts === 1 && POSTGRES_URL) await db.insertInto('signatures').values({ id: 'sig_winner', case_id: 'case-a', signer_key: 'organisation:access now', category: 'organisation', name: 'Access Now', affiliation: null, signatory: null, role: null, comment: null, token_id: null, position: 1, created_at: AT, withdrawn_at: null }).execute().catch(() => {});
    await repo.insertSignature(signature('sig_loser', 'organisation:access now'));
    return 'signed';
  }).catch((e: unknown) => e);
  if (POSTGRES_URL) {
    // On PostgreSQL the other writer is another connection: it commits, our insert meets its row.
    t.equal(result, 'already signed', 'the second run found the winner');
    t.equal(attempts, 2);
  } else {
    t.equal(result, 'signed');
    t.equal(attempts, 1);
  }
});

t.test('driver errors other than unique violations pass through untouched', async (t) => {
  const other = Object.assign(new Error('syntax error'), { code: '42601' });
  t.equal(translateDbError(other), other);
  t.equal(translateDbError(undefined), undefined);
  const pg = translateDbError(Object.assign(new Error('duplicate key value violates unique constraint "x"'), { code: '23505', constraint: 'x' }));
  t.ok(pg instanceof UniqueViolation);
  t.equal((pg as UniqueViolation).constraint, 'x');
  const sqlite = translateDbError(Object.assign(new Error('UNIQUE constraint failed: tokens.sha256'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }));
  t.equal((sqlite as UniqueViolation).constraint, 'tokens.sha256');
  t.notMatch((sqlite as Error).message, /UNIQUE|tokens|sqlite/i, 'the message a client may see names no table');
});

t.test('frozen PDFs and cached PDFs keep their bytes exactly (blob on SQLite, bytea on PostgreSQL)', async (t) => {
  const { db } = await database(t);
  await insertCase(db);
  const bytes = new Uint8Array(256).map((_, i) => i);
  const repo = caseRepository(db);
  await repo.insertVersion({ caseId: 'case-a', n: 1, revision: 1, sha256: 'x', createdAt: AT }, bytes);
  const stored = await repo.getVersionPdf('case-a', 1);
  t.ok(stored && Buffer.from(stored.pdf).equals(Buffer.from(bytes)), 'the same 256 bytes, 0x00 to 0xff');
});

t.test('the audit log numbers its entries in order (autoincrement on SQLite, identity on PostgreSQL)', async (t) => {
  const { db } = await database(t);
  const repo = caseRepository(db);
  for (const n of [1, 2, 3]) {
    await repo.appendAudit({ caseId: 'case-a', actor: 'a', action: `n${n}`, at: AT, beforeHash: 'b', afterHash: 'a', detail: {}, prevHash: `p${n}`, hash: `h${n}` });
  }
  const entries = await repo.listAudit('case-a');
  t.same(entries.map((e) => e.action), ['n1', 'n2', 'n3']);
  t.ok(entries.every((e, i) => typeof e.seq === 'number' && (i === 0 || e.seq > entries[i - 1]!.seq)), 'increasing numbers');
  t.equal(await repo.lastAuditHash('case-a'), 'h3');
});
