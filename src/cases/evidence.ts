import { z } from 'zod';
import { ExcerptCriteria, ExcerptId, TextQuoteSelector, type Excerpt } from '../evidence/case-file.ts';
import { anchorQuote, CONTEXT_LENGTH, verifyExcerpt } from '../evidence/selectors.ts';
import { Language, SourceEntry, SourceId, WebAddress, type SourceEntry as SourceEntryType } from '../sources/manifest.ts';
import { SourceDocument } from '../sources/source-document.ts';
import { codePointLabel } from '../shared/code-points.ts';
import { ProblemsError } from '../shared/problems.ts';
import { sha256Hex } from '../shared/hash.ts';
import { assertValidCase, changeCase, conflict, requireCase, sourceDocuments, type Actor, type CaseDeps } from './context.ts';
import { coverageOf, type Coverage } from './coverage.ts';
import { CaseError, notFound } from './errors.ts';
import type { CaseRecord, CaseRepository, SourceRecord } from './repository.ts';

export const SourceUpload = z.strictObject({
  id: SourceId,
  title: z.string().trim().min(1).max(500),
  organisation: z.string().trim().min(1).max(300),
  publisher: z.string().trim().min(1).max(300).optional(),
  kind: z.string().trim().min(1).max(200),
  reference: z.string().trim().min(1).max(200).optional(),
  date: z.iso.date().nullable().default(null),
  date_note: z.string().trim().min(1).max(300).optional(),
  language: Language,
  source_url: WebAddress.optional(),
  text: z
    .string()
    .min(1, 'the source text is empty')
    .regex(/[\p{L}\p{N}]/u, 'the source text has no letter or digit: there is nothing in it to quote')
    .superRefine((text, ctx) => {
      // Tab, line breaks and form feed (a page break in text taken from a PDF) are a plain text's; other control characters are not.
      const control = /[\u0001-\u0008\u000b\u000e-\u001f\u007f-\u009f]/.exec(text);
      if (control) {
        const at = [...text.slice(0, control.index)].length;
        ctx.addIssue({ code: 'custom', message: `the source text holds the control character ${codePointLabel(control[0])} at code point ${at}: a plain-text source has none but tabs, line breaks and form feeds` });
      }
    }),
});
export type SourceUpload = z.infer<typeof SourceUpload>;

export interface SourceView extends SourceEntryType {
  length: number;
  boilerplate: Array<{ start: number; end: number }>;
  createdAt: string;
}

export function sourceView(record: SourceRecord): SourceView {
  const doc = new SourceDocument(record.entry, record.text);
  return { ...record.entry, length: doc.index.length, boilerplate: doc.boilerplate, createdAt: record.createdAt };
}

export async function listSources(deps: CaseDeps): Promise<SourceRecord[]> {
  return deps.uow.transaction((repo) => repo.listSources());
}

export async function getSource(deps: CaseDeps, id: string): Promise<SourceRecord> {
  const record = await deps.uow.transaction((repo) => repo.getSource(id));
  if (!record) throw notFound('source', id);
  return record;
}

/** Stores a new plain-text source; its SHA-256 is computed here and is its identity, so the same text twice is refused. */
export async function uploadSource(deps: CaseDeps, upload: SourceUpload): Promise<SourceRecord> {
  const { text, ...meta } = upload;
  if (text.includes('\u0000')) throw new CaseError('unprocessable', 'not-text', 'the source contains NUL characters: only plain text is accepted');
  const entry = SourceEntry.safeParse({ ...meta, file: `${meta.id}.txt`, sha256: sha256Hex(text) });
  if (!entry.success) throw new ProblemsError('source', entry.error.issues.map((i) => ({ code: i.code, path: i.path.join('.'), message: i.message })));
  return deps.uow.transaction(async (repo) => {
    const same = await repo.findSourceBySha256(entry.data.sha256);
    if (same) throw conflict('source-exists', `the same text is already stored as source "${same.entry.id}"`, { source: same.entry.id, location: `/sources/${same.entry.id}` });
    if (await repo.getSource(entry.data.id)) throw conflict('source-id-taken', `a source "${entry.data.id}" already exists`, { location: `/sources/${entry.data.id}` });
    const record: SourceRecord = { entry: entry.data, text, createdAt: deps.now().toISOString() };
    await repo.insertSource(record);
    return record;
  });
}

