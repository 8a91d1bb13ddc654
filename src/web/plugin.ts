import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import view from '@fastify/view';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { TEMPLATES_DIR } from '../paths.ts';
import { notTextError } from '../http/json-body.ts';
import { answerRenderRefusal } from '../http/refusals.ts';
import { pageSecurityHeaders, useSecurityHeaders } from '../http/security-headers.ts';
import { findWebSession, sharedSecret } from '../store/web-sessions.ts';
import { textOf, WEB_PREFIX, type WebContext } from './context.ts';
import { refusal } from './forms.ts';
import { loadStrings, negotiateLanguage, WebLanguage } from './i18n.ts';
import { errorPagePath, pageHandlebars, renderPage } from './render.ts';
import { caseRoutes } from './routes/cases.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { signInRoutes } from './routes/sign-in.ts';
import { signatureRoutes } from './routes/signatures.ts';
import { sourceRoutes } from './routes/sources.ts';
import { csrfUserInfo, LANGUAGE_COOKIE, languageCookie, SESSION_COOKIE } from './session.ts';

const TEMPLATES = join(TEMPLATES_DIR, 'web');
const STYLESHEET = readFileSync(join(TEMPLATES, 'web.css'));

/**
 * The web pages for legal teams, reviewers and partners, under /app. This
 * plugin is encapsulated: its cookies, form bodies, CSRF checks and HTML errors
 * apply to the pages only, and the JSON API keeps its bearer tokens and
 * problem+json. Every action calls the same functions of src/cases as the API.
 */
export async function webPages(app: FastifyInstance): Promise<void> {
  const { deps } = app;
  const strings = loadStrings(TEMPLATES);
  const ctx: WebContext = { deps, strings };
  // One secret for every instance: from the environment, or made once and kept in the database.
  const secret = deps.config.SESSION_SECRET ?? (await sharedSecret(deps.db, 'web-session-cookie', () => randomBytes(32).toString('base64url'), new Date()));

  // Pages are HTML: helmet's headers, in place of the API's (this context's hook runs after the root's).
  useSecurityHeaders(app, await pageSecurityHeaders());
  await app.register(cookie, { secret, hook: 'onRequest' });
  await app.register(formbody);
  // Pages take form bodies only: a JSON body here would put numbers and objects where forms have text (415 page).
  app.removeContentTypeParser('application/json');
  await app.register(csrf, {
    cookieKey: 'dossier_csrf',
    cookieOpts: { path: WEB_PREFIX, sameSite: 'strict', httpOnly: true, secure: 'auto', signed: true },
    // Tokens are bound to the session they were made for: one made before signing in does not serve after.
    getUserInfo: (request) => csrfUserInfo(request),
    getToken: (request) => {
      const token = (request.body as { _csrf?: unknown } | undefined)?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
    csrfOpts: { userInfo: true, hmacKey: createHmac('sha256', secret).update('csrf').digest('base64url') },
  });
  await app.register(view, {
    engine: { handlebars: pageHandlebars(strings) },
    root: TEMPLATES,
    layout: 'layout.hbs',
    production: true,
    options: {
      partials: {
        errors: 'partials/errors.hbs',
        csrf: 'partials/csrf.hbs',
        'field-error': 'partials/field-error.hbs',
        'excerpt-card': 'partials/excerpt-card.hbs',
        'case-nav': 'partials/case-nav.hbs',
        suggestion: 'partials/suggestion.hbs',
      },
    },
  });

  app.decorateRequest('lang', 'en');
  app.decorateRequest('webSession', null);
  // The pages are not part of the API's description.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  app.addHook('onRequest', async (request, reply) => {
    const asked = WebLanguage.safeParse((request.query as { lang?: unknown }).lang);
    if (asked.success) {
      request.lang = asked.data;
      reply.setCookie(LANGUAGE_COOKIE, asked.data, languageCookie);
    } else {
      const kept = WebLanguage.safeParse(request.cookies[LANGUAGE_COOKIE]);
      request.lang = kept.success ? kept.data : (negotiateLanguage(request.headers['accept-language']) ?? 'en');
    }
    const raw = request.cookies[SESSION_COOKIE];
    const id = raw ? request.unsignCookie(raw) : undefined;
    if (id?.valid && id.value) request.webSession = (await findWebSession(deps.db, id.value, new Date())) ?? null;
    // The API's rules name the actor from the request's principal, whichever way it signed in.
    if (request.webSession) request.principal = request.webSession.principal;
    reply.header('vary', 'Accept-Language, Cookie');
  });

  // Form fields must be text as JSON bodies must (src/http/json-body.ts): a NUL would fail in PostgreSQL, an unpaired surrogate would be stored altered.
  app.addHook('preValidation', async (request) => {
    const refusal = notTextError(request.body, 'form', 'the form');
    if (refusal) throw refusal;
  });
  app.setErrorHandler(async (error: FastifyError, request, reply) => errorPage(ctx, error, request, reply));

  app.get('/', async (_request, reply) => reply.redirect(WEB_PREFIX, 302));
  app.get(`${WEB_PREFIX}/static/web.css`, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );
  await app.register(async (pages) => {
    // Unknown addresses under /app are answered with a page (405 with Allow where the address exists for other methods); elsewhere the API's problem+json stays.
    pages.setNotFoundHandler(async (request, reply) => {
      const { t } = textOf(ctx, request);
      const allowed = app.allowedMethods(request.url.split('?')[0]!);
      if (allowed.length) {
        reply.header('allow', allowed.join(', '));
        return renderPage(ctx, request, reply, 'error.hbs', { title: t('errors.method_not_allowed.title'), path: errorPagePath(request), status: 405 }, { message: t('errors.method_not_allowed.message') });
      }
      return renderPage(ctx, request, reply, 'error.hbs', { title: t('errors.not_found.title'), path: errorPagePath(request), status: 404 }, { message: t('errors.not_found.message') });
    });
    await signInRoutes(pages, ctx);
    await caseRoutes(pages, ctx);
    await sourceRoutes(pages, ctx);
    await signatureRoutes(pages, ctx);
    await reviewRoutes(pages, ctx);
  }, { prefix: WEB_PREFIX });
}

