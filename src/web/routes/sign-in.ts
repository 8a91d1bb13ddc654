import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createWebSession, deleteWebSession } from '../../store/web-sessions.ts';
import { findActiveToken } from '../../store/token-store.ts';
import { textOf, WEB_PREFIX, type WebContext } from '../context.ts';
import { field, formBody, noErrors, type FormErrors } from '../forms.ts';
import { renderPage } from '../render.ts';
import { safeReturnPath, SESSION_COOKIE, SESSION_HOURS, sessionCookie } from '../session.ts';
import { SignInLimit } from '../sign-in-limit.ts';

/** Sign in by pasting a token (the same tokens as the API), and sign out. */
export async function signInRoutes(app: FastifyInstance, ctx: WebContext): Promise<void> {
  const { db, config } = ctx.deps;
  const limit = new SignInLimit(config.AUTH_FAILURES_PER_MINUTE);

  const page = (request: FastifyRequest, reply: FastifyReply, next: string | undefined, errors: FormErrors = noErrors(), status = 200) => {
    const { t } = textOf(ctx, request);
    return renderPage(ctx, request, reply, 'sign-in.hbs', { title: t('sign_in.title'), path: `${WEB_PREFIX}/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`, status }, { next, errors, onSignInPage: true });
  };

  app.get('/sign-in', async (request, reply) => page(request, reply, safeReturnPath((request.query as { next?: unknown }).next)));

  app.post('/sign-in', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { t } = textOf(ctx, request);
    const body = formBody(request.body);
    const next = safeReturnPath(field(body, 'next'));
    if (limit.blocked(request.ip)) {
      return page(request, reply.header('retry-after', '60'), next, { fields: {}, form: [{ message: t('sign_in.too_many') }] }, 429);
    }
    const token = field(body, 'token').trim();
    const principal = /^[\x21-\x7e]{1,512}$/.test(token) ? await findActiveToken(db, token) : undefined;
    if (!principal) {
      limit.fail(request.ip);
      const message = token ? t('sign_in.unknown_token') : t('errors.field.required');
      return page(request, reply, next, { fields: { token: message }, form: [] }, 422);
    }
    // A fresh id on every sign-in, so that an id planted before cannot be carried into the session.
    const previous = request.webSession ? request.unsignCookie(request.cookies[SESSION_COOKIE] ?? '').value : null;
    if (previous) await deleteWebSession(db, previous);
    const now = new Date();
    const id = await createWebSession(db, principal.tokenId, now, new Date(now.getTime() + SESSION_HOURS * 3600_000));
    reply.setCookie(SESSION_COOKIE, id, sessionCookie);
    return reply.redirect(next ?? `${WEB_PREFIX}?notice=signed-in`, 303);
  });

  // Without a live session (it ended or was revoked) there is nothing to protect: the cookie is cleared all the same.
  const csrfWhileSignedIn = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => (request.webSession ? app.csrfProtection(request, reply, done) : done());
  app.post('/sign-out', { preHandler: csrfWhileSignedIn }, async (request, reply) => {
    const raw = request.cookies[SESSION_COOKIE];
    const id = raw ? request.unsignCookie(raw) : undefined;
    if (id?.valid && id.value) await deleteWebSession(db, id.value);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(`${WEB_PREFIX}/sign-in?notice=signed-out`, 303);
  });
}
