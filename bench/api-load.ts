import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * The load generator of the API benchmark, run in a process of its own so that
 * it does not share an event loop with what it measures. Reads one JSON
 * argument (what to load and how), runs autocannon, and prints its figures as
 * one line of JSON.
 */
export interface LoadPlan {
  url: string;
  connections: number;
  /** How long the load runs, unless `amount` is set: then it runs until that many requests are answered. */
  seconds: number;
  amount?: number;
  scenario: 'hello' | 'sign' | 'cached';
  /** sign: a JSON file with one partner token per organisation; request i signs with token i. */
  tokensFile?: string;
  caseId?: string;
  /** cached: the reviewer's token and the draft's ETag. */
  token?: string;
  etag?: string;
}

export interface LoadFigures {
  rps: number;
  requests: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  seconds: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
}

const plan = JSON.parse(process.argv[2]!) as LoadPlan;

function requests(): autocannon.Request[] {
  switch (plan.scenario) {
    case 'hello':
      return [{ method: 'GET', path: '/hello' }];
    case 'cached':
      return [{ method: 'GET', path: `/cases/${plan.caseId}/dossier.pdf?lang=en`, headers: { authorization: `Bearer ${plan.token}`, 'if-none-match': plan.etag! } }];
    case 'sign': {
      const tokens = JSON.parse(readFileSync(plan.tokensFile!, 'utf8')) as string[];
      let next = 0;
      return [
        {
          method: 'POST',
          path: `/cases/${plan.caseId}/signatures`,
          // Every request a new organisation: its own token, key and signatory.
          setupRequest: (request) => {
            const i = next++;
            const token = tokens[i % tokens.length]!;
            return {
              ...request,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `bench-sign-${i}` },
              body: JSON.stringify({ signatory: { name: `Signer ${i}`, role: 'Director' }, comment: 'We support this listing.' }),
            };
          },
        },
      ];
    }
  }
}

// A run of `amount` requests ends at autocannon's next one-second tick, not at its last answer: it is timed
// from the start to the last answer here (only then: a listener on every answer would slow the bare route's load).
const started = performance.now();
let lastAnswer = started;
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const options = { url: plan.url, connections: plan.connections, ...(plan.amount ? { amount: plan.amount } : { duration: plan.seconds }), requests: requests() };
  const run = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  if (plan.amount) run.on('response', () => (lastAnswer = performance.now()));
});
const seconds = plan.amount ? (lastAnswer - started) / 1000 : result.duration;
const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, (s as { count: number }).count]));
const figures: LoadFigures = {
  rps: result.requests.total / seconds,
  requests: result.requests.total,
  latencyP50Ms: result.latency.p50,
  latencyP99Ms: result.latency.p99,
  latencyMeanMs: result.latency.average,
  seconds,
  statusCodes,
  errors: result.errors,
  timeouts: result.timeouts,
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
