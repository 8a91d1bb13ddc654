import createError from '@fastify/error';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CaseError } from '../cases/errors.ts';
import type { Problem } from '../shared/problems.ts';

/** A JSON body whose bytes are not UTF-8: decoding would silently replace them, and change a quote or a source. */
export const BodyNotUtf8 = createError('DSR_BODY_NOT_UTF8', 'the request body is not UTF-8', 400);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Where in a parsed body a string holds NUL or an unpaired surrogate: neither is text, and PostgreSQL cannot store NUL. */
function notTextProblems(value: unknown, path: string, problems: Problem[]): void {
  if (problems.length >= 20) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) problems.push({ code: 'not_text', path, message: 'contains a NUL character' });
    else if (!value.isWellFormed()) problems.push({ code: 'not_text', path, message: 'contains an unpaired surrogate: not Unicode text' });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => notTextProblems(item, `${path}[${i}]`, problems));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000') || !key.isWellFormed()) problems.push({ code: 'not_text', path, message: 'a field name is not text' });
      else notTextProblems(item, `${path}.${key}`, problems);
    }
  }
}

/**
 * Replaces Fastify's JSON body parser with one that is strict about text: the
 * bytes must be UTF-8 (400 body-not-utf8) and no string may hold NUL or an
 * unpaired surrogate (422 not-text naming each path, the source upload's own
 * refusal). Everything else (the body limit, prototype keys refused, an empty
 * body refused) is Fastify's own parser.
 */
export function useStrictJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      done(new BodyNotUtf8(), undefined);
      return;
    }
    parseJson(request, text, (error: Error | null, value?: unknown) => {
      if (error) return done(error, undefined);
      const problems: Problem[] = [];
      notTextProblems(value, 'body', problems);
      if (problems.length) {
        const detail = `the request body is not text: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`;
        return done(new CaseError('unprocessable', 'not-text', detail, { errors: problems.map(({ path, message, code }) => ({ path, message, code })) }), undefined);
      }
      done(null, value);
    });
  });
}
