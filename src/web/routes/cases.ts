import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseView, changeStatus, getCase, listCases } from '../../cases/cases.ts';
import { coverageOf } from '../../cases/coverage.ts';
import { listSources } from '../../cases/evidence.ts';
import { listVersions, versionPdf } from '../../cases/reviews.ts';
import { requestStatus, type StatusRequest } from '../../cases/status.ts';
import { CriterionId } from '../../criteria/schema.ts';
import { CaseId, type CaseStatus } from '../../evidence/case-file.ts';
import { draftModel } from '../../http/draft-model.ts';
import { actorOf } from '../../http/plugins/auth.ts';
import { DOSSIER_LANGUAGES } from '../../render/text/dossier-text.ts';
import { casePaths, criteriaMatrix, criterionName, excerptCard, localNextStep } from '../case-view.ts';
import { roleOf, textOf, WEB_PREFIX, type WebContext } from '../context.ts';
import { field, formBody, noErrors, refusal, type FormErrors } from '../forms.ts';
import { forbiddenPage, renderPage } from '../render.ts';
import { needs } from '../session.ts';

const STATUS_REQUESTS: StatusRequest[] = ['request_review', 'submit', 'reopen'];

/** The requests the status machine allows from this status: asked of the rules themselves, not restated here. */
function allowedRequests(status: CaseStatus): StatusRequest[] {
  return STATUS_REQUESTS.filter((r) => {
    try {
      requestStatus(status, r);
      return true;
    } catch {
      return false;
    }
  });
}

