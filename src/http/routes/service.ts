import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Criterion } from '../../criteria/schema.ts';
import { migrationsApplied } from '../../store/database.ts';
import { problem, problemResponses, sendProblem } from '../problem.ts';

export const serviceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, cases } = app.deps;

  app.get('/health', {
    schema: { tags: ['service'], summary: 'The process is alive', response: { 200: z.object({ status: z.literal('ok') }) } },
    logLevel: 'warn',
  }, async () => ({ status: 'ok' as const }));

  app.get('/ready', {
    schema: { tags: ['service'], summary: 'The database answers and its migrations are applied', response: { 200: z.object({ status: z.literal('ready') }), ...problemResponses(503) } },
    logLevel: 'warn',
  }, async (request, reply) => {
    try {
      // Reading the migrations' table is the database answering.
      if (await migrationsApplied(db)) return { status: 'ready' as const };
      return sendProblem(reply, problem(503, 'not-ready', 'database migrations are not all applied'));
    } catch (error) {
      request.log.error({ err: error }, 'readiness check failed');
      return sendProblem(reply, problem(503, 'not-ready', 'the database does not answer'));
    }
  });

  app.get('/criteria', {
    schema: { tags: ['criteria'], summary: 'The legal catalogue: every criterion with its English and French text and verification flags', response: { 200: z.array(Criterion) } },
  }, async () => [...cases.catalogue.criteria]);
};
