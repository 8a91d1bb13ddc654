import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCase } from '../../cases/cases.ts';
import { listSources } from '../../cases/evidence.ts';
import { CaseId } from '../../evidence/case-file.ts';
import { dossierModel } from '../../render/dossier-pdf.ts';
import { DOSSIER_LANGUAGES } from '../../render/text/dossier-text.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { sha256Hex } from '../../shared/hash.ts';
import { problemResponses } from '../problem.ts';

/** True when an If-None-Match header names this entity tag (or any, with *). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === '*' || t === etag);
}

export const dossierRoutes: FastifyPluginAsyncZod = async (app) => {
  const { cases, dossiers } = app.deps;

  app.get('/cases/:id/dossier.pdf', {
    schema: {
      tags: ['dossier'],
      summary: 'The current draft of the dossier as a PDF',
      description: 'The strong ETag is the SHA-256 of the dossier model; If-None-Match with it answers 304 without rendering. A model rendered once (by any instance) is served from the PDF cache.',
      security: [{ bearer: [] }],
      params: z.strictObject({ id: CaseId }),
      querystring: z.strictObject({ lang: z.enum(DOSSIER_LANGUAGES).default('en') }),
      response: { 200: z.any().describe('application/pdf'), 304: z.null().describe('not modified'), ...problemResponses(401, 403, 404, 422) },
    },
    onRequest: app.authenticate('editor', 'reviewer'),
  }, async (request, reply) => {
    const record = await getCase(cases, request.params.id);
    const sources = (await listSources(cases)).map((s) => s.entry);
    // The dossier speaks for the moment of the case's last change, so the same state gives the same bytes.
    const at = new Date(record.updatedAt);
    const model = dossierModel({ file: record.file, catalogue: cases.catalogue, sources, lang: request.query.lang, at });
    const key = sha256Hex(canonicalJson(model));
    const etag = `"${key}"`;
    reply.header('etag', etag).header('cache-control', 'private, no-cache');
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
    // Rendered in a worker thread (or taken from the cache): the event loop stays free for other requests.
    const { pdf } = await dossiers.draft(model, at, key, (err) => request.log.warn({ err }, 'the PDF cache failed (the PDF is served all the same)'));
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${record.file.id}-draft-${request.query.lang}.pdf"`)
      .send(pdf);
  });
};