export async function caseRoutes(parent: FastifyInstance, ctx: WebContext): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { cases } = ctx.deps;
  const forbidden = forbiddenPage(ctx);
  const anyone = needs(forbidden, 'editor', 'reviewer', 'partner');
  const readers = needs(forbidden, 'editor', 'reviewer');
  const editors = needs(forbidden, 'editor');
  const CaseParams = z.object({ id: CaseId });

  // Both /app and /app/ (Fastify's default for a prefix's root).
  app.get('/', { preHandler: anyone }, async (request, reply) => {
    const text = textOf(ctx, request);
    const partner = roleOf(request) === 'partner';
    const list = (await listCases(cases)).map((c) => ({
      ...c,
      statusLabel: text.t(`status.names.${c.status}`),
      // Partners sign; the evidence is for the legal team and reviewers.
      href: partner ? casePaths(c.id).signatures : casePaths(c.id).case,
    }));
    return renderPage(ctx, request, reply, 'cases.hbs', { title: text.t('cases.title'), path: WEB_PREFIX }, { cases: list, partner });
  });

  async function casePage(request: FastifyRequest, reply: FastifyReply, id: string, errors: FormErrors = noErrors(), status = 200) {
    const text = textOf(ctx, request);
    const record = await getCase(cases, id);
    const view = await caseView(cases, record);
    const sources = await listSources(cases);
    const coverage = coverageOf(record.file, cases.catalogue, new Map(sources.map((s) => [s.entry.id, s.entry])));
    const paths = casePaths(id);
    const editor = roleOf(request) === 'editor';
    const matrix = criteriaMatrix(record, coverage, sources, cases.catalogue, text);
    return renderPage(ctx, request, reply, 'case.hbs', { title: record.file.title, path: paths.case, status, breadcrumbs: [{ href: WEB_PREFIX, label: text.t('cases.title') }] }, {
      case: {
        id,
        title: record.file.title,
        language: record.file.language,
        status: view.status,
        statusLabel: text.t(`status.names.${view.status}`),
        nextStep: localNextStep(text, view.status, view.approvals, view.approvalsRequired),
        revision: view.revision,
        approvals: view.approvals,
        approvalsRequired: view.approvalsRequired,
        excerpts: view.excerpts,
        signatures: view.signatures,
        targetNames: record.file.target.names.map((n) => n.value),
      },
      nav: { current: 'case', paths },
      statusActions: editor ? allowedRequests(view.status).map((r) => ({ request: r, label: text.t(`status.actions.${r}`) })) : [],
      matrix,
      matrixSpan: matrix.columns.length + 4,
      // No download attribute on the links: the draft comes as an attachment, and a refusal (a PDF that cannot be made) as a page the reader sees.
      downloads: DOSSIER_LANGUAGES.map((lang) => ({ href: paths.draft(lang), label: text.t(`case.download_${lang}`), hreflang: lang })),
      versions: (await listVersions(cases, id)).map((v) => ({ n: v.n, revision: v.revision, createdAt: v.createdAt, sha256: v.sha256, href: paths.version(v.n) })),
      errors,
    });
  }

  app.get('/cases/:id', { schema: { params: CaseParams }, preHandler: readers }, async (request, reply) => casePage(request, reply, request.params.id));

  app.post('/cases/:id/status', { schema: { params: CaseParams }, preHandler: [app.csrfProtection, editors] }, async (request, reply) => {
    const text = textOf(ctx, request);
    const wanted = z.enum(STATUS_REQUESTS as [StatusRequest, ...StatusRequest[]]).safeParse(field(formBody(request.body), 'request'));
    if (!wanted.success) return casePage(request, reply, request.params.id, { fields: {}, form: [{ message: text.t('errors.field.invalid') }] }, 422);
    try {
      await changeStatus(cases, actorOf(request), request.params.id, wanted.data);
    } catch (error) {
      const refused = refusal(error, text);
      if (!refused) throw error;
      return casePage(request, reply, request.params.id, refused.errors, refused.status);
    }
    return reply.redirect(`${casePaths(request.params.id).case}?notice=status-${wanted.data.replace('_', '-')}`, 303);
  });

  app.get('/cases/:id/criteria/:criterion', { schema: { params: z.object({ id: CaseId, criterion: CriterionId }) }, preHandler: readers }, async (request, reply) => {
    const text = textOf(ctx, request);
    const { id, criterion } = request.params;
    const record = await getCase(cases, id);
    const sources = await listSources(cases);
    const entries = new Map(sources.map((s) => [s.entry.id, s.entry]));
    const coverage = coverageOf(record.file, cases.catalogue, entries);
    const covered = [...coverage.claimed, ...coverage.thresholds, coverage.involvement].find((c) => c.criterion === criterion);
    const gap = coverage.gaps.find((g) => g.criterion === criterion);
    const definition = cases.catalogue.get(criterion);
    const cards = record.file.excerpts.filter((e) => e.criteria.includes(criterion)).map((e) => excerptCard(e, id, record.file.language, entries, cases.catalogue, text));
    const name = criterionName(cases.catalogue, criterion, text.lang);
    const paths = casePaths(id);
    return renderPage(ctx, request, reply, 'criterion.hbs', {
      title: `${name.citation} · ${name.label}`,
      path: paths.criterion(criterion),
      breadcrumbs: [{ href: WEB_PREFIX, label: text.t('cases.title') }, { href: paths.case, label: record.file.title, lang: record.file.language }],
    }, {
      criterion: name,
      legalText: 'text' in definition ? definition.text[text.lang] : definition.description[text.lang],
      verified: 'verified' in definition ? definition.verified[text.lang] : true,
      claimed: covered !== undefined,
      coverage: covered ? { excerpts: covered.excerpts.length, independentSources: covered.independentSources } : undefined,
      gap: gap ? text.t(`gaps.${gap.code}`) : undefined,
      supporting: cards.filter((c) => !c.exculpatory),
      exculpatory: cards.filter((c) => c.exculpatory),
      nav: { current: 'evidence', paths },
      caseHref: paths.case,
    });
  });

  // A frozen version as approved, byte for byte (the API's /cases/{id}/versions/{n}.pdf, for a signed-in reader).
  app.get('/cases/:id/versions/:n(^\\d{1,6}).pdf', { schema: { params: z.object({ id: CaseId, n: z.coerce.number().int().min(1) }) }, preHandler: readers }, async (request, reply) => {
    const { version, pdf } = await versionPdf(cases, request.params.id, request.params.n);
    return reply
      .type('application/pdf')
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="${version.caseId}-v${version.n}.pdf"`)
      .send(Buffer.from(pdf));
  });

  app.get('/cases/:id/draft/:language', { schema: { params: z.object({ id: CaseId, language: z.enum(DOSSIER_LANGUAGES) }) }, preHandler: readers }, async (request, reply) => {
    const { id, language } = request.params;
    // The API's draft (src/http/draft-model.ts): the same state gives the same bytes and the same cache entry.
    const { model, key, at } = await draftModel(cases, id, language);
    const { pdf } = await ctx.deps.dossiers.draft(model, at, key, (err) => request.log.warn({ err }, 'the PDF cache failed (the PDF is served all the same)'));
    return reply
      .type('application/pdf')
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="${id}-draft-${language}.pdf"`)
      .send(pdf);
  });
}
