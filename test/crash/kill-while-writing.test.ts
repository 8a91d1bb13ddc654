import { once } from 'node:events';
import { randomInt } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { createToken } from '../../src/store/token-store.ts';
import { POSTGRES_URL, testDatabase } from '../helpers/database.ts';
import { startServer, type Server } from '../helpers/server.ts';

/**
 * Crash safety, black-box: the real server on one data directory (or one
 * PostgreSQL schema), partners signing and an editor adding excerpts at once,
 * SIGKILL at a random moment, restart, again. Whatever the moment, what was
 * answered 201 is stored exactly once, nothing appears that was never sent, a
 * retry with the same Idempotency-Key replays, an excerpt and its audit entry
 * exist together or not at all, and the audit chain verifies.
 *
 * The moments are drawn from a seed printed below; CRASH_SEED=<seed> replays the
 * same plan (the interleaving still depends on the machine).
 */

const CASE = 'nso-group';
const ROUNDS = 10;
const PARTNERS_PER_ROUND = 40;
const EXCERPTS_PER_ROUND = 2;
const SOURCE_ID = 'crash-test-observations';

const seed = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : randomInt(2 ** 31 - 1);

/**
 * Per round: after which share of the round's answers the process is killed, how
 * many milliseconds later, and where among the signatures the excerpts are sent
 * (requests take turns for the database in the order they arrive).
 */
const share = fc.integer({ min: 0, max: 999 }).map((n) => n / 1000);
const plan = fc.sample(
  // Unbiased: fast-check otherwise favours the extremes, and most kills would come before the first answer.
  fc.noBias(fc.array(fc.record({ afterShare: share, thenMs: fc.nat({ max: 4 }), excerptsAt: share }), { minLength: ROUNDS, maxLength: ROUNDS })),
  { seed, numRuns: 1 },
)[0]!;

const pad = (n: number) => String(n).padStart(3, '0');
/** One line per excerpt the test may add: each occurs once in the source. */
const observation = (n: number) => `Observation ${pad(n)} of the crash test: the coalition recorded event number ${pad(n)} in its own words.`;
const SOURCE_TEXT = Array.from({ length: ROUNDS * EXCERPTS_PER_ROUND + 5 }, (_, i) => observation(i)).join('\n') + '\n';

interface Partner {
  name: string;
  token: string;
  tokenId: string;
  key: string;
  body: string;
  /** Sent at least once. */
  sent: boolean;
  /** Some answer was 201: the signature must be there, exactly once. */
  answered: boolean;
  /** The id every 201 must name. */
  id?: string;
}

interface PlannedExcerpt {
  id: string;
  body: string;
  sent: boolean;
  answered: boolean;
}

type Outcome = { kind: 'answer'; status: number; replayed: boolean; body: any } | { kind: 'lost'; why: string };

async function post(url: string, headers: Record<string, string>, body: string): Promise<Outcome> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const status = res.status;
    const replayed = res.headers.get('idempotent-replayed') === 'true';
    // The status line arrived: the server decided, even if the body is cut off by the kill.
    const text = await res.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { kind: 'answer', status, replayed, body: parsed };
  } catch (error) {
    return { kind: 'lost', why: String((error as Error).cause ?? error) };
  }
}

async function killNow(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = once(server.child, 'exit');
  server.child.kill('SIGKILL');
  await exited;
}

