import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { closeAfterLinger } from './lingering-close.ts';
import { problem, sendProblem, type ProblemDocument } from './problem.ts';

/**
 * Fastify's and Node's refusals of a client's request, which they would answer
 * in their own JSON or plain text: here they are RFC 9457 problem+json like
 * every other refusal. Some happen before a request reaches a route, where the
 * error handler never sees them (the router's, the HTTP parser's).
 */

/** Fastify's own errors that a client caused, by code: status, stable problem code and detail. */
const FASTIFY_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_BAD_URL: [400, 'bad-url', 'the request URL does not decode: a percent-encoded part is not UTF-8'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'uri-too-long', 'a part of the request URL is longer than any id this service knows'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed-json', 'the request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed-json', 'the request body is empty but declared as JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body-too-large', 'the request body is larger than this service accepts'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type', 'the request body must be application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad-content-length', 'the Content-Length does not match the body'],
  DSR_BODY_NOT_UTF8: [400, 'body-not-utf8', 'the request body is not UTF-8: JSON is sent as UTF-8, whatever the charset says'],
  DSR_BODY_FORBIDDEN_KEY: [400, 'forbidden-key', 'the request body contains a "__proto__" or "constructor" key, which is refused'],
};

/**
 * The problem a client's request caused in Fastify itself (the table above), or
 * undefined for any other error. A body too large names the limit of its route
 * when it is known (a source upload takes more than a case's change).
 */
export function fastifyProblem(error: { code?: string }, bodyLimit?: number): ProblemDocument | undefined {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && bodyLimit !== undefined) {
    return problem(413, 'body-too-large', `the request body is larger than the ${bodyLimit} bytes this address accepts`);
  }
  const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
  return known && problem(...known);
}

/** The router's refusals (Fastify's `frameworkErrors`): a URL that does not decode, a path segment too long. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  sendProblem(reply, fastifyProblem(error) ?? problem(400, 'bad-request', 'the request cannot be routed'));
}

/**
 * Requests that are not HTTP/1.1 at all (a duplicated Content-Length, a header
 * with a control character, headers too large): Node's parser refuses them on
 * the socket (Fastify's `clientErrorHandler`); the answer is a problem and the
 * connection is closed, since what follows on it cannot be trusted.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || socket.writableEnded) return;
  const [status, code, detail] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request-timeout', 'the request did not arrive in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers-too-large', 'the request headers are larger than this service accepts']
        : [400, 'malformed-request', 'the request is not well-formed HTTP/1.1'];
  const body = JSON.stringify(problem(status, code, detail));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  // Closed in stages, so that a client still sending reads this answer rather than a reset.
  closeAfterLinger(socket);
}