const CSRF_CODES = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN']);

/** Every error of a page as a page: in plain words, in the reader's language, never a stack or SQL. */
async function errorPage(ctx: WebContext, error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const text = textOf(ctx, request);
  const show = (status: number, key: string, params?: Record<string, unknown>, detailParams?: Record<string, unknown>) =>
    renderPage(ctx, request, reply, 'error.hbs', { title: text.t(`errors.${key}.title`), path: errorPagePath(request), status }, {
      message: text.t(`errors.${key}.message`, params),
      detail: detailParams && text.t(`errors.${key}.detail`, detailParams),
    });
  try {
    if (error.code && CSRF_CODES.has(error.code)) return await show(403, 'csrf');
    const refusedRender = answerRenderRefusal(error, request, reply);
    if (refusedRender) {
      return await show(refusedRender.status, refusedRender.page, refusedRender.pageParams, refusedRender.pageDetail);
    }
    if (hasZodFastifySchemaValidationErrors(error)) return await show(404, 'not_found');
    const refused = refusal(error, text);
    if (refused) {
      const first = refused.errors.form[0]!;
      return await renderPage(ctx, request, reply, 'error.hbs', { title: text.t(refused.status === 404 ? 'errors.not_found.title' : 'errors.refused_title'), path: errorPagePath(request), status: refused.status }, { message: first.message, englishDetail: first.detail });
    }
    if (error.statusCode === 413) return await show(413, 'too_large');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return await show(error.statusCode, 'bad_request');
    request.log.error({ err: error }, 'unexpected error on a page');
    return await show(500, 'internal');
  } catch (failed) {
    request.log.error({ err: failed, cause: error }, 'the error page failed');
    return reply.code(500).type('text/plain; charset=utf-8').send('The page failed; the failure has been logged.');
  }
}
