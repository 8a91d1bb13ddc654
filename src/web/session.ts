import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../auth/tokens.ts';
import { WEB_PREFIX } from './context.ts';

/** The signed cookie that holds a session id (never the token, which is pasted once and forgotten). */
export const SESSION_COOKIE = 'dossier_session';
export const LANGUAGE_COOKIE = 'dossier_lang';

/** How long a session lasts from sign-in; then the token is asked for again. */
export const SESSION_HOURS = 12;

export const sessionCookie: CookieSerializeOptions = {
  path: '/',
  httpOnly: true,
  sameSite: 'strict',
  // Secure whenever the request came over HTTPS (directly, or through a proxy named by TRUST_PROXY).
  secure: 'auto',
  signed: true,
  maxAge: SESSION_HOURS * 3600,
};

export const languageCookie: CookieSerializeOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: 365 * 24 * 3600 };

/** An address of the pages to go back to after signing in; anything else (another site, `//host`) is refused. */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500 || /[\\\s]/.test(value)) return undefined;
  const url = new URL(value, 'http://pages.invalid');
  // Checked as the browser will read it: `/app/..//host` is `//host` once its dots are resolved.
  const path = url.pathname;
  if (url.origin !== 'http://pages.invalid' || path.startsWith('//') || (path !== WEB_PREFIX && !path.startsWith(`${WEB_PREFIX}/`))) return undefined;
  return `${path}${url.search}`;
}

/**
 * Lets a page through only for a signed-in user of one of these roles: a reader
 * who is not signed in is sent to sign in (and back here after); a user of
 * another role gets 403. The pages show only what a role may do; this is what
 * holds when someone sends a request by hand.
 */
export function needs(forbidden: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>, ...roles: Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const session = request.webSession;
    if (!session) {
      const back = request.method === 'GET' ? safeReturnPath(request.url) : undefined;
      return reply.redirect(`${WEB_PREFIX}/sign-in${back ? `?next=${encodeURIComponent(back)}` : ''}`, 303);
    }
    if (!roles.includes(session.principal.role)) return forbidden(request, reply);
    return undefined;
  };
}

/** What a form's CSRF token is bound to: the session, or (before signing in) the state of being signed out. */
export const csrfUserInfo = (request: FastifyRequest): string => request.webSession?.idSha256 ?? 'signed-out';
