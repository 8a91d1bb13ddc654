import createError from '@fastify/error';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CaseError } from '../cases/errors.ts';
import { notTextProblems } from '../shared/not-text.ts';

/** A JSON body whose bytes are not UTF-8: decoding would silently replace them, and change a quote or a source. */
export const BodyNotUtf8 = createError('DSR_BODY_NOT_UTF8', 'the request body is not UTF-8', 400);

/** A JSON body with a "__proto__" or "constructor" key: Fastify refuses it, but calls it "not valid JSON", which it is. */
export const BodyForbiddenKey = createError('DSR_BODY_FORBIDDEN_KEY', 'the request body contains a "__proto__" or "constructor" key', 400);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Whether `text` is JSON by the standard's rules (JSON.parse makes such keys plain properties, so reading it pollutes nothing). */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The refusal (422 not-text) of a parsed body, JSON or form, in which a string
 * holds NUL or an unpaired surrogate, naming every place; undefined when all of
 * it is text.
 */
export function notTextError(value: unknown, root: string, what: string): CaseError | undefined {
  const problems = notTextProblems(value, root);
  if (!problems.length) return undefined;
  const detail = `${what} is not text: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`;
  return new CaseError('unprocessable', 'not-text', detail, { errors: problems.map(({ path, message, code }) => ({ path, message, code })) });
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
      if (error) return done((error as { code?: string }).code === 'FST_ERR_CTP_INVALID_JSON_BODY' && isJson(text) ? new BodyForbiddenKey() : error, undefined);
      done(notTextError(value, 'body', 'the request body') ?? null, value);
    });
  });
}