export const ExcerptCreate = z.strictObject({
  id: ExcerptId,
  source: SourceId,
  /** The quote; prefix, suffix and position are computed from the source when not given, and verified when given. */
  // The stored excerpt's own rule (TextQuoteSelector): a blank quote stored would make the whole case unreadable.
  quote: z.strictObject({ exact: TextQuoteSelector.shape.exact.max(20000), prefix: z.string().max(200).optional(), suffix: z.string().max(200).optional() }),
  position: z.strictObject({ start: z.int().nonnegative(), end: z.int().positive() }).optional(),
  criteria: ExcerptCriteria.default([]),
  exculpatory: z.boolean().default(false),
  note: z.string().trim().min(1).max(5000),
});
export type ExcerptCreate = z.infer<typeof ExcerptCreate>;

export const ExcerptUpdate = z
  .strictObject({ criteria: ExcerptCriteria, exculpatory: z.boolean(), note: z.string().trim().min(1).max(5000) })
  .partial()
  .refine((u) => Object.keys(u).length > 0, 'an update changes at least one field');
export type ExcerptUpdate = z.infer<typeof ExcerptUpdate>;

export interface ExcerptFilter {
  criterion?: string;
  source?: string;
}

export async function listExcerpts(deps: CaseDeps, caseId: string, filter: ExcerptFilter): Promise<Excerpt[]> {
  const record = await deps.uow.transaction((repo) => requireCase(repo, caseId));
  return record.file.excerpts.filter(
    (e) => (!filter.criterion || e.criteria.includes(filter.criterion as never)) && (!filter.source || e.source === filter.source),
  );
}

/** One live excerpt of a case; a withdrawn one is gone from view, as from the list. */
export async function getExcerpt(deps: CaseDeps, caseId: string, excerptId: string): Promise<Excerpt> {
  const record = await deps.uow.transaction((repo) => requireCase(repo, caseId));
  const excerpt = record.file.excerpts.find((e) => e.id === excerptId);
  if (!excerpt) throw notFound('excerpt', excerptId);
  return excerpt;
}

/** Where a new excerpt comes from, when not from the request alone (an accepted suggestion). */
export interface ExcerptOrigin {
  /** Added to the audit entry's detail. */
  detail: Record<string, unknown>;
  /** Refuses the excerpt for the case as it stands under the case's lock, in the excerpt's own transaction. */
  admit(record: CaseRecord, repo: CaseRepository): Promise<void>;
  /**
   * The id was derived, not chosen: when an excerpt (withdrawn, since a live one
   * over the passage is refused by `admit`) holds it already, the first free one
   * of `<id>-2`, `<id>-3`… is used. Ids are never reused, so that the audit log's
   * entries name one excerpt each.
   */
  derivedId?: boolean;
}

/** `id`, or when it is taken and may be derived further, the first of `<id>-2`, `<id>-3`… that is free. */
function freeExcerptId(id: string, taken: ReadonlySet<string>, derived: boolean): string {
  if (!derived || !taken.has(id)) return id;
  let n = 2;
  while (taken.has(`${id}-${n}`)) n++;
  return `${id}-${n}`;
}

/** Anchors a new excerpt in its source; a quote or selector that does not match is refused with what was expected and found. */
export async function createExcerpt(deps: CaseDeps, actor: Actor, caseId: string, input: ExcerptCreate, origin?: ExcerptOrigin): Promise<Excerpt> {
  return changeCase(deps, caseId, actor, 'excerpt.create', async (record, repo) => {
    await origin?.admit(record, repo);
    const taken = new Set((await repo.listExcerpts(caseId)).map((e) => e.excerpt.id));
    const id = freeExcerptId(input.id, taken, origin?.derivedId ?? false);
    if (taken.has(id)) {
      if (record.file.excerpts.some((e) => e.id === id)) throw conflict('excerpt-exists', `the case already has an excerpt "${id}"`, { location: `/cases/${caseId}/excerpts/${id}` });
      throw conflict('excerpt-exists', `the case had an excerpt "${id}", since withdrawn, and ids are not reused: choose another`);
    }
    const sources = await sourceDocuments(repo);
    const source = sources.get(input.source);
    if (!source) throw new ProblemsError('excerpt', [{ code: 'unknown_source', path: 'source', message: `there is no source "${input.source}"` }]);
    const excerpt = anchorExcerpt({ ...input, id }, source);
    const file = { ...record.file, excerpts: [...record.file.excerpts, excerpt] };
    await assertValidCase(repo, file, deps.catalogue);
    await repo.insertExcerpt(caseId, excerpt);
    return { file, result: excerpt, content: true, detail: { excerpt: excerpt.id, source: excerpt.source, criteria: excerpt.criteria, ...origin?.detail } };
  });
}

