import t from 'tap';
import { openDatabase } from '../../src/store/database.ts';
import { createToken } from '../../src/store/token-store.ts';
import { adminQuery, POSTGRES_URL, testDatabase } from '../helpers/database.ts';
import { startServer, type Server } from '../helpers/server.ts';

const PARTNERS = 100;
const CASE = 'nso-group';
const IMPORTED = 88;

interface Answer {
  partner: number;
  request: 'A' | 'B' | 'C';
  server: number;
  status: number;
  body: { id?: string; signature?: string; type?: string };
  replayed: boolean;
}

const skip = POSTGRES_URL ? false : 'three instances share one PostgreSQL: this runs only with DATABASE_URL=postgres://… (bash .ci/run sets it)';

t.test(`three instances on one PostgreSQL, ${PARTNERS} partners signing at once through all of them`, { skip }, async (t) => {
  const database = await testDatabase(t, 'cluster-');
  // Started together: they migrate and import the case on first start at the same moment.
  const servers: Server[] = await Promise.all([0, 1, 2].map(() => startServer(t, { ...database.env, RENDER_WORKERS: '1' })));
  t.teardown(() => Promise.all(servers.map((s) => s.stop())));

  const db = await openDatabase({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
  t.teardown(() => db.destroy());
  const now = new Date();
  const partners = await Promise.all(Array.from({ length: PARTNERS }, (_, i) => createToken(db, { role: 'partner', organisation: `Cluster Partner ${String(i).padStart(3, '0')}`, now })));
  const editor = (await createToken(db, { role: 'editor', now })).token;
  const reviewers = await Promise.all([1, 2, 3, 4].map(() => createToken(db, { role: 'reviewer', now })));

  const get = async (server: number, path: string, token?: string) => {
    const res = await fetch(`${servers[server]!.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    t.equal(res.status, 200, `GET ${path} on instance ${server + 1}`);
    return res.json() as Promise<any>;
  };

  await t.test('every instance sees the case imported once', async (t) => {
    for (const server of [0, 1, 2]) {
      const audit = (await get(server, `/cases/${CASE}/audit`, editor)) as Array<{ action: string }>;
      t.same(audit.map((e) => e.action), ['case.import'], `instance ${server + 1}`);
    }
  });

  await t.test('each partner sends the same request twice (one key, two instances) and once more with another key (the third instance): one signature each', async (t) => {
    const sign = async (partner: number, request: Answer['request'], server: number, key: string): Promise<Answer> => {
      const res = await fetch(`${servers[server]!.url}/cases/${CASE}/signatures`, {
        method: 'POST',
        headers: { authorization: `Bearer ${partners[partner]!.token}`, 'idempotency-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ signatory: { name: `Signer ${partner}`, role: 'Director' } }),
      });
      return { partner, request, server, status: res.status, body: (await res.json()) as Answer['body'], replayed: res.headers.get('idempotent-replayed') === 'true' };
    };
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: PARTNERS }, (_, i) => [
        sign(i, 'A', i % 3, `cluster-${i}`),
        sign(i, 'B', (i + 1) % 3, `cluster-${i}`),
        sign(i, 'C', (i + 2) % 3, `cluster-${i}-other`),
      ]).flat(),
    );
    t.comment(`${answers.length} requests through 3 instances in ${Date.now() - started} ms`);
    t.same(answers.filter((a) => a.status !== 201 && a.status !== 409), [], 'every answer is 201 or 409: no 5xx, no 422');
    const firsts = answers.filter((a) => a.status === 201 && !a.replayed);
    t.equal(firsts.length, PARTNERS, `${PARTNERS} signatures made, one per partner`);
    t.equal(new Set(firsts.map((a) => a.body.id)).size, PARTNERS, 'each with its own id');

    let consistent = 0;
    for (let i = 0; i < PARTNERS; i++) {
      const mine = answers.filter((a) => a.partner === i);
      const ids = new Set(mine.map((a) => (a.status === 201 ? a.body.id : a.body.signature)));
      const first = mine.filter((a) => a.status === 201 && !a.replayed);
      const [a, b, c] = ['A', 'B', 'C'].map((r) => mine.find((m) => m.request === r)!);
      // Either the key's request won (A or B: the other is its replay, C is 409), or C won (A and B are 409).
      const keyWon = a!.status === 201 && b!.status === 201 && c!.status === 409 && a!.replayed !== b!.replayed;
      const otherWon = c!.status === 201 && !c!.replayed && a!.status === 409 && b!.status === 409;
      if (ids.size === 1 && first.length === 1 && (keyWon || otherWon)) consistent++;
      else t.fail(`partner ${i}: ${JSON.stringify(mine)}`);
    }
    t.equal(consistent, PARTNERS, 'for every partner all answers name one signature: one first 201, its replay or 409s pointing at it');

    const byInstance = await Promise.all([0, 1, 2].map((s) => get(s, `/cases/${CASE}/signatures`)));
    for (const list of byInstance) t.same(list, byInstance[0], 'every instance lists the same signatures');
    const list = byInstance[0] as Array<{ id: string; name: string }>;
    t.equal(list.length, IMPORTED + PARTNERS);
    const listed = list.filter((s) => s.name.startsWith('Cluster Partner '));
    t.equal(new Set(listed.map((s) => s.name)).size, PARTNERS, 'each organisation once');
    t.same(new Set(listed.map((s) => s.id)), new Set(firsts.map((a) => a.body.id)), 'every 201 is in the list exactly once, and nothing else');

    const duplicates = await adminQuery(`SELECT case_id, signer_key FROM ${database.schema}.signatures WHERE withdrawn_at IS NULL GROUP BY 1, 2 HAVING count(*) > 1`);
    t.same(duplicates.rows, [], 'no signer has two live signatures');
    const keys = await adminQuery(`SELECT count(*)::int AS n FROM ${database.schema}.idempotency_keys`);
    t.equal(keys.rows[0]?.n, PARTNERS, 'one stored answer per partner');

    for (const server of [0, 1, 2]) {
      t.match(await get(server, `/cases/${CASE}/audit/verify`, editor), { ok: true }, `the audit chain verifies on instance ${server + 1}`);
    }
    const audit = (await get(0, `/cases/${CASE}/audit`, editor)) as Array<{ seq: number; action: string; prevHash: string; hash: string }>;
    t.equal(audit.filter((e) => e.action === 'signature.add').length, PARTNERS, 'one audit entry per signature');
    t.ok(audit.every((e, i) => i === 0 || (e.prevHash === audit[i - 1]!.hash && e.seq > audit[i - 1]!.seq)), 'one unbroken chain, in order');
  });

  await t.test('four reviewers approve at once through the three instances: two approvals count, one version is frozen', async (t) => {
    const status = await fetch(`${servers[0]!.url}/cases/${CASE}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ request: 'request_review' }),
    });
    t.equal(status.status, 200, 'review requested');
    const answers = await Promise.all(
      reviewers.map(async (reviewer, i) => {
        const res = await fetch(`${servers[i % 3]!.url}/cases/${CASE}/reviews`, {
          method: 'POST',
          headers: { authorization: `Bearer ${reviewer.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'approve' }),
        });
        return { status: res.status, body: (await res.json()) as { version?: { n: number }; type?: string } };
      }),
    );
    t.same(answers.map((a) => a.status).sort(), [201, 201, 409, 409], 'two approvals, then the case is approved and the others are refused');
    t.ok(answers.filter((a) => a.status === 409).every((a) => String(a.body.type).endsWith('/not-in-review')), 'refused because it is no longer in review');
    t.same(answers.filter((a) => a.body.version).map((a) => a.body.version!.n), [1], 'one version frozen');
    for (const server of [0, 1, 2]) {
      const versions = (await get(server, `/cases/${CASE}/versions`, editor)) as Array<{ n: number }>;
      t.same(versions.map((v) => v.n), [1], `instance ${server + 1} lists version 1 only`);
      t.match(await get(server, `/cases/${CASE}`, editor), { status: 'approved', approvals: 2 });
      t.match(await get(server, `/cases/${CASE}/audit/verify`, editor), { ok: true });
    }
  });

  await t.test('the draft PDF rendered by one instance is served by the others from the shared cache', async (t) => {
    const reviewer = reviewers[0]!.token;
    const pdfs: Array<{ etag: string | null; bytes: Buffer }> = [];
    for (const server of [0, 1, 2]) {
      const res = await fetch(`${servers[server]!.url}/cases/${CASE}/dossier.pdf`, { headers: { authorization: `Bearer ${reviewer}` } });
      t.equal(res.status, 200);
      pdfs.push({ etag: res.headers.get('etag'), bytes: Buffer.from(await res.arrayBuffer()) });
    }
    t.ok(pdfs.every((p) => p.etag === pdfs[0]!.etag && p.bytes.equals(pdfs[0]!.bytes)), 'one ETag, the same bytes from every instance');
    const cached = await adminQuery(`SELECT key FROM ${database.schema}.pdf_cache`);
    t.same(cached.rows.map((r) => r.key), [pdfs[0]!.etag!.replaceAll('"', '')], 'rendered once, cached under the ETag');
  });

  for (const [i, server] of servers.entries()) {
    t.notMatch(server.output(), /"level":(50|60)/, `instance ${i + 1} logged no error`);
  }
});
