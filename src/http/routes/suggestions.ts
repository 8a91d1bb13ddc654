import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AcceptRequest, acceptSuggestion, RejectRequest, rejectSuggestion, suggest, SuggestionsRequest } from '../../cases/suggestions.ts';
import { Suggestion } from '../../mapping/schema.ts';
import { SourceId } from '../../sources/manifest.ts';
import { actorOf } from '../plugins/auth.ts';
import { problemResponses } from '../problem.ts';
import { ExcerptView } from '../schemas.ts';

const SourceParams = z.strictObject({ id: SourceId });
const SuggestionParams = z.strictObject({ id: SourceId, suggestionId: z.string().regex(/^sug_[0-9a-f]{16}$/, 'a suggestion id looks like sug_0123456789abcdef') });
const SuggestionsView = z.object({
  source: z.object({ id: z.string(), sha256: z.string(), language: z.string() }),
  suggestions: z.array(Suggestion.extend({ id: z.string() })),
});

export const suggestionsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { cases } = app.deps;
  const edit = app.authenticate('editor');
  const security = [{ bearer: [] }];

  app.post('/sources/:id/suggestions', {
    schema: {
      tags: ['suggestions'],
      summary: "The evidence mapper's suggestions of criteria for a stored source",
      description: 'Each passage with the criteria suggested, a score and why. Passages already quoted in the case and suggestions rejected for this source are left out. A suggestion is never evidence until an editor accepts it.',
      security,
      params: SourceParams,
      body: SuggestionsRequest,
      response: { 200: SuggestionsView, ...problemResponses(401, 403, 404, 422) },
    },
    onRequest: edit,
  }, async (request) => suggest(cases, request.params.id, request.body));

  app.post('/sources/:id/suggestions/:suggestionId/accept', {
    schema: {
      tags: ['suggestions'],
      summary: 'Accept a suggestion: it becomes an excerpt of the case, anchored in the source and recorded in the audit log',
      security,
      params: SuggestionParams,
      body: AcceptRequest,
      response: { 201: ExcerptView, ...problemResponses(401, 403, 404, 409, 422) },
    },
    onRequest: edit,
  }, async (request, reply) => {
    const excerpt = await acceptSuggestion(cases, actorOf(request), request.params.id, request.params.suggestionId, request.body);
    return reply.code(201).header('location', `/cases/${request.body.case}/excerpts/${excerpt.id}`).send(excerpt);
  });

  app.post('/sources/:id/suggestions/:suggestionId/reject', {
    schema: {
      tags: ['suggestions'],
      summary: 'Reject a suggestion: it is remembered and not suggested again for this source',
      security,
      params: SuggestionParams,
      body: RejectRequest,
      response: { 204: z.null().describe('rejected'), ...problemResponses(401, 403, 404, 422) },
    },
    onRequest: edit,
  }, async (request, reply) => {
    await rejectSuggestion(cases, actorOf(request), request.params.id, request.params.suggestionId, request.body);
    return reply.code(204).send(null);
  });
};
