import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdempotencyKey, SignatureView, SignRequest } from '../src/cases/signatures.ts';
import { CaseParams } from '../src/http/schemas.ts';
import { z } from 'zod';

/**
 * What a signature costs before the store: the signing request of the API
 * (path, Idempotency-Key and body checked by the same zod schemas, the answer
 * serialized by the schema of a signature) answered 201 with no token, no
 * database and no audit. The API benchmark loads it like the service, so that
 * what the service's signing costs beyond it is the store's part.
 */
const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } }).withTypeProvider<ZodTypeProvider>();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);
app.get('/ready', async () => ({ status: 'ready' }));
app.post('/cases/:id/signatures', {
  schema: { params: CaseParams, headers: z.object({ 'idempotency-key': IdempotencyKey }), body: SignRequest, response: { 201: SignatureView } },
}, async (request, reply) =>
  reply.code(201).header('location', `/cases/${request.params.id}/signatures/sig_0123456789abcdef`).send({
    id: 'sig_0123456789abcdef',
    caseId: request.params.id,
    category: 'organisation',
    name: 'Bench Organisation',
    signatory: request.body.signatory,
    ...(request.body.comment ? { comment: request.body.comment } : {}),
    createdAt: new Date().toISOString(),
  }),
);
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
