import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getSignature, IdempotencyKey, listSignatures, sign, SignatureView, SignRequest, withdrawSignature } from '../../cases/signatures.ts';
import { CaseId } from '../../evidence/case-file.ts';
import { actorOf } from '../plugins/auth.ts';
import { problemResponses } from '../problem.ts';
import { CaseParams } from '../schemas.ts';

const SignatureParams = z.strictObject({ id: CaseId, signatureId: z.string().regex(/^sig_[0-9a-f]{16}$/, 'a signature id looks like sig_0123456789abcdef') });

export const signaturesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { cases } = app.deps;
  const partner = app.authenticate('partner');

  app.get('/cases/:id/signatures', {
    schema: { tags: ['signatures'], summary: 'The public list of signatures (no token needed)', params: CaseParams, response: { 200: z.array(SignatureView), ...problemResponses(404, 422) } },
  }, async (request) => listSignatures(cases, request.params.id));

  app.get('/cases/:id/signatures/:signatureId', {
    schema: { tags: ['signatures'], summary: 'One signature (no token needed)', params: SignatureParams, response: { 200: SignatureView, ...problemResponses(404, 422) } },
  }, async (request) => getSignature(cases, request.params.id, request.params.signatureId));

  app.post('/cases/:id/signatures', {
    schema: {
      tags: ['signatures'],
      summary: "Sign for the token's organisation or expert",
      description: 'The organisation or expert comes from the token. The same Idempotency-Key and body answer the same 201 again; the same key with another body is 422; a second signature of the same organisation is 409 pointing at the first; the key of a signature withdrawn since is 409 signature-withdrawn; no signing once the case is approved (409 case-approved, until it is reopened) or submitted (409).',
      security: [{ bearer: [] }],
      params: CaseParams,
      headers: z.object({ 'idempotency-key': IdempotencyKey }),
      body: SignRequest,
      response: { 201: SignatureView, ...problemResponses(401, 403, 404, 409, 422) },
    },
    onRequest: partner,
  }, async (request, reply) => {
    const outcome = await sign(cases, request.params.id, actorOf(request), request.body, request.headers['idempotency-key']);
    if (outcome.replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(201).header('location', outcome.location).send(outcome.signature);
  });

  app.delete('/cases/:id/signatures/:signatureId', {
    schema: {
      tags: ['signatures'],
      summary: "Withdraw the token's own signature",
      description: 'The signature leaves the list and the annex. A withdrawal from an approved case sends it back to review at a new revision: its frozen PDF names the signatory. No withdrawing after submission (409).',
      security: [{ bearer: [] }],
      params: SignatureParams,
      response: { 204: z.null().describe('withdrawn'), ...problemResponses(401, 403, 404, 409, 422) },
    },
    onRequest: partner,
  }, async (request, reply) => {
    await withdrawSignature(cases, request.params.id, actorOf(request), request.params.signatureId);
    return reply.code(204).send(null);
  });
};
