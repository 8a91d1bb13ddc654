import type { Catalogue } from '../criteria/catalogue.ts';
import { isLegal, type CriterionId } from '../criteria/schema.ts';
import { isVerified, type CaseFile, type Excerpt, type FactSource, type Signatory, type SignatoryCategory } from '../evidence/case-file.ts';
import { independentSources, type Language, type SourceEntry } from '../sources/manifest.ts';
import { EVIDENCE_FORMAT, type EvidencePackage, type WebAnnotation } from './evidence-package.ts';
import type { DossierModel, EvidenceSection, ExcerptView, FactView, IdentityField, LegalTextView, SignatoryView, SourceView } from './model.ts';

export interface AssembleInput {
  file: CaseFile;
  catalogue: Catalogue;
  /** The sources of the case, in manifest order. */
  sources: readonly SourceEntry[];
  lang: Language;
  /** ISO date (YYYY-MM-DD) of the dossier. */
  date: string;
}

const IDENTITY_FIELDS: IdentityField['field'][] = [
  'names', 'aliases', 'legal_form', 'place_of_registration', 'date_of_registration', 'registration_number', 'place_of_business',
];

/** Builds the dossier model from a checked case. Pure: same input, same model. */
export function assembleDossier({ file, catalogue, sources, lang, date }: AssembleInput): DossierModel {
  const usedSources = sources.filter((s) => file.excerpts.some((e) => e.source === s.id) || file.signatories.some((g) => g.source === s.id));
  const sourceViews: SourceView[] = usedSources.map((s, i) => ({
    label: `S${i + 1}`,
    id: s.id,
    title: s.title,
    organisation: s.organisation,
    kind: s.kind,
    reference: s.reference,
    date: s.date,
    dateNote: s.date_note,
    language: s.language,
    url: s.source_url,
    file: s.file,
    sha256: s.sha256,
  }));
  const sourceById = new Map(usedSources.map((s, i) => [s.id, { entry: s, view: sourceViews[i]! }]));

  // Notes cite other excerpts by id, which the case file keeps stable; the dossier prints their labels (E1, E2...).
  // Ids are letters, digits and hyphens (ExcerptId), so they go into the pattern as they are; the longest first.
  const labels = new Map(file.excerpts.map((e, i) => [e.id, `E${i + 1}`]));
  const citedIds = new RegExp(`(?<![\\w-])(${[...labels.keys()].sort((a, b) => b.length - a.length).join('|')})(?![\\w-])`, 'g');
  const withLabels = (note: string) => (labels.size ? note.replace(citedIds, (id) => labels.get(id)!) : note);

  const excerptViews = new Map<string, ExcerptView>();
  file.excerpts.forEach((excerpt, i) => {
    const source = sourceById.get(excerpt.source)!;
    excerptViews.set(excerpt.id, {
      label: `E${i + 1}`,
      id: excerpt.id,
      quote: excerpt.quote.exact,
      language: source.entry.language,
      sourceLabel: source.view.label,
      start: excerpt.position.start,
      end: excerpt.position.end,
      note: withLabels(excerpt.note),
      criteria: excerpt.criteria,
    });
  });
  const labelOf = (id: string) => excerptViews.get(id)!.label;

  const legalText = (id: CriterionId): LegalTextView => {
    const c = catalogue.get(id);
    const base = { id: c.id, kind: c.kind, citation: c.citation[lang], label: c.label[lang] };
    if (!isLegal(c)) return { ...base, text: c.description[lang], verified: true, descriptive: true };
    const group = catalogue.group(c.group);
    return {
      ...base,
      chapeau: group.text[lang],
      chapeauCitation: group.citation[lang],
      text: c.text[lang],
      verified: c.verified[lang] && group.verified[lang],
      descriptive: false,
      act: catalogue.act(group.act).short[lang],
    };
  };

  const inculpatory = file.excerpts.filter((e) => !e.exculpatory);
  const section = (id: CriterionId): EvidenceSection => {
    const excerpts = inculpatory.filter((e) => e.criteria.includes(id));
    return {
      criterion: legalText(id),
      excerpts: excerpts.map((e) => excerptViews.get(e.id)!),
      independentSources: independentSources(excerpts.map((e) => sourceById.get(e.source)!.entry)),
    };
  };

  const claimed = catalogue.sort(file.claims.criteria);
  const thresholds = catalogue.sort(claimed.flatMap((id) => catalogue.get(id).requires));
  const corroboration = catalogue.ofKind('corroboration').map((c) => c.id);
  const inSomeSection = new Set<CriterionId>([...claimed, ...thresholds, file.claims.involvement, ...corroboration]);

  const factView = (value: string, factSources: FactSource[]): FactView => ({
    value,
    verified: isVerified(factSources),
    references: factSources.map((s) => ('excerpt' in s ? labelOf(s.excerpt) : s.citation)),
  });

  const evidence: EvidencePackage = {
    format: EVIDENCE_FORMAT,
    case: file.id,
    date,
    target: { name: file.target.names[0]!.value, names: file.target.names.map((n) => n.value), aliases: file.target.aliases.map((a) => a.value) },
    claims: file.claims,
    excerpts: file.excerpts.map((e) => webAnnotation(file.id, e)),
    sources: usedSources,
    signatures: file.signatories.map((s) => ({ name: s.name, category: s.category, ...(s.affiliation ? { affiliation: s.affiliation } : {}) })),
  };

  return {
    lang,
    caseLanguage: file.language,
    evidence,
    caseId: file.id,
    title: file.title,
    status: file.status,
    date,
    submittedBy: file.submitted_by,
    acts: catalogue.acts.map((a) => ({ short: a.short[lang], title: a.title[lang], eli: a.eli, oj: a.oj[lang] })),
    target: {
      name: file.target.names[0]!.value,
      identity: IDENTITY_FIELDS.map((field) => ({
        field,
        facts: file.target[field].map((fact) => factView(fact.value, fact.sources)),
      })),
      relatedEntities: file.target.related_entities.map((entity) => ({
        name: entity.name,
        relationship: entity.relationship,
        ...pick(factView(entity.name, entity.sources), 'verified', 'references'),
      })),
    },
    claimed: claimed.map((id) => pick(legalText(id), 'id', 'kind', 'citation', 'label')),
    involvement: pick(legalText(file.claims.involvement), 'id', 'kind', 'citation', 'label'),
    statement: file.statement_of_reasons.map((p) => p.sentences.map((s) => ({ text: s.text, references: s.excerpts.map(labelOf) }))),
    legalBasis: [...claimed, ...thresholds, file.claims.involvement].map(legalText),
    criterionSections: claimed.map(section),
    threshold: thresholds.map(section),
    involvementSection: section(file.claims.involvement),
    corroboration: corroboration.map(section),
    exculpatory: file.excerpts.filter((e: Excerpt) => e.exculpatory).map((e) => excerptViews.get(e.id)!),
    identityExcerpts: inculpatory.filter((e) => e.criteria.length === 0).map((e) => excerptViews.get(e.id)!),
    furtherExcerpts: inculpatory.filter((e) => e.criteria.length > 0 && !e.criteria.some((id) => inSomeSection.has(id))).map((e) => excerptViews.get(e.id)!),
    signatories: sortSignatories(file.signatories, lang, (id) => sourceById.get(id)?.view.label),
    sources: sourceViews,
  };
}

