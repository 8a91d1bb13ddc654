import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCase } from '../../cases/cases.ts';
import { getSource } from '../../cases/evidence.ts';
import { AcceptRequest, acceptSuggestion, RejectRequest, rejectSuggestion, suggest, type SuggestionView } from '../../cases/suggestions.ts';
import { CaseId } from '../../evidence/case-file.ts';
import { actorOf } from '../../http/plugins/auth.ts';
import { CodePointIndex } from '../../shared/code-points.ts';
import { SourceId } from '../../sources/manifest.ts';
import { casePaths, criterionName, excerptCard, sourceSummary } from '../case-view.ts';
import { roleOf, textOf, WEB_PREFIX, type WebContext } from '../context.ts';
import { field, fieldErrors, fields, formBody, optional, refusal, type FormBody, type FormErrors } from '../forms.ts';
import { forbiddenPage, renderPage } from '../render.ts';
import { needs } from '../session.ts';
import { sourcePieces } from '../source-text.ts';

/** Code points of the source shown on each side of a quote "in context". */
const CONTEXT = 280;

/** The form of one suggestion that failed, shown again with its input and what was wrong. */
interface FailedForm {
  suggestion: string;
  action: 'accept' | 'reject';
  errors: FormErrors;
  values: FormBody;
}

export async function sourceRoutes(parent: FastifyInstance, ctx: WebContext): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { cases } = ctx.deps;
  const forbidden = forbiddenPage(ctx);
  const readers = needs(forbidden, 'editor', 'reviewer');
  const editors = needs(forbidden, 'editor');
  const SourceParams = z.object({ id: CaseId, sourceId: SourceId });
  const SuggestionParams = SourceParams.extend({ suggestionId: z.string().regex(/^sug_[0-9a-f]{16}$/) });

  async function sourcePage(request: FastifyRequest, reply: FastifyReply, caseId: string, sourceId: string, current: string | undefined, failed?: FailedForm, status = 200) {
    const text = textOf(ctx, request);
    const record = await getCase(cases, caseId);
    const source = await getSource(cases, sourceId);
    const paths = casePaths(caseId);
    const entries = new Map([[source.entry.id, source.entry]]);
    const excerpts = record.file.excerpts.filter((e) => e.source === sourceId);
    const focused = excerpts.find((e) => e.id === current);
    // Suggestions are for editors, who alone may accept them; a submitted case takes no new evidence.
    const editor = roleOf(request) === 'editor' && record.file.status !== 'submitted';
    const suggested = editor ? await suggest(cases, sourceId, { case: caseId }) : undefined;
    const suggestions: SuggestionView[] = suggested?.suggestions ?? [];
    const byId = new Map(suggestions.map((s) => [s.id, s]));
    const suggestionView = (s: SuggestionView) => {
      const mine = failed?.suggestion === s.id ? failed : undefined;
      const chosen = mine?.action === 'accept' ? new Set(fields(mine.values, 'criteria')) : new Set<string>(s.criteria);
      return {
        id: s.id,
        text: s.text,
        score: Math.round(s.score * 100),
        why: s.why,
        // The reasons are worded by the lexicon of the language the source was mapped in.
        whyLang: suggested?.source.language,
        criteria: s.criteria.map((id) => ({ ...criterionName(cases.catalogue, id, text.lang), checked: chosen.has(id) })),
        // The fragment brings the editor back to this suggestion when the form is shown again with its errors.
        acceptAction: `${paths.source(sourceId)}/suggestions/${s.id}/accept#${s.id}`,
        rejectAction: `${paths.source(sourceId)}/suggestions/${s.id}/reject#${s.id}`,
        acceptErrors: mine?.action === 'accept' ? mine.errors : undefined,
        rejectErrors: mine?.action === 'reject' ? mine.errors : undefined,
        note: mine?.action === 'accept' ? field(mine.values, 'note') : '',
        reason: mine?.action === 'reject' ? field(mine.values, 'reason') : '',
      };
    };
    const { pieces, apart } = sourcePieces(
      source.text,
      excerpts.map((e) => ({ id: e.id, ...e.position })),
      suggestions.map((s) => ({ id: s.id, start: s.start, end: s.end })),
      focused?.id,
    );
    const index = new CodePointIndex(source.text);
    const summary = sourceSummary(source.entry, text);
    return renderPage(ctx, request, reply, 'source.hbs', {
      title: source.entry.title,
      path: paths.source(sourceId, focused?.id),
      status,
      breadcrumbs: [{ href: WEB_PREFIX, label: text.t('cases.title') }, { href: paths.case, label: record.file.title, lang: record.file.language }],
    }, {
      source: summary,
      nav: { current: 'evidence', paths },
      inContext: focused
        ? {
            card: excerptCard(focused, caseId, record.file.language, entries, cases.catalogue, text),
            before: index.slice(Math.max(0, focused.position.start - CONTEXT), focused.position.start),
            quote: index.slice(focused.position.start, focused.position.end),
            after: index.slice(focused.position.end, focused.position.end + CONTEXT),
            clippedBefore: focused.position.start > CONTEXT,
            clippedAfter: focused.position.end + CONTEXT < index.length,
          }
        : undefined,
      pieces: pieces.map((p) => (p.kind === 'suggestion' ? { ...p, view: suggestionView(byId.get(p.suggestion)!) } : p)),
      apart: apart.map((id) => suggestionView(byId.get(id)!)),
      suggestionCount: suggestions.length,
      showSuggestions: editor,
      // A failed form's errors stand in the form; at the top only when its suggestion is no longer there to show them.
      // Its fields' messages then point at no field: they are shown as the form's own.
      failed: failed && !byId.has(failed.suggestion) ? { id: failed.suggestion, errors: { fields: {}, form: [...failed.errors.form, ...Object.values(failed.errors.fields).map((message) => ({ message }))] } } : undefined,
      excerpts: excerpts.map((e) => excerptCard(e, caseId, record.file.language, entries, cases.catalogue, text)),
    });
  }

  app.get('/cases/:id/sources/:sourceId', { schema: { params: SourceParams, querystring: z.object({ excerpt: z.string().max(200).optional() }).passthrough() }, preHandler: readers }, async (request, reply) =>
    sourcePage(request, reply, request.params.id, request.params.sourceId, request.query.excerpt),
  );

  app.post('/cases/:id/sources/:sourceId/suggestions/:suggestionId/accept', { schema: { params: SuggestionParams }, preHandler: [app.csrfProtection, editors] }, async (request, reply) => {
    const text = textOf(ctx, request);
    const { id, sourceId, suggestionId } = request.params;
    const body = formBody(request.body);
    const fail = (errors: FormErrors, status: number) => sourcePage(request, reply, id, sourceId, undefined, { suggestion: suggestionId, action: 'accept', errors, values: body }, status);
    const parsed = AcceptRequest.safeParse({ case: id, criteria: fields(body, 'criteria'), note: optional(field(body, 'note')) });
    if (!parsed.success) return fail(fieldErrors(parsed.error, text, (path) => String(path[0] ?? 'form')), 422);
    try {
      const excerpt = await acceptSuggestion(cases, actorOf(request), sourceId, suggestionId, parsed.data);
      return reply.redirect(`${casePaths(id).source(sourceId)}?excerpt=${encodeURIComponent(excerpt.id)}&notice=accepted#${encodeURIComponent(excerpt.id)}`, 303);
    } catch (error) {
      const refused = refusal(error, text);
      if (!refused) throw error;
      return fail(refused.errors, refused.status);
    }
  });

  app.post('/cases/:id/sources/:sourceId/suggestions/:suggestionId/reject', { schema: { params: SuggestionParams }, preHandler: [app.csrfProtection, editors] }, async (request, reply) => {
    const text = textOf(ctx, request);
    const { id, sourceId, suggestionId } = request.params;
    const body = formBody(request.body);
    const fail = (errors: FormErrors, status: number) => sourcePage(request, reply, id, sourceId, undefined, { suggestion: suggestionId, action: 'reject', errors, values: body }, status);
    const parsed = RejectRequest.safeParse({ reason: optional(field(body, 'reason')) });
    if (!parsed.success) return fail(fieldErrors(parsed.error, text, (path) => String(path[0] ?? 'form')), 422);
    try {
      await rejectSuggestion(cases, actorOf(request), sourceId, suggestionId, parsed.data);
      return reply.redirect(`${casePaths(id).source(sourceId)}?notice=rejected`, 303);
    } catch (error) {
      const refused = refusal(error, text);
      if (!refused) throw error;
      return fail(refused.errors, refused.status);
    }
  });
}