function anchorExcerpt(input: ExcerptCreate, source: SourceDocument): Excerpt {
  const base = { id: input.id, source: source.id, sha256: source.entry.sha256, criteria: input.criteria, exculpatory: input.exculpatory, note: input.note };
  if (input.position) {
    const { start, end } = input.position;
    // Context not given is taken from the source; given context must match it.
    const prefix = input.quote.prefix ?? source.index.slice(Math.max(0, start - CONTEXT_LENGTH), start);
    const suffix = input.quote.suffix ?? source.index.slice(end, end + CONTEXT_LENGTH);
    const excerpt: Excerpt = { ...base, quote: { exact: input.quote.exact, prefix, suffix }, position: input.position };
    const check = verifyExcerpt(excerpt, source, 'excerpt');
    if (check.problems.length) throw new ProblemsError('excerpt', check.problems);
    if (check.corrected) {
      throw new ProblemsError('excerpt', [{ code: 'position_mismatch', path: 'position', message: `the quote is not at ${input.position.start}-${input.position.end}; it is at ${check.corrected.start}-${check.corrected.end}` }]);
    }
    return excerpt;
  }
  const anchored = anchorQuote(source, input.quote.exact, 'quote.exact', input.quote);
  if (!anchored.ok) throw new ProblemsError('excerpt', [anchored.problem]);
  return { ...base, ...anchored.anchor };
}

export async function updateExcerpt(deps: CaseDeps, actor: Actor, caseId: string, excerptId: string, update: ExcerptUpdate): Promise<Excerpt> {
  return changeCase(deps, caseId, actor, 'excerpt.update', async (record, repo) => {
    const current = record.file.excerpts.find((e) => e.id === excerptId);
    if (!current) throw notFound('excerpt', excerptId);
    const excerpt = { ...current, ...update };
    const file = { ...record.file, excerpts: record.file.excerpts.map((e) => (e.id === excerptId ? excerpt : e)) };
    await assertValidCase(repo, file, deps.catalogue);
    await repo.updateExcerpt(caseId, excerpt);
    return { file, result: excerpt, content: true, detail: { excerpt: excerptId, fields: Object.keys(update).sort() } };
  });
}

/** Withdraws an excerpt: it leaves the case and the dossier; refused while the statement of reasons or an identifying fact still cites it. */
export async function withdrawExcerpt(deps: CaseDeps, actor: Actor, caseId: string, excerptId: string): Promise<void> {
  await changeCase(deps, caseId, actor, 'excerpt.withdraw', async (record, repo) => {
    if (!record.file.excerpts.some((e) => e.id === excerptId)) throw notFound('excerpt', excerptId);
    const file = { ...record.file, excerpts: record.file.excerpts.filter((e) => e.id !== excerptId) };
    try {
      await assertValidCase(repo, file, deps.catalogue);
    } catch (error) {
      if (error instanceof ProblemsError) {
        throw conflict('excerpt-cited', `excerpt ${excerptId} is still cited: ${error.problems.map((p) => p.path).join(', ')}`, { citedAt: error.problems.map((p) => p.path) });
      }
      throw error;
    }
    await repo.withdrawExcerpt(caseId, excerptId, deps.now().toISOString());
    return { file, result: undefined, content: true, detail: { excerpt: excerptId } };
  });
}

export async function coverage(deps: CaseDeps, caseId: string): Promise<Coverage> {
  return deps.uow.transaction(async (repo) => {
    const record = await requireCase(repo, caseId);
    const sources = new Map((await repo.listSources()).map((s) => [s.entry.id, s.entry]));
    return coverageOf(record.file, deps.catalogue, sources);
  });
}

