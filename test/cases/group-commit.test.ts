import t, { type Test } from 'tap';
import { GENESIS_HASH, stateHash, verifyChain } from '../../src/cases/audit-chain.ts';
import type { CaseDeps } from '../../src/cases/context.ts';
import { CaseError } from '../../src/cases/errors.ts';
import { GroupCommit, type Settled } from '../../src/cases/group-commit.ts';
import { importCase } from '../../src/cases/import-export.ts';
import { sign, type Partner, type SignOutcome } from '../../src/cases/signatures.ts';
import { loadProject } from '../../src/cli/load-project.ts';
import { unprintableInSignatoryName } from '../../src/render/signatory-names.ts';
import { caseRepository, unitOfWork } from '../../src/store/case-repository.ts';
import { openDatabase } from '../../src/store/database.ts';
import { testDatabase } from '../helpers/database.ts';

const CASE = 'nso-group';

/** The case rules on a fresh database holding the NSO case, and every SQL statement the database runs. */
async function service(t: Test) {
  const settings = await testDatabase(t);
  const statements: string[] = [];
  const db = await openDatabase({ dataDir: settings.dataDir, databaseUrl: settings.databaseUrl, log: (sql) => statements.push(sql.trim().toLowerCase()) });
  t.teardown(() => db.destroy());
  const project = await loadProject(CASE);
  const deps: CaseDeps = {
    uow: unitOfWork(db),
    catalogue: project.catalogue,
    now: () => new Date(),
    approvalsRequired: 2,
    renderVersion: async () => new Uint8Array(),
    unprintableName: unprintableInSignatoryName,
  };
  await importCase(deps, { tokenId: 'system', label: 'system:test-import' }, project.file, project.sources.values());
  return { db, deps, statements };
}

const organisation = (n: number): Partner => ({ tokenId: `tok_org${n}`, label: `partner:Organisation ${n}`, organisation: `Organisation ${n}` });
const body = (name: string) => ({ signatory: { name, role: 'Director' } });

t.test('signatures that arrive together are committed together, and a refused one undoes only itself', async (t) => {
  const { db, deps, statements } = await service(t);
  const first = await sign(deps, CASE, organisation(0), body('Ann First'), 'key-0');
  t.equal(first.replayed, false);

  statements.length = 0;
  // Requests made in the same turn of the event loop, as concurrent HTTP requests are:
  // ten new organisations, with three requests the rules refuse or replay among them.
  const requests: Array<Promise<SignOutcome>> = [];
  for (let n = 1; n <= 10; n++) {
    requests.push(sign(deps, CASE, organisation(n), body(`Signer ${n}`), `key-${n}`));
    if (n === 3) requests.push(sign(deps, CASE, organisation(0), body('Ann First'), 'key-0-again')); // already signed: 409
    if (n === 5) requests.push(sign(deps, CASE, organisation(0), body('Someone Else'), 'key-0')); // same key, other body: 422
    if (n === 7) requests.push(sign(deps, CASE, organisation(0), body('Ann First'), 'key-0')); // the same request again: replayed
  }
  const answers = await Promise.allSettled(requests);

  t.equal(statements.filter((s) => s === 'begin' || s.startsWith('begin ') || s === 'start transaction').length, 1, 'one transaction');
  t.equal(statements.filter((s) => s === 'commit').length, 1, 'one commit (one write to disk) for all thirteen requests');
  t.ok(statements.filter((s) => s.startsWith('savepoint ')).length >= 13, 'each request in a savepoint of its own');

  const refusal = (a: PromiseSettledResult<SignOutcome> | undefined) => (a?.status === 'rejected' && a.reason instanceof CaseError ? a.reason.code : undefined);
  t.equal(refusal(answers[3]), 'already-signed', 'the second signature of an organisation is refused (409)');
  t.equal(refusal(answers[6]), 'idempotency-key-reused', 'a key used for another request is refused (422)');
  const replay = answers[9];
  t.equal(replay?.status, 'fulfilled');
  if (replay?.status === 'fulfilled') {
    t.equal(replay.value.replayed, true, 'the same request again gets the first answer');
    t.equal(replay.value.signature.id, first.signature.id);
  }
  const created = answers.filter((a): a is PromiseFulfilledResult<SignOutcome> => a.status === 'fulfilled' && !a.value.replayed);
  t.equal(created.length, 10, 'the ten new organisations have signed');

  const repo = caseRepository(db);
  const live = (await repo.listSignatures(CASE)).filter((s) => !s.withdrawnAt);
  t.equal(live.length, 88 + 11, 'the 88 signatures of the letter, the first one, and the ten of the group');
  for (const a of created) t.ok(live.some((s) => s.id === a.value.signature.id), `${a.value.signature.name} is stored`);
  t.equal(live.filter((s) => s.signatory.name === 'Organisation 0').length, 1, 'the refused requests stored nothing');

  const audit = await repo.listAudit(CASE);
  t.same(verifyChain(audit), { ok: true, entries: audit.length }, 'the audit chain verifies');
  const added = audit.filter((e) => e.action === 'signature.add');
  t.equal(added.length, 11, 'one entry per signature, none for the refused or replayed requests');
  for (let i = 1; i < audit.length; i++) t.equal(audit[i]!.beforeHash, audit[i - 1]!.afterHash, `entry ${audit[i]!.seq} starts from the state the entry before left`);
  t.same(
    added.slice(1).map((e) => (e.detail as { signature: string }).signature),
    created.map((a) => a.value.signature.id),
    'the entries follow the order in which the requests were committed',
  );
  const stored = await repo.getCase(CASE);
  t.equal(audit.at(-1)!.afterHash, stateHash(stored!.file), 'the last entry holds the hash of the case as stored');
  t.equal(audit[0]!.prevHash, GENESIS_HASH, 'the chain starts at the import');
});

t.test('a signature that arrives while a group is being committed goes into the next group', async (t) => {
  const { deps, statements } = await service(t);
  statements.length = 0;
  const firstGroup = [1, 2, 3].map((n) => sign(deps, CASE, organisation(n), body(`Signer ${n}`), `key-${n}`));
  // Sent once the first group has started: it waits for that group's commit.
  const late = new Promise<SignOutcome>((resolve, reject) => setImmediate(() => sign(deps, CASE, organisation(4), body('Signer 4'), 'key-4').then(resolve, reject)));
  const answers = await Promise.all([...firstGroup, late]);
  t.equal(answers.length, 4);
  t.equal(statements.filter((s) => s === 'commit').length, 2, 'two groups, two commits');
});

t.test('GroupCommit: one group per turn of the event loop, its answers in order, and a failed group retried one by one', async (t) => {
  const groups: number[][] = [];
  let failNextGroup = true;
  const commits = new GroupCommit<number, number>(async (_key, items) => {
    groups.push(items);
    if (items.length > 1 && failNextGroup) {
      failNextGroup = false;
      throw new Error('the transaction failed');
    }
    return items.map((n): Settled<number> => (n === 13 ? { ok: false, error: new Error('thirteen is refused') } : { ok: true, value: n * 2 }));
  });
  const answers = await Promise.allSettled([1, 2, 13, 4].map((n) => commits.submit('case', n)));
  t.same(groups, [[1, 2, 13, 4], [1], [2], [13], [4]], 'the failed group, then each request alone');
  t.same(
    answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message)),
    [2, 4, 'thirteen is refused', 8],
  );

  groups.length = 0;
  const other = await Promise.all([commits.submit('a', 1), commits.submit('b', 2), commits.submit('a', 3)]);
  t.same(other, [2, 4, 6]);
  t.same(groups, [[1, 3], [2]], 'one group per key');
});
