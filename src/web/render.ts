import type { FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { translate, translateCount, WEB_LANGUAGES, type Strings, type WebLanguage } from './i18n.ts';
import { textOf, WEB_PREFIX, type WebContext } from './context.ts';
import { csrfUserInfo } from './session.ts';

/** Each language's name in itself, for the language switch. */
const LANGUAGE_NAMES: Record<WebLanguage, string> = { en: 'English', fr: 'Français' };

/**
 * The Handlebars of the pages: its own instance (the dossier's templates have
 * theirs), HTML escaping on, and helpers for the interface strings:
 * `{{t "key" name=value}}` and `{{tn "key" count}}` in the page's language;
 * `{{app "/sign-in"}}` is an address of the pages under their prefix (a case's own
 * addresses come from `casePaths`).
 */
export function pageHandlebars(strings: ReadonlyMap<WebLanguage, Strings>): typeof Handlebars {
  const hbs = Handlebars.create();
  const langOf = (options: Handlebars.HelperOptions): WebLanguage => options.data.root.lang;
  hbs.registerHelper('t', (key: string, options: Handlebars.HelperOptions) => translate(strings.get(langOf(options))!, key, options.hash));
  hbs.registerHelper('tn', (key: string, count: number, options: Handlebars.HelperOptions) =>
    translateCount(strings.get(langOf(options))!, langOf(options), key, count, options.hash),
  );
  hbs.registerHelper('app', (path: string) => WEB_PREFIX + path);
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('formatDate', (iso: string, options: Handlebars.HelperOptions) =>
    new Intl.DateTimeFormat(langOf(options), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC',
  );
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  hbs.registerHelper('hasErrors', (errors: { form?: unknown[]; fields?: object } | undefined) => !!errors && ((errors.form?.length ?? 0) > 0 || Object.keys(errors.fields ?? {}).length > 0));
  return hbs;
}

export interface PageOptions {
  title: string;
  /** The page's own GET address, for the language switch: a page shown after a failed form has the form's address. */
  path: string;
  status?: number;
  breadcrumbs?: Array<{ href: string; label: string; lang?: string }>;
}

/**
 * The address an error page offers in the other language: the one that failed
 * when it was read (GET, HEAD), so that the reader sees the same error in their
 * language; the list of cases after a form, whose address is not one to read.
 */
export function errorPagePath(request: FastifyRequest): string {
  const path = request.url.split('?')[0]!;
  return (request.method === 'GET' || request.method === 'HEAD') && path.startsWith(WEB_PREFIX) ? path : WEB_PREFIX;
}

/** The address with `lang` set, everything else kept but a one-time notice. */
function withLanguage(path: string, lang: WebLanguage): string {
  const url = new URL(path, 'http://pages.invalid');
  url.searchParams.delete('notice');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

/** How the signed-in user is named in the page header: role, and the organisation or expert of a partner. */
function userLabel(ctx: WebContext, request: FastifyRequest): string | undefined {
  const session = request.webSession;
  if (!session) return undefined;
  const { t } = textOf(ctx, request);
  const { role, organisation, person } = session.principal;
  const name = organisation ?? person;
  return name ? t('layout.user_with_name', { role: t(`roles.${role}`), name }) : t(`roles.${role}`);
}

/** A page in the layout: header with the session and the language switch, a skip link, the notice of the last action. */
export async function renderPage(ctx: WebContext, request: FastifyRequest, reply: FastifyReply, template: string, options: PageOptions, data: Record<string, unknown> = {}) {
  const { t, has } = textOf(ctx, request);
  const noticeCode = (request.query as { notice?: unknown } | undefined)?.notice;
  const notice = typeof noticeCode === 'string' && /^[a-z-]{1,40}$/.test(noticeCode) && has(`notices.${noticeCode}`) ? t(`notices.${noticeCode}`) : undefined;
  const html = await reply.code(options.status ?? 200).header('cache-control', 'no-store').viewAsync(template, {
    ...data,
    lang: request.lang,
    title: options.title,
    breadcrumbs: options.breadcrumbs ?? [],
    notice,
    user: userLabel(ctx, request),
    home: WEB_PREFIX,
    csrfToken: reply.generateCsrf({ userInfo: csrfUserInfo(request) }),
    languages: WEB_LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code], current: code === request.lang, href: withLanguage(options.path, code) })),
  });
  return reply.send(html);
}

/** The answer to a signed-in user whose role may not do this: 403, saying which role may. */
export function forbiddenPage(ctx: WebContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { t } = textOf(ctx, request);
    const role = request.webSession?.principal.role;
    return renderPage(ctx, request, reply, 'error.hbs', { title: t('errors.forbidden.title'), path: errorPagePath(request), status: 403 }, {
      message: t('errors.forbidden.message', { role: role ? t(`roles.${role}`) : '' }),
    });
  };
}
