import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { principalLabel, type Principal, type Role } from '../../auth/tokens.ts';
import type { Actor } from '../../cases/context.ts';
import { problem, sendProblem } from '../problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface AuthOptions {
  findToken: (token: string) => Promise<Principal | undefined>;
  /** Failed authentications allowed per client address in a minute; then 429. */
  failuresPerMinute: number;
}

/**
 * Bearer tokens. A missing or unknown token is 401, a known token without the
 * right role 403. Failed attempts are counted per address: @fastify/rate-limit
 * counts every request, and an honest client should not pay for an attacker's guesses.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthOptions) => {
    const failures = new Map<string, { count: number; since: number }>();
    const windowMs = 60_000;

    const tooMany = (ip: string): boolean => {
      const entry = failures.get(ip);
      return !!entry && Date.now() - entry.since < windowMs && entry.count >= options.failuresPerMinute;
    };
    const fail = (ip: string) => {
      const now = Date.now();
      const entry = failures.get(ip);
      if (!entry || now - entry.since >= windowMs) failures.set(ip, { count: 1, since: now });
      else entry.count++;
      // Bounded memory: forget the oldest addresses first, never everyone at once.
      for (const key of failures.keys()) {
        if (failures.size <= 10_000) break;
        failures.delete(key);
      }
    };

    app.decorate('authenticate', (...roles: Role[]) => async (request: FastifyRequest, reply: FastifyReply) => {
      if (tooMany(request.ip)) {
        return sendProblem(reply.header('retry-after', '60'), problem(429, 'too-many-failed-authentications', 'too many failed authentications from this address; try again in a minute'));
      }
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer ([\x21-\x7e]{1,512})$/i.exec(header.trim()) : null;
      const principal = match ? await options.findToken(match[1]!) : undefined;
      if (!principal) {
        fail(request.ip);
        return sendProblem(reply.header('www-authenticate', 'Bearer realm="dossier"'), problem(401, 'unauthenticated', header ? 'the bearer token is unknown or revoked' : 'this request needs an Authorization: Bearer token'));
      }
      request.principal = principal;
      if (!roles.includes(principal.role)) {
        return sendProblem(reply, problem(403, 'forbidden', `a ${principal.role} token cannot do this; it needs a token of role ${roles.join(' or ')}`));
      }
    });
  },
  { name: 'auth' },
);

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (...roles: Role[]) => (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  }
}

/** The authenticated caller as the audit log records them. */
export function actorOf(request: FastifyRequest): Actor & Principal {
  const principal = request.principal!;
  return { ...principal, label: principalLabel(principal) };
}
