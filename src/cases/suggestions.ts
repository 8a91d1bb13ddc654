import { z } from 'zod';
import { CaseId, ExcerptCriteria, ExcerptId, type Excerpt } from '../evidence/case-file.ts';
import { mapText } from '../mapping/index.ts';
import { MappingLanguage, type Suggestion } from '../mapping/schema.ts';
import { sha256Hex } from '../shared/hash.ts';
import { RecentMap } from '../shared/recent-map.ts';
import type { Actor, CaseDeps } from './context.ts';
import { conflict, requireCase } from './context.ts';
import { notFound } from './errors.ts';
import type { CaseRecord, CaseRepository, Rejection } from './repository.ts';
import { createExcerpt } from './evidence.ts';

/**
 * The mapper's suggestions for a stored source, and what an editor does with
 * them: an accepted suggestion becomes an excerpt (anchored, checked, in the
 * audit log); a rejected one is remembered and not suggested again for that source.
 */
export const SuggestionsRequest = z.strictObject({
  case: CaseId.describe('the case whose existing excerpts are left out of the suggestions'),
  lang: MappingLanguage.optional().describe("the source's language, when the manifest's is not wanted"),
});
export type SuggestionsRequest = z.infer<typeof SuggestionsRequest>;

export const AcceptRequest = z.strictObject({
  case: CaseId,
  id: ExcerptId.optional().describe('the new excerpt id; derived from the suggestion when not given'),
  criteria: ExcerptCriteria.min(1).optional().describe("the editor's criteria; the suggested ones when not given"),
  exculpatory: z.boolean().default(false),
  note: z.string().trim().min(1).max(5000).optional().describe("the editor's note; a note naming the mapper's reasons when not given"),
  lang: MappingLanguage.optional().describe('the language the suggestions were listed in, when it was not the manifest\'s'),
});
export type AcceptRequest = z.infer<typeof AcceptRequest>;

export const RejectRequest = z.strictObject({
  reason: z.string().trim().min(1).max(2000).optional(),
  lang: MappingLanguage.optional().describe('the language the suggestions were listed in, when it was not the manifest\'s'),
});
export type RejectRequest = z.infer<typeof RejectRequest>;

export type SuggestionView = Suggestion & { id: string };

export interface SuggestionsView {
  source: { id: string; sha256: string; language: string };
  suggestions: SuggestionView[];
}

/** The same passage of the same text always has the same id, so a rejection is remembered across runs. */
export function suggestionId(sha256: string, start: number, end: number): string {
  return `sug_${sha256Hex(`${sha256}:${start}:${end}`).slice(0, 16)}`;
}

/**
 * The mapper's suggestions for a text, by its hash and the language asked for.
 * mapText is pure and a text never changes under its hash, so a source's page,
 * and each accept or reject on it, map it once rather than every time: a 5 MiB
 * source takes the event loop a second and more.
 */
const mapped = new RecentMap<string, { language: string; suggestions: SuggestionView[] }>(16);

async function mapSource(deps: CaseDeps, sourceId: string, lang?: MappingLanguage) {
  const source = await deps.uow.transaction((repo) => repo.getSource(sourceId));
  if (!source) throw notFound('source', sourceId);
  const language = lang ?? (MappingLanguage.safeParse(source.entry.language).success ? (source.entry.language as MappingLanguage) : undefined);
  const key = `${source.entry.sha256}:${language ?? 'detected'}`;
  let result = mapped.get(key);
  if (!result) {
    const mapping = mapText(source.text, language ? { lang: language } : {});
    const suggestions = mapping.passages
      .filter((p) => p.criteria.length > 0)
      .map((p): SuggestionView => ({ id: suggestionId(source.entry.sha256, p.start, p.end), ...p }));
    mapped.set(key, (result = { language: mapping.source.language, suggestions }));
  }
  return { source, ...result };
}

