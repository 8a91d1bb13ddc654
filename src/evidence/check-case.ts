import type { Catalogue } from '../criteria/catalogue.ts';
import type { Problem } from '../shared/problems.ts';
import type { SourceDocument } from '../sources/source-document.ts';
import type { CaseFile, FactSource } from './case-file.ts';
import { verifyExcerpt } from './selectors.ts';

export interface CaseCheck {
  problems: Problem[];
  warnings: Problem[];
  /** The case with drifted excerpt positions corrected. */
  corrected: CaseFile;
}

/**
 * Everything a schema cannot see: references between parts of the case, criteria
 * in their right place, and every quote and signature against its source.
 */
export function checkCase(file: CaseFile, sources: ReadonlyMap<string, SourceDocument>, catalogue: Catalogue): CaseCheck {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const excerptIds = new Map<string, number>();
  const used = new Set<string>();

  const excerpts = file.excerpts.map((excerpt, i) => {
    const path = `excerpts[${i}]`;
    const first = excerptIds.get(excerpt.id);
    if (first !== undefined) problems.push({ code: 'duplicate_id', path: `${path}.id`, message: `excerpt id ${excerpt.id} is also used at excerpts[${first}]` });
    excerptIds.set(excerpt.id, i);
    const source = sources.get(excerpt.source);
    if (!source) {
      problems.push({ code: 'unknown_source', path: `${path}.source`, message: `excerpt ${excerpt.id} names source "${excerpt.source}", which the manifest does not list` });
      return excerpt;
    }
    const check = verifyExcerpt(excerpt, source, path);
    problems.push(...check.problems);
    if (!check.corrected) return excerpt;
    warnings.push({
      code: 'position_drift',
      path: `${path}.position`,
      message: `excerpt ${excerpt.id}: positions ${excerpt.position.start}-${excerpt.position.end} drifted; the quote is found once at ${check.corrected.start}-${check.corrected.end}`,
    });
    return { ...excerpt, position: check.corrected };
  });

  const citeExcerpt = (id: string, path: string) => {
    if (!excerptIds.has(id)) problems.push({ code: 'unknown_excerpt', path, message: `no excerpt with id ${id}` });
    used.add(id);
  };
  const citeSources = (list: FactSource[], path: string) =>
    list.forEach((s, k) => {
      if ('excerpt' in s) citeExcerpt(s.excerpt, `${path}.sources[${k}].excerpt`);
    });

  const { target } = file;
  for (const field of ['names', 'aliases', 'legal_form', 'place_of_registration', 'date_of_registration', 'registration_number', 'place_of_business'] as const) {
    target[field].forEach((fact, j) => citeSources(fact.sources, `target.${field}[${j}]`));
  }
  target.related_entities.forEach((entity, j) => citeSources(entity.sources, `target.related_entities[${j}]`));
  file.statement_of_reasons.forEach((paragraph, p) =>
    paragraph.sentences.forEach((sentence, s) =>
      sentence.excerpts.forEach((id, k) => citeExcerpt(id, `statement_of_reasons[${p}].sentences[${s}].excerpts[${k}]`)),
    ),
  );

  file.claims.criteria.forEach((id, i) => {
    const kind = catalogue.get(id).kind;
    if (kind !== 'violation') problems.push({ code: 'not_a_violation', path: `claims.criteria[${i}]`, message: `${id} is a ${kind} criterion; a claim names the violations` });
  });
  const involvement = catalogue.get(file.claims.involvement);
  if (involvement.kind !== 'involvement') {
    problems.push({ code: 'not_involvement', path: 'claims.involvement', message: `${involvement.id} is not a limb of Art. 3(1)` });
  }

  // Gaps are not errors: a draft may still lack evidence, and the dossier says so.
  const evidenced = new Set(file.excerpts.filter((e) => !e.exculpatory).flatMap((e) => e.criteria));
  const needed = [...file.claims.criteria, file.claims.involvement, ...file.claims.criteria.flatMap((id) => catalogue.get(id).requires)];
  for (const id of new Set(needed)) {
    if (!evidenced.has(id)) warnings.push({ code: 'no_evidence', path: 'claims', message: `no excerpt supports ${id}` });
  }
  file.excerpts.forEach((excerpt, i) => {
    if (excerpt.criteria.length === 0 && !used.has(excerpt.id)) {
      warnings.push({ code: 'unused_excerpt', path: `excerpts[${i}]`, message: `excerpt ${excerpt.id} supports no criterion and no identifying fact` });
    }
  });

  // An organisation and an expert of the same name are two signatories, as the service's signing counts them.
  const seen = new Map<string, number>();
  file.signatories.forEach((signatory, i) => {
    const path = `signatories[${i}]`;
    const written = signatory.affiliation ? `${signatory.name}, ${signatory.affiliation}` : signatory.name;
    const first = seen.get(`${signatory.category}:${written}`);
    if (first !== undefined) problems.push({ code: 'duplicate_signatory', path, message: `"${written}" also signs as ${signatory.category === 'expert' ? 'an expert' : 'an organisation'} at signatories[${first}]` });
    seen.set(`${signatory.category}:${written}`, i);
    if (!signatory.source) return;
    const source = sources.get(signatory.source);
    if (!source) problems.push({ code: 'unknown_source', path: `${path}.source`, message: `no source "${signatory.source}"` });
    else if (!source.text.includes(written)) {
      problems.push({ code: 'signatory_not_in_source', path, message: `"${written}" is not written in source ${source.id}` });
    }
  });

  return { problems, warnings, corrected: { ...file, excerpts } };
}
