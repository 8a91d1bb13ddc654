import type { FastifyReply } from 'fastify';
import { z } from 'zod';

/** RFC 9457 problem details; `type` is stable per kind of error, `errors` lists every problem of a request. */
export const ProblemDocument = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })).optional(),
  })
  .catchall(z.unknown());
export type ProblemDocument = z.infer<typeof ProblemDocument>;

export const PROBLEM_TYPE_BASE = 'https://sanctions-dossier.eu/problems/';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Request body too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  431: 'Request headers too large',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): ProblemDocument {
  // Extra members never override the standard ones.
  return { ...extra, type: `${PROBLEM_TYPE_BASE}${code}`, title: TITLES[status] ?? 'Error', status, detail };
}

export function sendProblem(reply: FastifyReply, doc: ProblemDocument): FastifyReply {
  return reply.code(doc.status).type('application/problem+json').send({ ...doc, instance: reply.request.url });
}

/** Problem responses every route may give, declared in its OpenAPI description. */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ProblemDocument.describe(TITLES[s] ?? 'Error')]));
