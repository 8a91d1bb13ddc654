import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addReview, auditLog, listReviews, listVersions, ReviewRequest, verifyAudit, versionPdf } from '../../cases/reviews.ts';
import type { ReviewRecord, VersionRecord } from '../../cases/repository.ts';
import { CaseId } from '../../evidence/case-file.ts';
import { matchesEtag, notModified } from '../etag.ts';
import { actorOf } from '../plugins/auth.ts';
import { problemResponses } from '../problem.ts';
import { AuditVerifyView, AuditView, CaseParams, ReviewView, VersionView } from '../schemas.ts';

const reviewView = ({ tokenId: _t, ...review }: ReviewRecord) => review;
const versionView = (v: VersionRecord) => ({ ...v, href: `/cases/${v.caseId}/versions/${v.n}.pdf` });
/** Asked again each time, so that a revoked token is refused; answered 304 while the client's copy is the version. */
const VERSION_CACHE = 'private, no-cache';

export const reviewsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { cases } = app.deps;
  const read = app.authenticate('editor', 'reviewer');
  const security = [{ bearer: [] }];

  app.get('/cases/:id/reviews', {
    schema: { tags: ['reviews'], summary: 'Comments, approvals and requests for changes', security, params: CaseParams, response: { 200: z.array(ReviewView), ...problemResponses(401, 403, 404) } },
    onRequest: read,
  }, async (request) => (await listReviews(cases, request.params.id)).map(reviewView));

  app.post('/cases/:id/reviews', {
    schema: {
      tags: ['reviews'],
      summary: 'Comment, approve or request changes, optionally on one excerpt',
      description:
        'The approval that reaches REVIEW_APPROVALS approves the case and freezes its PDF as a numbered version. If that PDF cannot be made (503: the render threads\' heap or queue is full, with Retry-After when it will pass; 422: text the fonts cannot show), the approval is not recorded.',
      security,
      params: CaseParams,
      body: ReviewRequest,
      response: { 201: ReviewView.extend({ version: VersionView.optional() }), ...problemResponses(401, 403, 404, 409, 422, 503) },
    },
    onRequest: app.authenticate('reviewer'),
  }, async (request, reply) => {
    const { review, version } = await addReview(cases, actorOf(request), request.params.id, request.body);
    return reply.code(201).send({ ...reviewView(review), ...(version ? { version: versionView(version) } : {}) });
  });

  app.get('/cases/:id/versions', {
    schema: { tags: ['dossier'], summary: 'Frozen versions of the dossier (one per approval)', security, params: CaseParams, response: { 200: z.array(VersionView), ...problemResponses(401, 403, 404) } },
    onRequest: read,
  }, async (request) => (await listVersions(cases, request.params.id)).map(versionView));

  app.get('/cases/:id/versions/:n(^\\d{1,6}).pdf', {
    schema: {
      tags: ['dossier'],
      summary: 'A frozen version of the dossier, byte for byte as approved',
      security,
      params: z.strictObject({ id: CaseId, n: z.coerce.number().int().min(1) }),
      response: { 200: z.any().describe('application/pdf'), ...problemResponses(401, 403, 404) },
    },
    onRequest: read,
  }, async (request, reply) => {
    const { version, pdf } = await versionPdf(cases, request.params.id, request.params.n);
    // A frozen version never changes: its tag is its hash, and a client holding it need not download it again.
    const etag = `"${version.sha256}"`;
    if (matchesEtag(request.headers['if-none-match'], etag)) return notModified(reply, etag, VERSION_CACHE);
    return reply
      .type('application/pdf')
      .header('etag', etag)
      .header('cache-control', VERSION_CACHE)
      .header('x-content-sha256', version.sha256)
      .header('content-disposition', `inline; filename="${version.caseId}-v${version.n}.pdf"`)
      .send(Buffer.from(pdf));
  });

  app.get('/cases/:id/audit', {
    schema: { tags: ['audit'], summary: 'The append-only audit log', security, params: CaseParams, response: { 200: z.array(AuditView), ...problemResponses(401, 403, 404) } },
    onRequest: read,
  }, async (request) => (await auditLog(cases, request.params.id)).map(({ caseId: _c, ...entry }) => entry));

  app.get('/cases/:id/audit/verify', {
    schema: { tags: ['audit'], summary: 'Recompute the hash chain and name the first broken link', security, params: CaseParams, response: { 200: AuditVerifyView, ...problemResponses(401, 403, 404) } },
    onRequest: read,
  }, async (request) => verifyAudit(cases, request.params.id));
};
