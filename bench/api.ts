import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/database.ts';
import { createToken } from '../src/store/token-store.ts';
import type { LoadFigures, LoadPlan } from './api-load.ts';
import { signStoreFloorMicros } from './sign-store-floor.ts';
import type { BenchResult } from './mapper.ts';
import { runJsonChild, startServerProcess } from './support/processes.ts';
import { round, table } from './support/stats.ts';

const CASE = 'nso-group';
const CONNECTIONS = 50;

export interface ApiOptions {
  /** Seconds the bare route and the cached download are loaded (after a warm-up of a third of it). */
  seconds?: number;
  /** Signatures of new organisations measured (after a warm-up of a fifth as many). */
  signatures?: number;
}

/** Runs one load in a separate process (autocannon) and returns its figures. */
function load(plan: Omit<LoadPlan, 'connections'>): Promise<LoadFigures> {
  return runJsonChild<LoadFigures>('bench/api-load.ts', [JSON.stringify({ ...plan, connections: CONNECTIONS })]);
}

/** A warm-up load, then the measured one. */
async function measure(plan: Omit<LoadPlan, 'connections'>, warmup: Omit<LoadPlan, 'connections'>): Promise<LoadFigures> {
  await load(warmup);
  return load(plan);
}

/** Two loads of the same route as one: their mean rate and latencies, their answers together. */
function meanOf(a: LoadFigures, b: LoadFigures): LoadFigures {
  const statusCodes: Record<string, number> = { ...a.statusCodes };
  for (const [code, n] of Object.entries(b.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const mean = (x: number, y: number) => (x + y) / 2;
  return {
    rps: mean(a.rps, b.rps),
    requests: a.requests + b.requests,
    latencyP50Ms: mean(a.latencyP50Ms, b.latencyP50Ms),
    latencyP99Ms: mean(a.latencyP99Ms, b.latencyP99Ms),
    latencyMeanMs: mean(a.latencyMeanMs, b.latencyMeanMs),
    seconds: a.seconds + b.seconds,
    statusCodes,
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
  };
}

const count = (f: LoadFigures, status: string) => f.statusCodes[status] ?? 0;
const others = (f: LoadFigures, expected: string) => Object.entries(f.statusCodes).filter(([code]) => code !== expected).map(([code, n]) => `${n}×${code}`).join(', ');

/**
 * Requests per second under autocannon (50 connections, in its own process) of
 * (a) a bare Fastify route returning a constant JSON (before and after the
 * rest; their mean is the baseline), (b) a partner signing the NSO case, each
 * request a new organisation, on SQLite with synchronous=FULL, (b′) the same
 * requests checked and answered by a server with no store, and (c) the cached
 * draft PDF answered 304 for its ETag; each as a fraction of (a). Every server
 * runs in a process of its own. The least the store can cost a signature
 * (sign-store-floor.ts) added to (b′) gives the best rate any signing server
 * storing a signature on this machine could reach: the ceiling of (b).
 */
export async function benchApi(options: ApiOptions = {}): Promise<BenchResult> {
  const seconds = options.seconds ?? 10;
  const signatures = options.signatures ?? 10_000;
  const warmSeconds = Math.max(1, Math.round(seconds / 3));
  const warmSignatures = Math.round(signatures / 5);
  const dataDir = await mkdtemp(join(tmpdir(), 'dossier-bench-api-'));
  try {
    // Partner tokens, one organisation each, so that every request is a first signature.
    const partners = warmSignatures + signatures;
    const db = await openDatabase({ dataDir });
    const { reviewer, tokens } = await db.transaction().execute(async (tx) => {
      const now = new Date();
      const reviewer = (await createToken(tx, { role: 'reviewer', now })).token;
      const tokens: string[] = [];
      for (let i = 0; i < partners; i++) tokens.push((await createToken(tx, { role: 'partner', organisation: `Bench Organisation ${i}`, now })).token);
      return { reviewer, tokens };
    });
    await db.destroy();
    const warmTokens = join(dataDir, 'tokens-warm.json');
    const measuredTokens = join(dataDir, 'tokens-measured.json');
    await writeFile(warmTokens, JSON.stringify(tokens.slice(0, warmSignatures)));
    await writeFile(measuredTokens, JSON.stringify(tokens.slice(warmSignatures)));

    const env = { LOG_LEVEL: 'warn' };
    // The bare route is measured before and after the service, and their mean is the baseline: the
    // machine's speed drifts (it is shared), and a baseline taken only at the start drifts with it.
    const bareRoute = async (): Promise<LoadFigures> => {
      const hello = await startServerProcess('bench/hello-server.ts', env, '/hello');
      try {
        const plan = { url: hello.url, scenario: 'hello' } as const;
        return await measure({ ...plan, seconds }, { ...plan, seconds: warmSeconds });
      } finally {
        await hello.stop();
      }
    };
    const helloBefore = await bareRoute();
    const storeFloorUs = await signStoreFloorMicros();

    // The signing request checked and answered with no store: the part of a signature that is HTTP and validation.
    const validateOnly = await startServerProcess('bench/validate-only-server.ts', env, '/ready');
    let unstored: LoadFigures;
    try {
      const plan = { url: validateOnly.url, scenario: 'sign', caseId: CASE, seconds } as const;
      unstored = await measure({ ...plan, tokensFile: measuredTokens, amount: signatures }, { ...plan, tokensFile: warmTokens, amount: warmSignatures });
    } finally {
      await validateOnly.stop();
    }

    // BENCH_API_CPU_PROF=DIR writes a V8 CPU profile of the service under load into DIR (node --cpu-prof).
    const profileDir = process.env.BENCH_API_CPU_PROF;
    const service = await startServerProcess('src/server.ts', { ...env, DATA_DIR: dataDir }, '/ready', profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
    let cached: LoadFigures;
    let signing: LoadFigures;
    let afterwards = '';
    try {
      const draft = await fetch(`${service.url}/cases/${CASE}/dossier.pdf?lang=en`, { headers: { authorization: `Bearer ${reviewer}` } });
      const etag = draft.headers.get('etag');
      await draft.arrayBuffer();
      if (draft.status !== 200 || !etag) throw new Error(`the draft answered ${draft.status} without an ETag`);
      const cachedPlan = { url: service.url, scenario: 'cached', caseId: CASE, token: reviewer, etag } as const;
      cached = await measure({ ...cachedPlan, seconds }, { ...cachedPlan, seconds: warmSeconds });

      const signPlan = { url: service.url, scenario: 'sign', caseId: CASE, seconds } as const;
      signing = await measure({ ...signPlan, tokensFile: measuredTokens, amount: signatures }, { ...signPlan, tokensFile: warmTokens, amount: warmSignatures });
      const list = await fetch(`${service.url}/cases/${CASE}/signatures`);
      afterwards = `${((await list.json()) as unknown[]).length} signatures on the case afterwards`;
    } finally {
      await service.stop();
    }

    const helloAfter = await bareRoute();
    const helloFigures = meanOf(helloBefore, helloAfter);
    const figures = {
      helloRps: round(helloFigures.rps),
      helloRpsBefore: round(helloBefore.rps),
      helloRpsAfter: round(helloAfter.rps),
      helloP99Ms: helloFigures.latencyP99Ms,
      signRps: round(signing.rps),
      signRatio: round(signing.rps / helloFigures.rps),
      signP50Ms: signing.latencyP50Ms,
      signP99Ms: signing.latencyP99Ms,
      signUnstoredRps: round(unstored.rps),
      signUnstoredRatio: round(unstored.rps / helloFigures.rps),
      signStoreFloorUs: round(storeFloorUs),
      signCeilingRatio: round(1 / (1 / unstored.rps + storeFloorUs / 1e6) / helloFigures.rps),
      signCreated: count(signing, '201'),
      signSeconds: round(signing.seconds),
      cachedRps: round(cached.rps),
      cachedRatio: round(cached.rps / helloFigures.rps),
      cachedP99Ms: cached.latencyP99Ms,
      connections: CONNECTIONS,
      seconds,
    };
    const row = (what: string, f: LoadFigures, ratio: string, expected: string) => [
      what,
      Math.round(f.rps),
      ratio,
      f.latencyP50Ms,
      f.latencyP99Ms,
      f.requests === 0 ? 'no answers' : [others(f, expected), f.errors ? `${f.errors} errors` : ''].filter(Boolean).join('; ') || `all ${expected}`,
    ];
    return {
      key: 'api',
      figures,
      table: [
        `API benchmark: autocannon (${CONNECTIONS} connections) and each server in processes of their own; SQLite synchronous=FULL`,
        `  bare route and cached download ${seconds} s each after ${warmSeconds} s of warm-up; ${signatures} signatures after ${warmSignatures} of warm-up, each a new organisation`,
        ...table(
          ['what', 'req/s', 'vs bare', 'p50 ms', 'p99 ms', 'answers'],
          [
            row('bare Fastify route (constant JSON), mean of before and after', helloFigures, '1', '200'),
            row('the signing request checked, not stored', unstored, `${figures.signUnstoredRatio}`, '201'),
            row('partner signs (new organisation each)', signing, `${figures.signRatio}`, '201'),
            row('cached draft PDF (If-None-Match → 304)', cached, `${figures.cachedRatio}`, '304'),
          ],
        ),
        `  the bare route: ${Math.round(helloBefore.rps)} req/s before the service, ${Math.round(helloAfter.rps)} after`,
        `  the store's least cost of a signature (its SQL alone, 50 to a commit): ${figures.signStoreFloorUs} µs; with the request checked, not stored,`,
        `  that caps any signing server here at ${figures.signCeilingRatio} of the bare route`,
        `  goals: signing ≥ 0.25 of the bare route with p99 < 25 ms; cached download ≥ 0.7. ${afterwards}`,
      ],
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
