import type { FastifyRequest } from 'fastify';
import type { Role } from '../auth/tokens.ts';
import type { AppDeps } from '../http/app-deps.ts';
import type { WebSession } from '../store/web-sessions.ts';
import { translate, translateCount, type Strings, type WebLanguage } from './i18n.ts';

/** Where the pages live; the JSON API keeps every other path. */
export const WEB_PREFIX = '/app';

declare module 'fastify' {
  interface FastifyRequest {
    /** The language the page is written in: ?lang=, then the language cookie, then Accept-Language, then English. */
    lang: WebLanguage;
    /** The signed-in session, or null. */
    webSession: WebSession | null;
  }
}

/** What every page route needs: the service and the interface strings. */
export interface WebContext {
  deps: AppDeps;
  strings: ReadonlyMap<WebLanguage, Strings>;
}

/** The strings of the request's language, bound to it. */
export function textOf(ctx: WebContext, request: FastifyRequest) {
  const strings = ctx.strings.get(request.lang)!;
  return {
    lang: request.lang,
    t: (key: string, params?: Record<string, unknown>) => translate(strings, key, params),
    has: (key: string) => strings.has(key),
    tn: (key: string, count: number, params?: Record<string, unknown>) => translateCount(strings, request.lang, key, count, params),
  };
}
export type Text = ReturnType<typeof textOf>;

/** The role of the signed-in user, if any. */
export const roleOf = (request: FastifyRequest): Role | undefined => request.webSession?.principal.role;