/** An excerpt as a W3C Web Annotation: the criteria and the editor's note are its bodies, the source's hash its target. */
export function webAnnotation(caseId: string, e: Excerpt): WebAnnotation {
  return {
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `urn:dossier:${caseId}:excerpt:${e.id}`,
    type: 'Annotation',
    motivation: 'classifying',
    body: [
      ...e.criteria.map((c) => ({ type: 'TextualBody' as const, purpose: 'classifying' as const, value: c })),
      ...(e.exculpatory ? [{ type: 'TextualBody' as const, purpose: 'assessing' as const, value: 'exculpatory' }] : []),
      { type: 'TextualBody', purpose: 'commenting', value: e.note },
    ],
    target: {
      source: `urn:sha256:${e.sha256}`,
      sourceId: e.source,
      selector: [
        { type: 'TextQuoteSelector', exact: e.quote.exact, prefix: e.quote.prefix, suffix: e.quote.suffix },
        { type: 'TextPositionSelector', start: e.position.start, end: e.position.end },
      ],
    },
  };
}

function pick<T extends object, K extends keyof T>(value: T, ...keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}

/** Signatories by category, each list in the collation order of the dossier's language; `sourceLabel` names the source a signatory signed. */
export function sortSignatories(
  signatories: readonly Signatory[],
  lang: Language,
  sourceLabel: (sourceId: string) => string | undefined = () => undefined,
): Record<SignatoryCategory, SignatoryView[]> {
  const collator = new Intl.Collator(lang, { sensitivity: 'base', numeric: true, ignorePunctuation: false });
  const of = (category: SignatoryCategory) =>
    signatories
      .filter((s) => s.category === category)
      .map((s): SignatoryView => {
        const source = s.source ? sourceLabel(s.source) : undefined;
        return { name: s.name, ...(s.affiliation ? { affiliation: s.affiliation } : {}), ...(source ? { source } : {}) };
      })
      .sort((a, b) => collator.compare(a.name, b.name));
  return { organisation: of('organisation'), expert: of('expert') };
}
