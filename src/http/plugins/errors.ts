import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { CaseError } from '../../cases/errors.ts';
import { ProblemsError } from '../../shared/problems.ts';
import { trackAllowedMethods } from '../allowed-methods.ts';
import { fastifyProblem } from '../framework-errors.ts';
import { problem, sendProblem } from '../problem.ts';
import { answerRenderRefusal, KIND_STATUS } from '../refusals.ts';

const PART_NAMES: Record<string, string> = { body: 'body', params: 'path', querystring: 'query string', headers: 'headers' };

/**
 * One error handler for the whole service: every error becomes RFC 9457
 * problem+json with a stable type; anything unexpected is logged and answered
 * with a message that reveals no stack, SQL or path.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(error)) {
        const part = error.validationContext ?? 'body';
        const errors = error.validation.flatMap((v) => {
          const issue = (v.params as { issue?: { code?: string; keys?: string[] } } | undefined)?.issue;
          const path = [part, ...String(v.instancePath ?? '').split('/').filter(Boolean)];
          const code = String(issue?.code ?? v.keyword ?? 'invalid');
          // An unknown field is reported at its own path, one entry per field.
          if (issue?.keys?.length) return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: `unknown field "${key}"`, code }));
          return [{ path: path.join('.'), message: v.message ?? 'invalid', code }];
        });
        return sendProblem(reply, problem(422, 'validation-failed', `${errors.length === 1 ? '1 problem' : `${errors.length} problems`} in the request's ${PART_NAMES[part] ?? part}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, { errors }));
      }
      if (error instanceof ProblemsError) {
        const errors = error.problems.map((p) => ({ path: p.path, message: p.message, code: p.code }));
        return sendProblem(reply, problem(422, 'invalid-content', `${error.what}: ${error.problems.map((p) => p.message).join('; ')}`, { errors }));
      }
      const refusedRender = answerRenderRefusal(error, request, reply);
      if (refusedRender) {
        return sendProblem(reply, problem(refusedRender.status, refusedRender.code, refusedRender.detail));
      }
      if (error instanceof CaseError) {
        return sendProblem(reply, problem(KIND_STATUS[error.kind], error.code, error.message, error.extra));
      }
      const known = fastifyProblem(error, request.routeOptions.bodyLimit);
      if (known) return sendProblem(reply, known);
      if (error.statusCode === 429) return sendProblem(reply, problem(429, 'rate-limited', error.message));
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return sendProblem(reply, problem(error.statusCode, 'bad-request', error.message));
      }
      request.log.error({ err: error }, 'unexpected error');
      return sendProblem(reply, problem(500, 'internal-error', 'the service failed to answer this request; the failure has been logged'));
    });
    const allowedAt = trackAllowedMethods(app);
    app.decorate('allowedMethods', allowedAt);
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0]!;
      const allowed = allowedAt(path);
      if (allowed.length) {
        reply.header('allow', allowed.join(', '));
        return sendProblem(reply, problem(405, 'method-not-allowed', `${request.method} is not answered at ${path}; ${allowed.join(', ')} ${allowed.length === 1 ? 'is' : 'are'}`));
      }
      return sendProblem(reply, problem(404, 'not-found', `no resource at ${request.method} ${path}`));
    });
  },
  { name: 'errors' },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** The methods the service answers at a path (none: there is nothing there), for a 405 with Allow. */
    allowedMethods: (path: string) => string[];
  }
}
