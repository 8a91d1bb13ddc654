import type { Test } from 'tap';
import { PROBLEM_TYPE_BASE } from '../../src/http/problem.ts';

interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  json(): unknown;
}

/** An RFC 9457 answer: the status, problem+json, a stable type (ending in `code` when given), a title and a detail. */
export function assertProblem(t: Test, res: Answer, status: number, code?: string): Record<string, any> {
  t.equal(res.statusCode, status, `status ${status}${res.statusCode === status ? '' : `: ${res.body.slice(0, 300)}`}`);
  t.match(String(res.headers['content-type']), /^application\/problem\+json/, 'answered as problem+json');
  const body = res.json() as Record<string, unknown>;
  if (code) t.equal(body.type, `${PROBLEM_TYPE_BASE}${code}`);
  else t.match(body.type, PROBLEM_TYPE_BASE, 'the problem has a stable type');
  t.equal(body.status, res.statusCode, 'the problem repeats the status');
  t.type(body.title, 'string');
  t.ok(typeof body.detail === 'string' && body.detail.length > 0, 'with a detail');
  return body;
}
