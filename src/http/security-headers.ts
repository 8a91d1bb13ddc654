import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * The headers @fastify/helmet sets with `options`, found once by asking a
 * throw-away instance with and without it. @fastify/helmet builds helmet's
 * middleware anew for every request (its options parsed, its policy written
 * out), which costs as much as a small route; the headers do not depend on the
 * request, so the service sets the same ones from this table.
 */
export function helmetHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  // Asked once per set of options in a process (the tests build many apps with the same ones).
  const key = JSON.stringify(options);
  let headers = probed.get(key);
  if (!headers) probed.set(key, (headers = probeHelmet(options)));
  return headers;
}

const probed = new Map<string, Promise<Record<string, string>>>();

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

/** Sets helmet's headers (as `helmetHeaders` found them) on every answer, as @fastify/helmet registered globally does. */
export async function useSecurityHeaders(app: FastifyInstance, options: FastifyHelmetOptions): Promise<void> {
  const headers = await helmetHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
