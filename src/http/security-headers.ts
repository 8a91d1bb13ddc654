import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * helmet's options for HTML: Swagger UI at /docs needs its own scripts, inline
 * styles and data: images. Without helmet's `upgrade-insecure-requests`: served
 * over plain HTTP on any address but loopback (a LAN, HOST=0.0.0.0 in the
 * Docker image), it sent the stylesheet and every form to an https:// the
 * service does not answer. Over HTTPS every address of the pages is already https.
 */
const PAGE_OPTIONS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null },
  },
};

let pageHeaders: Promise<Record<string, string>> | undefined;

/**
 * The headers @fastify/helmet sets for the HTML contexts (the pages under /app
 * and Swagger UI at /docs), found once per process by asking a throw-away
 * instance with and without it. @fastify/helmet builds helmet's middleware
 * anew for every request (its options parsed, its policy written out), which
 * costs as much as a small route; the headers do not depend on the request.
 */
export function pageSecurityHeaders(): Promise<Record<string, string>> {
  pageHeaders ??= probeHelmet(PAGE_OPTIONS);
  return pageHeaders;
}

async function probeHelmet(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const headersOf = async (withHelmet: boolean) => {
    const probe = Fastify();
    if (withHelmet) await probe.register(helmet, options);
    probe.get('/', async () => ({}));
    const response = await probe.inject({ method: 'GET', url: '/' });
    await probe.close();
    return response.headers;
  };
  const plain = await headersOf(false);
  const secured = await headersOf(true);
  return Object.fromEntries(Object.entries(secured).filter(([name, value]) => typeof value === 'string' && plain[name] === undefined)) as Record<string, string>;
}

/**
 * What an API answer (JSON, problem+json, a PDF) needs: it loads nothing, no
 * page may frame it, and it is never sniffed as something else (OWASP REST
 * Security Cheat Sheet, "Security headers"). helmet's set is written for HTML
 * pages; here it would only make every answer twice as long, and a 304 is
 * mostly headers.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * Sets `headers` on every answer of `app`'s context but a 304, which carries no
 * metadata beyond its tag and caching (RFC 9110, 15.4.5): the client keeps the
 * headers of the copy it has. The hook runs as the answer is sent, so a route
 * cannot replace these; a context registered inside it (the pages) may set its
 * own: its hook runs after this one, and the headers it names replace these.
 */
export function useSecurityHeaders(app: FastifyInstance, headers: Readonly<Record<string, string>>): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode !== 304) reply.headers(headers);
    done(null, payload);
  });
}