t.test(`${ROUNDS} kills with SIGKILL while ${PARTNERS_PER_ROUND} partners sign and an editor adds excerpts (${POSTGRES_URL ? 'PostgreSQL' : 'SQLite'})`, async (t) => {
  t.comment(`crash plan seed ${seed} (replay: CRASH_SEED=${seed} npx tap ${'test/crash/kill-while-writing.test.ts'})`);
  const database = await testDatabase(t, 'crash-');
  const env = { ...database.env, RENDER_WORKERS: '1' };

  // Tokens first (this also creates the schema); the server imports the case on its first start.
  const partners: Partner[][] = [];
  let editor = '';
  {
    const db = await openDatabase({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
    try {
      await db.transaction().execute(async (trx) => {
        const now = new Date();
        editor = (await createToken(trx, { role: 'editor', now })).token;
        for (let round = 0; round < ROUNDS; round++) {
          const list: Partner[] = [];
          for (let i = 0; i < PARTNERS_PER_ROUND; i++) {
            const name = `Crash Partner ${pad(round)}-${pad(i)}`;
            const { token, record } = await createToken(trx, { role: 'partner', organisation: name, now });
            list.push({ name, token, tokenId: record.id, key: `crash-${round}-${i}`, body: JSON.stringify({ signatory: { name: `Signer ${round}-${i}`, role: 'Director' } }), sent: false, answered: false });
          }
          partners.push(list);
        }
      });
    } finally {
      await db.destroy();
    }
  }
  const everyPartner = partners.flat();
  const excerpts: PlannedExcerpt[] = Array.from({ length: ROUNDS * EXCERPTS_PER_ROUND }, (_, n) => ({
    id: `ex-crash-${pad(n)}`,
    body: JSON.stringify({ id: `ex-crash-${pad(n)}`, source: SOURCE_ID, quote: { exact: observation(n) }, criteria: ['art1.1.d.iv'], note: `Added while the process may die (${n}).` }),
    sent: false,
    answered: false,
  }));

  const asEditor = { authorization: `Bearer ${editor}` };
  let server = await startServer(t, env);
  t.teardown(() => killNow(server));

  const get = async (path: string, headers: Record<string, string> = asEditor) => {
    const res = await fetch(`${server.url}${path}`, { headers });
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const upload = await post(`${server.url}/sources`, asEditor, JSON.stringify({ id: SOURCE_ID, title: 'Crash test observations', organisation: 'Test', kind: 'test notes', date: '2026-01-01', language: 'en', text: SOURCE_TEXT }));
  t.equal(upload.kind === 'answer' && upload.status, 201, 'the source the excerpts quote is stored');
  const baseline = {
    signatures: ((await get(`/cases/${CASE}/signatures`, {})) as unknown[]).length,
    excerpts: ((await get(`/cases/${CASE}/excerpts`)) as unknown[]).length,
    audit: ((await get(`/cases/${CASE}/audit`)) as unknown[]).length,
  };

  const problems: string[] = [];
  const problem = (text: string) => {
    problems.push(text);
    t.fail(text);
  };

  /** Records what a signing answer says, and fails on an answer the rules never give. */
  const onSignAnswer = (p: Partner, outcome: Outcome) => {
    if (outcome.kind === 'lost') return;
    if (outcome.status !== 201) return problem(`${p.name}: answered ${outcome.status} ${JSON.stringify(outcome.body)} to a first or repeated request with its own key`);
    const id = outcome.body?.id as string | undefined;
    if (p.answered && !outcome.replayed) problem(`${p.name}: signed again after an earlier 201 (not a replay)`);
    if (id !== undefined) {
      if (p.id !== undefined && p.id !== id) problem(`${p.name}: two 201s name two signatures, ${p.id} and ${id}`);
      p.id ??= id;
    }
    p.answered = true;
  };

  const onExcerptAnswer = (e: PlannedExcerpt, outcome: Outcome) => {
    if (outcome.kind === 'lost') return;
    if (outcome.status === 201) {
      if (e.answered) problem(`${e.id}: created twice`);
      e.answered = true;
    } else if (outcome.status === 409 && outcome.body?.type?.endsWith('/excerpt-exists')) {
      // A retry after the first attempt was committed (its answer lost, or given).
      e.answered = true;
    } else {
      problem(`${e.id}: answered ${outcome.status} ${JSON.stringify(outcome.body)}`);
    }
  };

  /** What must hold after every restart, before anything else is sent. */
  const checkStored = async (when: string) => {
    const verify = await get(`/cases/${CASE}/audit/verify`);
    if (!verify.ok) problem(`${when}: the audit chain does not verify: ${JSON.stringify(verify)}`);
    const audit = (await get(`/cases/${CASE}/audit`)) as Array<{ action: string; detail: any }>;
    const list = (await get(`/cases/${CASE}/signatures`, {})) as Array<{ id: string; name: string }>;
    const byName = new Map<string, string[]>();
    for (const s of list) byName.set(s.name, [...(byName.get(s.name) ?? []), s.id]);
    const signedInAudit = new Set(audit.filter((e) => e.action === 'signature.add').map((e) => e.detail.signature as string));
    for (const p of everyPartner) {
      const ids = byName.get(p.name) ?? [];
      if (ids.length > 1) problem(`${when}: ${p.name} is listed ${ids.length} times`);
      if (!p.sent && ids.length) problem(`${when}: ${p.name} is listed but never sent anything`);
      if (p.answered && ids.length === 0) problem(`${when}: ${p.name} was answered 201 but is not listed`);
      if (p.id && ids.length === 1 && ids[0] !== p.id) problem(`${when}: ${p.name} is listed as ${ids[0]}, answered as ${p.id}`);
      for (const id of ids) if (!signedInAudit.has(id)) problem(`${when}: signature ${id} of ${p.name} has no audit entry`);
    }
    const unknown = list.filter((s) => s.name.startsWith('Crash Partner ') && !everyPartner.some((p) => p.name === s.name));
    if (unknown.length) problem(`${when}: signatures nobody sent: ${JSON.stringify(unknown)}`);
    if (list.length - baseline.signatures > everyPartner.filter((p) => p.sent).length) problem(`${when}: more signatures than partners who sent one`);

    const stored = new Set(((await get(`/cases/${CASE}/excerpts`)) as Array<{ id: string }>).map((e) => e.id));
    const created = audit.filter((e) => e.action === 'excerpt.create').map((e) => e.detail.excerpt as string);
    for (const e of excerpts) {
      const entries = created.filter((id) => id === e.id).length;
      if (entries > 1) problem(`${when}: ${e.id} has ${entries} audit entries`);
      if (stored.has(e.id) !== (entries === 1)) problem(`${when}: ${e.id} is ${stored.has(e.id) ? '' : 'not '}stored but has ${entries} audit entries`);
      if (!e.sent && stored.has(e.id)) problem(`${when}: ${e.id} is stored but was never sent`);
      if (e.answered && !stored.has(e.id)) problem(`${when}: ${e.id} was answered 201 but is not stored`);
    }
  };

  let killedMidway = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const { afterShare, thenMs, excerptsAt } = plan[round]!;
    const sign = (p: Partner) => {
      p.sent = true;
      return post(`${server.url}/cases/${CASE}/signatures`, { authorization: `Bearer ${p.token}`, 'idempotency-key': p.key }, p.body).then((o) => onSignAnswer(p, o));
    };
    const addExcerpt = (e: PlannedExcerpt) => {
      e.sent = true;
      return post(`${server.url}/cases/${CASE}/excerpts`, asEditor, e.body).then((o) => onExcerptAnswer(e, o));
    };
    // This round's partners, the earlier ones whose answer was lost (the same key
    // and body again), the last round's answered ones (each must replay), and excerpts.
    const retries = partners.slice(0, round).flat().filter((p) => !p.answered);
    const replays = round === 0 ? [] : partners[round - 1]!.filter((p) => p.answered);
    const newExcerpts = excerpts.slice(round * EXCERPTS_PER_ROUND, (round + 1) * EXCERPTS_PER_ROUND);
    const excerptRetries = excerpts.slice(0, round * EXCERPTS_PER_ROUND).filter((e) => !e.answered);

    let answers = 0;
    let killed: Promise<void> | undefined;
    const kill = () =>
      (killed ??= new Promise<void>((resolve) => setTimeout(resolve, thenMs)).then(() => {
        if (answers < total) killedMidway++;
        return killNow(server);
      }));
    const counted = <T>(p: Promise<T>) =>
      p.then((v) => {
        if (++answers >= afterAnswers) void kill();
        return v;
      });
    const signing = [...partners[round]!, ...retries, ...replays];
    const at = Math.floor(excerptsAt * signing.length);
    const requests = [
      ...signing.slice(0, at).map(sign),
      ...[...newExcerpts, ...excerptRetries].map(addExcerpt),
      ...signing.slice(at).map(sign),
    ].map(counted);
    const total = requests.length;
    const afterAnswers = Math.floor(afterShare * total);
    if (afterAnswers === 0) void kill();
    await Promise.all(requests);
    await kill();
    t.comment(`round ${round + 1}: ${total} requests (${retries.length} retries, ${replays.length} replays, ${excerptRetries.length} excerpt retries), killed after ${afterAnswers} answers + ${thenMs} ms; answered so far: ${everyPartner.filter((p) => p.answered).length} signatures, ${excerpts.filter((e) => e.answered).length} excerpts`);

    server = await startServer(t, env);
    await checkStored(`after kill ${round + 1}`);
  }
  t.ok(killedMidway > 0, `${killedMidway} of ${ROUNDS} kills came while requests were still unanswered`);

  await t.test('after the last restart, every request sent again with its key replays or signs once; a retried excerpt is created once', async (t) => {
    const sentBefore = everyPartner.filter((p) => p.sent);
    const answeredBefore = new Set(everyPartner.filter((p) => p.answered));
    for (const p of sentBefore) {
      const outcome = await post(`${server.url}/cases/${CASE}/signatures`, { authorization: `Bearer ${p.token}`, 'idempotency-key': p.key }, p.body);
      if (outcome.kind === 'lost') problem(`${p.name}: no answer from the running server`);
      else if (answeredBefore.has(p) && !(outcome.status === 201 && outcome.replayed)) problem(`${p.name}: answered 201 before the kill, but the retry is ${outcome.status} replayed=${outcome.replayed}`);
      onSignAnswer(p, outcome);
    }
    for (const e of excerpts.filter((e) => e.sent)) {
      const wasAnswered = e.answered;
      const outcome = await post(`${server.url}/cases/${CASE}/excerpts`, asEditor, e.body);
      if (outcome.kind === 'lost') problem(`${e.id}: no answer from the running server`);
      else if (wasAnswered && outcome.status !== 409) problem(`${e.id}: answered 201 before, but the retry is ${outcome.status}`);
      onExcerptAnswer(e, outcome);
    }
    t.equal(everyPartner.filter((p) => p.sent && !p.answered).length, 0, 'every partner who sent a request now has its 201');
    t.equal(excerpts.filter((e) => e.sent && !e.answered).length, 0, 'every excerpt sent is now stored');
  });

  await t.test('every signature answered 201 is stored exactly once, with one audit entry, and nothing else appeared', async (t) => {
    await checkStored('at the end');
    const signers = everyPartner.filter((p) => p.sent);
    const list = (await get(`/cases/${CASE}/signatures`, {})) as Array<{ id: string; name: string }>;
    t.equal(list.length, baseline.signatures + signers.length, `${baseline.signatures} imported + ${signers.length} partners, nothing else`);
    const mine = list.filter((s) => s.name.startsWith('Crash Partner '));
    t.same(mine.map((s) => s.name).sort(), signers.map((p) => p.name).sort(), 'each partner who sent a request is listed once');
    t.same(new Set(mine.map((s) => s.id)), new Set(signers.map((p) => p.id)), 'under the id its 201 named');

    const audit = (await get(`/cases/${CASE}/audit`)) as Array<{ seq: number; action: string; detail: any; prevHash: string; hash: string }>;
    const added = audit.filter((e) => e.action === 'signature.add').map((e) => e.detail.signature as string);
    t.equal(added.length, signers.length, 'one signature.add entry per signature');
    t.same(new Set(added), new Set(signers.map((p) => p.id)), 'for exactly these signatures');
    const createdExcerpts = audit.filter((e) => e.action === 'excerpt.create').map((e) => e.detail.excerpt as string);
    const sentExcerpts = excerpts.filter((e) => e.sent).map((e) => e.id);
    t.same(createdExcerpts.sort(), sentExcerpts.sort(), 'one excerpt.create entry per excerpt');
    t.equal(audit.length, baseline.audit + signers.length + sentExcerpts.length, 'and no other entry');
    t.ok(audit.every((e, i) => i === 0 || (e.prevHash === audit[i - 1]!.hash && e.seq > audit[i - 1]!.seq)), 'one unbroken chain, in order');
    t.match(await get(`/cases/${CASE}/audit/verify`), { ok: true, entries: audit.length }, 'the audit chain verifies');
    const stored = ((await get(`/cases/${CASE}/excerpts`)) as Array<{ id: string }>).map((e) => e.id);
    t.equal(stored.length, baseline.excerpts + sentExcerpts.length, 'the excerpts: those imported and those sent, each once');

    const db: Db = await openDatabase({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
    t.teardown(() => db.destroy());
    const rows = await db.selectFrom('signatures').select(['name', 'id', 'withdrawn_at']).where('name', 'like', 'Crash Partner %').execute();
    t.equal(rows.length, signers.length, 'one row per partner in the signatures table, none withdrawn or hidden');
    t.equal(new Set(rows.map((r) => r.name)).size, rows.length, 'no organisation twice');
    const keys = await db.selectFrom('idempotency_keys').select(['token_id', 'key']).where('key', 'like', 'crash-%').execute();
    t.equal(keys.length, signers.length, 'one stored answer per key');
  });

  t.same(problems, [], 'no inconsistency seen at any restart');
  t.notMatch(server.output(), /"level":(50|60)/, 'the last server logged no error');
  t.equal(await server.stop(), 0, 'the last server closes cleanly');
});
