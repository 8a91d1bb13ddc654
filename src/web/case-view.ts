import type { CaseRecord, SourceRecord } from '../cases/repository.ts';
import type { Coverage, CriterionCoverage } from '../cases/coverage.ts';
import type { Catalogue } from '../criteria/catalogue.ts';
import type { CriterionId } from '../criteria/schema.ts';
import type { CaseStatus, Excerpt } from '../evidence/case-file.ts';
import { publisherOf, type SourceEntry } from '../sources/manifest.ts';
import { WEB_PREFIX, type Text } from './context.ts';

/** Addresses of the pages of a case. */
export const casePaths = (caseId: string) => {
  const base = `${WEB_PREFIX}/cases/${encodeURIComponent(caseId)}`;
  return {
    case: base,
    criterion: (id: string) => `${base}/criteria/${encodeURIComponent(id)}`,
    source: (id: string, excerpt?: string) => `${base}/sources/${encodeURIComponent(id)}${excerpt ? `?excerpt=${encodeURIComponent(excerpt)}#${encodeURIComponent(excerpt)}` : ''}`,
    signatures: `${base}/signatures`,
    reviews: `${base}/reviews`,
    status: `${base}/status`,
    draft: (lang: string) => `${base}/draft/${lang}`,
    version: (n: number) => `${base}/versions/${n}.pdf`,
  };
};

/** The next step of the status machine in the page's language; the English strings are the rules' own words (a test holds them equal). */
export function localNextStep(text: Text, status: CaseStatus, approvals: number, required: number): string {
  return text.t(`status.next.${status}`, { approvals, required });
}

/** A criterion as the page names it: citation and label in the page's language. */
export function criterionName(catalogue: Catalogue, id: CriterionId, lang: Text['lang']) {
  const criterion = catalogue.get(id);
  return { id, citation: criterion.citation[lang], label: criterion.label[lang], kind: criterion.kind };
}

/** A source as the pages show it: title, publisher, date (or what is known of it) and language. */
export function sourceSummary(entry: SourceEntry, text: Text) {
  return {
    id: entry.id,
    title: entry.title,
    publisher: publisherOf(entry),
    organisation: entry.organisation,
    kind: entry.kind,
    date: entry.date ?? undefined,
    dateNote: entry.date ? undefined : entry.date_note,
    language: entry.language,
    languageName: text.t(`languages.${entry.language}`),
    url: entry.source_url,
    sha256: entry.sha256,
  };
}

/** An excerpt as a quotation: its text in the source's language, where it comes from, and the editor's note. */
export function excerptCard(excerpt: Excerpt, caseId: string, caseLanguage: string, sources: ReadonlyMap<string, SourceEntry>, catalogue: Catalogue, text: Text) {
  const entry = sources.get(excerpt.source);
  return {
    id: excerpt.id,
    quote: excerpt.quote.exact,
    quoteLanguage: entry?.language ?? 'und',
    source: entry ? sourceSummary(entry, text) : { id: excerpt.source, title: excerpt.source },
    sourceHref: casePaths(caseId).source(excerpt.source, excerpt.id),
    note: excerpt.note,
    noteLanguage: caseLanguage,
    exculpatory: excerpt.exculpatory,
    criteria: excerpt.criteria.map((id) => ({ ...criterionName(catalogue, id, text.lang), href: casePaths(caseId).criterion(id) })),
  };
}

export interface MatrixRow {
  id: CriterionId;
  citation: string;
  label: string;
  href: string;
  excerpts: number;
  independentSources: number;
  /** Excerpts per source column, in the order of `columns`. */
  cells: Array<{ count: number; source: string }>;
  gap?: string;
}

/**
 * The criteria matrix: the claimed criteria, the thresholds they require and the
 * Art. 3(1) link, each against the sources (how many excerpts of each support
 * it), with the domain's count of independent sources and its gaps in words.
 */
export function criteriaMatrix(record: CaseRecord, coverage: Coverage, sources: readonly SourceRecord[], catalogue: Catalogue, text: Text) {
  const paths = casePaths(record.file.id);
  const excerpts = new Map(record.file.excerpts.map((e) => [e.id, e]));
  const quoted = new Set(record.file.excerpts.map((e) => e.source));
  const columns = sources
    .filter((s) => quoted.has(s.entry.id))
    .map((s, i) => ({ ...sourceSummary(s.entry, text), key: text.t('matrix.source_key', { n: i + 1 }), href: paths.source(s.entry.id) }));
  const row = (c: CriterionCoverage): MatrixRow => {
    const gap = coverage.gaps.find((g) => g.criterion === c.criterion);
    const bySource = new Map<string, number>();
    for (const id of c.excerpts) {
      const source = excerpts.get(id)?.source;
      if (source) bySource.set(source, (bySource.get(source) ?? 0) + 1);
    }
    return {
      ...criterionName(catalogue, c.criterion, text.lang),
      href: paths.criterion(c.criterion),
      excerpts: c.excerpts.length,
      independentSources: c.independentSources,
      cells: columns.map((col) => ({ count: bySource.get(col.id) ?? 0, source: col.key })),
      ...(gap ? { gap: text.t(`gaps.${gap.code}`) } : {}),
    };
  };
  return {
    columns,
    // Stored sources the case does not quote yet: the pages of the ones an editor may mine for evidence.
    unquoted: sources.filter((s) => !quoted.has(s.entry.id)).map((s) => ({ ...sourceSummary(s.entry, text), href: paths.source(s.entry.id) })),
    groups: [
      { heading: text.t('matrix.claimed'), rows: coverage.claimed.map(row) },
      { heading: text.t('matrix.thresholds'), rows: coverage.thresholds.map(row) },
      { heading: text.t('matrix.involvement'), rows: [row(coverage.involvement)] },
    ].filter((g) => g.rows.length > 0),
    gaps: coverage.gaps.map((g) => ({ ...criterionName(catalogue, g.criterion, text.lang), href: paths.criterion(g.criterion), message: text.t(`gaps.${g.code}`) })),
  };
}
