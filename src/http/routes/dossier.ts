import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { draftStamp } from '../../cases/draft-state.ts';
import { CaseId } from '../../evidence/case-file.ts';
import { DOSSIER_LANGUAGES } from '../../render/text/dossier-text.ts';
import { draftModel } from '../draft-model.ts';
import { RecentMap } from '../../shared/recent-map.ts';
import { matchesEtag, notModified } from '../etag.ts';
import { problemResponses } from '../problem.ts';

/** A draft changes with its case: the client asks again each time (no-cache), and gets 304 while it is current. */
const DRAFT_CACHE = 'private, no-cache';

/** How many (case, language) ETags a process remembers; the oldest are forgotten first. */
const REMEMBERED_ETAGS = 1000;

export const dossierRoutes: FastifyPluginAsyncZod = async (app) => {
  const { cases, dossiers } = app.deps;
  /**
   * The ETag of each case's draft per language, with the stamp of the state it
   * was computed from. A conditional GET whose tag is the remembered one reads
   * the stamp (one query) instead of building the model: an equal stamp means
   * the same state, hence the same model and ETag. Any other request builds the
   * model, so the ETag is always the key of what the bytes are made of (dossierPdfKey).
   */
  const etags = new RecentMap<string, { stamp: string; etag: string }>(REMEMBERED_ETAGS);

  app.get('/cases/:id/dossier.pdf', {
    schema: {
      tags: ['dossier'],
      summary: 'The current draft of the dossier as a PDF',
      description: 'The strong ETag is the SHA-256 of what the PDF is made of (the dossier model, the moment of the case\'s last change, the renderer\'s version): equal tags, equal bytes. If-None-Match with it answers 304 without rendering (and, once the tag is known for the case as it stands, without building the model). A model rendered once (by any instance) is served from the PDF cache. 503 when the dossier needs more than a render thread\'s heap (RENDER_HEAP_MB), or when every render thread is busy and RENDER_QUEUE renders already wait (with Retry-After).',
      security: [{ bearer: [] }],
      params: z.strictObject({ id: CaseId }),
      querystring: z.strictObject({ lang: z.enum(DOSSIER_LANGUAGES).default('en') }),
      response: { 200: z.any().describe('application/pdf'), 304: z.null().describe('not modified'), ...problemResponses(401, 403, 404, 422, 503) },
    },
    onRequest: app.authenticate('editor', 'reviewer'),
  }, async (request, reply) => {
    const { id } = request.params;
    const { lang } = request.query;
    const remembered = `${id}/${lang}`;
    const ifNoneMatch = request.headers['if-none-match'];
    const known = etags.get(remembered);
    if (known && matchesEtag(ifNoneMatch, known.etag) && (await draftStamp(cases, id)) === known.stamp) return notModified(reply, known.etag, DRAFT_CACHE);

    const { model, key, at, stamp } = await draftModel(cases, id, lang);
    const etag = `"${key}"`;
    if (stamp !== undefined) etags.set(remembered, { stamp, etag });
    if (matchesEtag(ifNoneMatch, etag)) return notModified(reply, etag, DRAFT_CACHE);
    reply.header('etag', etag).header('cache-control', DRAFT_CACHE);
    // Rendered in a worker thread (or taken from the cache): the event loop stays free for other requests.
    const { pdf } = await dossiers.draft(model, at, key, (err) => request.log.warn({ err }, 'the PDF cache failed (the PDF is served all the same)'));
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${id}-draft-${lang}.pdf"`)
      .send(pdf);
  });
};
