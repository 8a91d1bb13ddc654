import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { coverage, createExcerpt, ExcerptCreate, ExcerptUpdate, getExcerpt, getSource, listExcerpts, listSources, sourceView, SourceUpload, updateExcerpt, uploadSource, withdrawExcerpt } from '../../cases/evidence.ts';
import { CaseError } from '../../cases/errors.ts';
import { CriterionId } from '../../criteria/schema.ts';
import { CaseId, ExcerptId } from '../../evidence/case-file.ts';
import { SourceId } from '../../sources/manifest.ts';
import { actorOf } from '../plugins/auth.ts';
import { problemResponses } from '../problem.ts';
import { CaseParams, CoverageView, ExcerptView, SourceSummary, SourceWithText } from '../schemas.ts';

const ExcerptParams = z.strictObject({ id: CaseId, excerptId: ExcerptId });

/**
 * The body that carries a source of `sourceLimit` bytes of UTF-8, however its
 * JSON is written: a client that escapes every non-ASCII character (as Python's
 * json does by default) writes up to three bytes for each byte of text (`é`, two
 * bytes, as `\u00e9`), and a control character is refused as a source anyway.
 * The text's own limit is checked once parsed (source-too-large).
 */
const sourceBodyLimit = (sourceLimit: number) => 3 * sourceLimit + 64 * 1024;

export const evidenceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { cases, config } = app.deps;
  const read = app.authenticate('editor', 'reviewer');
  const edit = app.authenticate('editor');
  const security = [{ bearer: [] }];

  app.get('/sources', {
    schema: { tags: ['sources'], summary: 'List the sources', security, response: { 200: z.array(SourceSummary), ...problemResponses(401, 403) } },
    onRequest: read,
  }, async () => (await listSources(cases)).map(sourceView));

  app.get('/sources/:id', {
    schema: { tags: ['sources'], summary: 'Read a source with its exact text', security, params: z.strictObject({ id: SourceId }), response: { 200: SourceWithText, ...problemResponses(401, 403, 404) } },
    onRequest: read,
  }, async (request) => {
    const record = await getSource(cases, request.params.id);
    return { ...sourceView(record), text: record.text };
  });

  app.post('/sources', {
    schema: {
      tags: ['sources'],
      summary: 'Upload a new plain-text source',
      description: `The SHA-256 is computed from the text; the same text twice is refused (409). At most ${config.SOURCE_LIMIT} bytes of UTF-8 text.`,
      security,
      body: SourceUpload,
      response: { 201: SourceSummary, ...problemResponses(401, 403, 409, 413, 422) },
    },
    onRequest: edit,
    bodyLimit: sourceBodyLimit(config.SOURCE_LIMIT),
  }, async (request, reply) => {
    const { text } = request.body;
    if (Buffer.byteLength(text, 'utf8') > config.SOURCE_LIMIT) {
      throw new CaseError('unprocessable', 'source-too-large', `the source text is ${Buffer.byteLength(text, 'utf8')} bytes; at most ${config.SOURCE_LIMIT} are accepted`);
    }
    const record = await uploadSource(cases, request.body);
    return reply.code(201).header('location', `/sources/${record.entry.id}`).send(sourceView(record));
  });

  app.get('/cases/:id/excerpts', {
    schema: {
      tags: ['excerpts'],
      summary: 'List the excerpts of a case',
      security,
      params: CaseParams,
      querystring: z.strictObject({ criterion: CriterionId.optional(), source: SourceId.optional() }),
      response: { 200: z.array(ExcerptView), ...problemResponses(401, 403, 404, 422) },
    },
    onRequest: read,
  }, async (request) => listExcerpts(cases, request.params.id, request.query));

  app.post('/cases/:id/excerpts', {
    schema: {
      tags: ['excerpts'],
      summary: 'Add an excerpt, anchored in its source',
      description: 'Without a position, the quote must occur once in the source, or once with the prefix and suffix given (the text just before and after it, kept as given); with one, quote and position must match the source exactly (422 naming the mismatch).',
      security,
      params: CaseParams,
      body: ExcerptCreate,
      response: { 201: ExcerptView, ...problemResponses(401, 403, 404, 409, 422) },
    },
    onRequest: edit,
  }, async (request, reply) => {
    const excerpt = await createExcerpt(cases, actorOf(request), request.params.id, request.body);
    return reply.code(201).header('location', `/cases/${request.params.id}/excerpts/${excerpt.id}`).send(excerpt);
  });

  app.get('/cases/:id/excerpts/:excerptId', {
    schema: { tags: ['excerpts'], summary: 'One excerpt of a case (404 once withdrawn)', security, params: ExcerptParams, response: { 200: ExcerptView, ...problemResponses(401, 403, 404, 422) } },
    onRequest: read,
  }, async (request) => getExcerpt(cases, request.params.id, request.params.excerptId));

  app.patch('/cases/:id/excerpts/:excerptId', {
    schema: { tags: ['excerpts'], summary: "Change an excerpt's criteria, note or exculpatory flag", security, params: ExcerptParams, body: ExcerptUpdate, response: { 200: ExcerptView, ...problemResponses(401, 403, 404, 409, 422) } },
    onRequest: edit,
  }, async (request) => updateExcerpt(cases, actorOf(request), request.params.id, request.params.excerptId, request.body));

  app.delete('/cases/:id/excerpts/:excerptId', {
    schema: { tags: ['excerpts'], summary: 'Withdraw an excerpt', security, params: ExcerptParams, response: { 204: z.null().describe('withdrawn'), ...problemResponses(401, 403, 404, 409) } },
    onRequest: edit,
  }, async (request, reply) => {
    await withdrawExcerpt(cases, actorOf(request), request.params.id, request.params.excerptId);
    return reply.code(204).send(null);
  });

  app.get('/cases/:id/coverage', {
    schema: { tags: ['excerpts'], summary: 'Evidence per claimed criterion, independent sources, and gaps', security, params: CaseParams, response: { 200: CoverageView, ...problemResponses(401, 403, 404) } },
    onRequest: read,
  }, async (request) => coverage(cases, request.params.id));
};
