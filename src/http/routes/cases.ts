import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CaseCreate, CaseUpdate, caseView, changeStatus, createCase, getCase, listCases, updateCase } from '../../cases/cases.ts';
import { exportCase } from '../../cases/import-export.ts';
import { CaseFile } from '../../evidence/case-file.ts';
import { toFollowTheMoney, toJsonLines } from '../../evidence/ftm.ts';
import { actorOf } from '../plugins/auth.ts';
import { problemResponses } from '../problem.ts';
import { CaseParams, CaseSummaryView, CaseView } from '../schemas.ts';

export const casesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { cases } = app.deps;
  const read = app.authenticate('editor', 'reviewer');
  const edit = app.authenticate('editor');

  app.get('/cases', {
    schema: { tags: ['cases'], summary: 'List the cases', security: [{ bearer: [] }], response: { 200: z.array(CaseSummaryView), ...problemResponses(401, 403) } },
    onRequest: read,
  }, async () => listCases(cases));

  app.post('/cases', {
    schema: { tags: ['cases'], summary: 'Create a case (draft)', security: [{ bearer: [] }], body: CaseCreate, response: { 201: CaseView, ...problemResponses(401, 403, 409, 422) } },
    onRequest: edit,
  }, async (request, reply) => {
    const record = await createCase(cases, actorOf(request), request.body);
    return reply.code(201).header('location', `/cases/${record.file.id}`).send(await caseView(cases, record));
  });

  app.get('/cases/:id', {
    schema: { tags: ['cases'], summary: 'Read a case', security: [{ bearer: [] }], params: CaseParams, response: { 200: CaseView, ...problemResponses(401, 403, 404) } },
    onRequest: read,
  }, async (request) => caseView(cases, await getCase(cases, request.params.id)));

  app.patch('/cases/:id', {
    schema: {
      tags: ['cases'],
      summary: 'Change the title, identity, claims or statement of reasons',
      description:
        "Each field sent replaces the case's field whole (to change one of the target's names, send the target as it should read). With `revision`, a case another editor changed since is refused (409 revision-changed) rather than overwritten. A change to an approved case returns it to review; a submitted case is frozen (409).",
      security: [{ bearer: [] }],
      params: CaseParams,
      body: CaseUpdate,
      response: { 200: CaseView, ...problemResponses(401, 403, 404, 409, 422) },
    },
    onRequest: edit,
  }, async (request) => caseView(cases, await updateCase(cases, actorOf(request), request.params.id, request.body)));

  app.post('/cases/:id/status', {
    schema: {
      tags: ['cases'],
      summary: 'Move the case: request a review, submit the approved case, or reopen it as a draft',
      description: 'draft → in_review (request_review) → approved (by reviewers\' approvals) → submitted (submit).',
      security: [{ bearer: [] }],
      params: CaseParams,
      body: z.strictObject({ request: z.enum(['request_review', 'submit', 'reopen']) }),
      response: { 200: CaseView, ...problemResponses(401, 403, 404, 409, 422) },
    },
    onRequest: edit,
  }, async (request) => caseView(cases, await changeStatus(cases, actorOf(request), request.params.id, request.body.request)));

  app.get('/cases/:id/ftm.json', {
    schema: {
      tags: ['cases'],
      summary: 'The proposed listing as FollowTheMoney entities, one JSON entity per line',
      description: 'The target as a Company, related entities through Ownership or UnknownLink, and a Sanction with status "proposed".',
      security: [{ bearer: [] }],
      params: CaseParams,
      response: { 200: z.string().describe('application/x-ndjson'), ...problemResponses(401, 403, 404) },
    },
    onRequest: read,
  }, async (request, reply) => {
    const record = await getCase(cases, request.params.id);
    return reply.type('application/x-ndjson; charset=utf-8').send(toJsonLines(toFollowTheMoney(record.file, cases.catalogue)));
  });

  app.get('/cases/:id/export', {
    schema: { tags: ['cases'], summary: 'The case in the case-file format', security: [{ bearer: [] }], params: CaseParams, response: { 200: CaseFile, ...problemResponses(401, 403, 404) } },
    onRequest: read,
  }, async (request) => exportCase(cases, request.params.id));
};