/** What a case already did with a source's suggestions: the ones rejected, and the passages its live excerpts cover. */
async function doneWithIn(repo: CaseRepository, record: CaseRecord, sourceId: string) {
  const rejected = new Set((await repo.listRejections(sourceId)).map((r) => r.suggestionId));
  const excerpts = record.file.excerpts.filter((e) => e.source === sourceId);
  const excerptOver = (s: SuggestionView) => excerpts.find((e) => e.position.start < s.end && s.start < e.position.end);
  return { rejected, excerptOver };
}

const doneWith = (deps: CaseDeps, caseId: string, sourceId: string) =>
  deps.uow.transaction(async (repo) => doneWithIn(repo, await requireCase(repo, caseId), sourceId));

export async function suggest(deps: CaseDeps, sourceId: string, request: SuggestionsRequest): Promise<SuggestionsView> {
  const { source, language, suggestions } = await mapSource(deps, sourceId, request.lang);
  const { rejected, excerptOver } = await doneWith(deps, request.case, sourceId);
  return {
    source: { id: source.entry.id, sha256: source.entry.sha256, language },
    suggestions: suggestions.filter((s) => !rejected.has(s.id) && !excerptOver(s)),
  };
}

/** A suggestion as the mapper lists it (in `lang`, when it was listed in that language). */
async function listedSuggestion(deps: CaseDeps, sourceId: string, id: string, lang?: MappingLanguage): Promise<SuggestionView> {
  const { suggestions } = await mapSource(deps, sourceId, lang);
  const suggestion = suggestions.find((s) => s.id === id);
  if (!suggestion) throw notFound('suggestion', id);
  return suggestion;
}

/**
 * Refuses a suggestion the case is done with: rejected, or its passage already
 * excerpted (under any id). Run in the excerpt's transaction, under the case's
 * lock, so that two accepts of one passage cannot both make an excerpt.
 */
async function assertOpen(repo: CaseRepository, record: CaseRecord, sourceId: string, suggestion: SuggestionView): Promise<void> {
  const { rejected, excerptOver } = await doneWithIn(repo, record, sourceId);
  if (rejected.has(suggestion.id)) throw conflict('suggestion-rejected', `suggestion ${suggestion.id} was rejected`);
  const excerpt = excerptOver(suggestion);
  if (excerpt) throw conflict('suggestion-excerpted', `the passage of suggestion ${suggestion.id} is already excerpt ${excerpt.id}`, { excerpt: excerpt.id });
}

export async function acceptSuggestion(deps: CaseDeps, editor: Actor, sourceId: string, id: string, request: AcceptRequest): Promise<Excerpt> {
  const suggestion = await listedSuggestion(deps, sourceId, id, request.lang);
  return createExcerpt(
    deps,
    editor,
    request.case,
    {
      id: request.id ?? `ex-${id.replace('sug_', 'sug-')}`,
      source: sourceId,
      quote: { exact: suggestion.text },
      position: { start: suggestion.start, end: suggestion.end },
      criteria: request.criteria ?? suggestion.criteria,
      exculpatory: request.exculpatory,
      note: request.note ?? `Suggested by the evidence mapper and accepted by the legal team. ${suggestion.why.join('; ')}`,
    },
    { detail: { suggestion: id }, admit: (record, repo) => assertOpen(repo, record, sourceId, suggestion), derivedId: request.id === undefined },
  );
}

export async function rejectSuggestion(deps: CaseDeps, editor: Actor, sourceId: string, id: string, request: RejectRequest): Promise<void> {
  const suggestion = await listedSuggestion(deps, sourceId, id, request.lang);
  await deps.uow.transaction(async (repo) => {
    if ((await repo.listRejections(sourceId)).some((r) => r.suggestionId === id)) return;
    const rejection: Rejection = {
      sourceId,
      suggestionId: id,
      start: suggestion.start,
      end: suggestion.end,
      rejectedBy: editor.label,
      reason: request.reason ?? null,
      at: deps.now().toISOString(),
    };
    await repo.insertRejection(rejection);
  });
}
