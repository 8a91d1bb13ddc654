import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalLabel } from '../../auth/tokens.ts';
import { caseView, getCase } from '../../cases/cases.ts';
import { addReview, approvalBy, listReviews, reviewOpen, ReviewRequest } from '../../cases/reviews.ts';
import { CaseId } from '../../evidence/case-file.ts';
import { actorOf } from '../../http/plugins/auth.ts';
import { casePaths, localNextStep } from '../case-view.ts';
import { roleOf, textOf, WEB_PREFIX, type WebContext } from '../context.ts';
import { field, fieldErrors, formBody, noErrors, optional, refusal, type FormBody, type FormErrors } from '../forms.ts';
import { forbiddenPage, renderPage } from '../render.ts';
import { needs } from '../session.ts';

const KINDS = ['comment', 'approve', 'request_changes'] as const;

export async function reviewRoutes(parent: FastifyInstance, ctx: WebContext): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { cases } = ctx.deps;
  const forbidden = forbiddenPage(ctx);
  const readers = needs(forbidden, 'editor', 'reviewer');
  const reviewers = needs(forbidden, 'reviewer');
  const CaseParams = z.object({ id: CaseId });

  async function reviewsPage(request: FastifyRequest, reply: FastifyReply, caseId: string, errors: FormErrors = noErrors(), values: FormBody = {}, status = 200) {
    const text = textOf(ctx, request);
    const record = await getCase(cases, caseId);
    const view = await caseView(cases, record);
    const reviews = await listReviews(cases, caseId);
    const paths = casePaths(caseId);
    const chosen = field(values, 'excerpt');
    const principal = request.webSession?.principal;
    const approvedByMe = principal?.role === 'reviewer' && approvalBy(reviews, principalLabel(principal), view.revision) !== undefined;
    return renderPage(ctx, request, reply, 'reviews.hbs', {
      title: text.t('reviews.title', { case: record.file.title }),
      path: paths.reviews,
      status,
      breadcrumbs: [{ href: WEB_PREFIX, label: text.t('cases.title') }, { href: paths.case, label: record.file.title, lang: record.file.language }],
    }, {
      case: {
        id: caseId,
        title: record.file.title,
        language: record.file.language,
        statusLabel: text.t(`status.names.${view.status}`),
        nextStep: localNextStep(text, view.status, view.approvals, view.approvalsRequired),
        revision: view.revision,
      },
      nav: { current: 'reviews', paths },
      // Newest first: what a reviewer opening the page wants to read.
      reviews: [...reviews].reverse().map((r) => ({
        kindLabel: text.t(`reviews.kinds.${r.kind}`),
        kind: r.kind,
        // The reviewer as the audit log names them, without the role every review has.
        who: r.reviewer.replace(/^reviewer:/, ''),
        text: r.text,
        excerpt: r.excerptId,
        excerptHref: r.excerptId ? excerptHref(record.file.excerpts.find((e) => e.id === r.excerptId)?.source, r.excerptId, paths) : undefined,
        revision: r.revision,
        current: r.revision === view.revision,
        createdAt: r.createdAt,
      })),
      canReview: roleOf(request) === 'reviewer' && reviewOpen('comment', view.status),
      // Only the buttons whose review the case takes now; the service refuses the others all the same.
      canApprove: reviewOpen('approve', view.status) && !approvedByMe,
      approvedByMe,
      canRequestChanges: reviewOpen('request_changes', view.status),
      excerpts: record.file.excerpts.map((e) => ({ id: e.id, selected: e.id === chosen })),
      values: { text: field(values, 'text') },
      errors,
      action: paths.reviews,
    });
  }

  function excerptHref(source: string | undefined, excerpt: string, paths: ReturnType<typeof casePaths>) {
    return source ? paths.source(source, excerpt) : undefined;
  }

  app.get('/cases/:id/reviews', { schema: { params: CaseParams }, preHandler: readers }, async (request, reply) => reviewsPage(request, reply, request.params.id));

  app.post('/cases/:id/reviews', { schema: { params: CaseParams }, preHandler: [app.csrfProtection, reviewers] }, async (request, reply) => {
    const text = textOf(ctx, request);
    const { id } = request.params;
    const body = formBody(request.body);
    const kind = z.enum(KINDS).safeParse(field(body, 'kind'));
    if (!kind.success) return reviewsPage(request, reply, id, { fields: {}, form: [{ message: text.t('errors.field.invalid') }] }, body, 422);
    // The revision the page showed: a case changed since is refused (revision-changed), not reviewed unread.
    const revision = z.coerce.number().int().positive().optional().safeParse(optional(field(body, 'revision')));
    if (!revision.success) return reviewsPage(request, reply, id, { fields: {}, form: [{ message: text.t('errors.field.invalid') }] }, body, 422);
    const parsed = ReviewRequest.safeParse({ kind: kind.data, text: optional(field(body, 'text')), excerpt: optional(field(body, 'excerpt')), revision: revision.data });
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, text, (path) => (path[0] === 'excerpt' ? 'excerpt' : 'text'));
      // The rules' one custom refusal: a comment or a request for changes needs a text.
      if (kind.data !== 'approve' && !optional(field(body, 'text'))) errors.fields.text = text.t('reviews.text_needed');
      return reviewsPage(request, reply, id, errors, body, 422);
    }
    try {
      await addReview(cases, actorOf(request), id, parsed.data);
    } catch (error) {
      const refused = refusal(error, text);
      if (!refused) throw error;
      return reviewsPage(request, reply, id, refused.errors, body, refused.status);
    }
    return reply.redirect(`${casePaths(id).reviews}?notice=review-${kind.data.replace('_', '-')}`, 303);
  });
}
