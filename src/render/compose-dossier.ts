// Each function and locale from its own module: the package's index would load every function and
// all of its locales: about 50 MB more memory in every process that renders.
import { format } from 'date-fns/format';
import { enGB } from 'date-fns/locale/en-GB';
import { fr } from 'date-fns/locale/fr';
import { parseISO } from 'date-fns/parseISO';
import type { DossierModel, EvidenceSection, ExcerptView, LegalTextView, SignatoryView, SourceView } from '../dossier/model.ts';
import type { Language } from '../sources/manifest.ts';
import type { Block, ComposedDocument, TextStyle } from './blocks.ts';
import type { DossierText } from './text/dossier-text.ts';

/** Each language's long date: French writes the first of the month as an ordinal (1er janvier), English does not. */
const DATE_FORMATS = { en: { locale: enGB, pattern: 'd MMMM yyyy' }, fr: { locale: fr, pattern: 'do MMMM yyyy' } } as const;

/** The style of the annex's lists of signatories: what their names must be printable in (signatory-names.ts). */
export const SIGNATORIES_STYLE = 'small' satisfies TextStyle;

export function formatDate(iso: string, lang: Language): string {
  const { locale, pattern } = DATE_FORMATS[lang];
  return format(parseISO(iso), pattern, { locale });
}

/** Turns the dossier model into the blocks of the PDF, in reading order. */
export function composeDossier(model: DossierModel, t: DossierText): ComposedDocument {
  const decision = model.acts[0]!;
  const regulation = model.acts[1] ?? decision;
  const dateText = formatDate(model.date, model.lang);
  const sourceByLabel = new Map(model.sources.map((s) => [s.label, s]));
  const status = t.label(`status.${model.status}`);
  const colon = t.label('colon');
  // Names carry the source they signed only where the annex mixes signatures of different origins; else the narrative says it for all.
  const marked = new Set([...model.signatories.organisation, ...model.signatories.expert].map((s) => s.source ?? '')).size > 1;
  // The legal team's words (statement, notes, identity values) are in the case's language, which may not be the dossier's.
  const untranslated = { untranslated: model.caseLanguage !== model.lang, language: t.label(`languages.${model.caseLanguage}`) };

  const quote = (e: ExcerptView): Block => {
    const source = sourceByLabel.get(e.sourceLabel)!;
    return {
      type: 'quote',
      caption: `${t.label('excerpt.caption', { label: e.label, source: e.sourceLabel, start: e.start, end: e.end })} · ${t.label('excerpt.original', { language: t.label(`languages.${e.language}`) })}`,
      text: e.quote,
      lang: e.language,
      footnote: `${e.sourceLabel}${colon}${sourceCitation(source, t)}`,
      link: sourceAnchor(e.sourceLabel),
      note: t.label('excerpt.note', { note: e.note, language: t.label(`languages.${model.caseLanguage}`) }),
      // Read aloud in the language the legal team wrote it in.
      ...(untranslated.untranslated ? { noteLang: model.caseLanguage } : {}),
    };
  };

  // Provisions are shown under their group's introductory wording, written once per group.
  const legalBasis = (entries: LegalTextView[]): Block[] => {
    const blocks: Block[] = [];
    let chapeau: string | undefined;
    for (const l of entries) {
      if (l.chapeau && l.chapeau !== chapeau) {
        blocks.push({ type: 'heading', level: 2, text: `${l.chapeauCitation}${l.act ? ` — ${l.act}` : ''}`, toc: false });
        blocks.push({ type: 'paragraph', text: l.chapeau, style: 'legal', indent: 0, keepWithNext: true });
      }
      chapeau = l.chapeau;
      blocks.push({ type: 'paragraph', text: `${l.citation}${colon}${l.label}`, style: 'coverLabel', indent: 18, keepWithNext: true });
      blocks.push({ type: 'paragraph', text: l.chapeau ? `… ${l.text}` : l.text, style: 'legal', indent: 18 });
      if (!l.verified) blocks.push({ type: 'paragraph', text: t.label('legal.unverified'), style: 'note', indent: 18 });
      if (l.descriptive) blocks.push({ type: 'paragraph', text: t.label('legal.descriptive'), style: 'note', indent: 18 });
    }
    return blocks;
  };

  const evidence = (s: EvidenceSection, heading: string): Block[] => [
    { type: 'heading', level: 2, text: heading, toc: true },
    {
      type: 'paragraph',
      style: 'body',
      keepWithNext: true,
      text: t.narrative('criterion', { count: s.excerpts.length, sources: s.independentSources, citation: s.criterion.citation }),
    },
    ...s.excerpts.map(quote),
  ];

  const identityRows = model.target.identity.map((f) => ({
    label: t.label(`identity.${f.field}`),
    values: f.facts.length
      ? f.facts.map((fact) => `${fact.value}${fact.verified ? '' : ` (${t.label('identity.unverified')})`} — ${t.label('identity.basedOn', { references: fact.references.join('; ') })}`)
      : [t.label('identity.notEstablished')],
    muted: f.facts.length === 0,
  }));

  const cover: Block[] = [
    { type: 'space', height: 40 },
    { type: 'paragraph', text: t.label('documentKind'), style: 'subtitle' },
    { type: 'paragraph', text: model.target.name, style: 'title' },
    { type: 'paragraph', text: t.label('regime'), style: 'subtitle' },
    { type: 'space', height: 24 },
    {
      type: 'fields',
      rows: [
        { label: t.label('cover.target'), values: [model.target.name] },
        { label: t.label('cover.regime'), values: [`${decision.title} (${decision.oj})`, `${regulation.title} (${regulation.oj})`] },
        { label: t.label('cover.claims'), values: model.claimed.map((c) => `${c.citation}${colon}${c.label}`) },
        { label: t.label('cover.involvement'), values: [`${model.involvement.citation}${colon}${model.involvement.label}`] },
        { label: t.label('cover.status'), values: [status] },
        { label: t.label('cover.date'), values: [dateText] },
        { label: t.label('cover.submittedBy'), values: model.submittedBy },
      ],
    },
    { type: 'space', height: 12 },
    { type: 'paragraph', style: 'body', text: t.narrative('cover', { target: model.target.name, decision: decision.short, regulation: regulation.short }) },
  ];

  const body: Block[] = [
    { type: 'heading', level: 1, text: t.label('sections.statement'), toc: true },
    { type: 'paragraph', style: 'note', text: t.narrative('statement', untranslated), keepWithNext: true },
    ...model.statement.map((sentences): Block => ({
      type: 'paragraph',
      style: 'body',
      text: sentences.map((s) => `${s.text} [${s.references.join(', ')}]`).join(' '),
      // Read aloud in the language it was written in, untranslated.
      ...(model.caseLanguage !== model.lang ? { lang: model.caseLanguage } : {}),
    })),

    { type: 'heading', level: 1, text: t.label('sections.identity'), toc: true },
    { type: 'paragraph', style: 'note', text: t.narrative('identity', untranslated), keepWithNext: true },
    { type: 'fields', rows: identityRows },
    ...model.identityExcerpts.map(quote),
    { type: 'heading', level: 2, text: t.label('identity.relatedEntities'), toc: false },
    {
      type: 'list',
      numbered: false,
      style: 'body',
      items: model.target.relatedEntities.map(
        (r) => `${r.name}${colon}${r.relationship}${r.verified ? '' : ` (${t.label('identity.unverified')})`} — ${t.label('identity.basedOn', { references: r.references.join('; ') })}`,
      ),
    },

    { type: 'heading', level: 1, text: t.label('sections.legalBasis'), toc: true },
    {
      type: 'paragraph',
      style: 'note',
      keepWithNext: true,
      text: t.narrative('legal-basis', { decision: decision.title, unverified: model.legalBasis.some((l) => !l.verified) }),
    },
    { type: 'paragraph', style: 'note', keepWithNext: true, text: `${t.label('legal.eli')}${colon}${model.acts.map((a) => `${a.short} ${a.eli}`).join(' · ')}` },
    ...legalBasis(model.legalBasis),

    { type: 'heading', level: 1, text: t.label('sections.criteria'), toc: true },
    ...model.criterionSections.flatMap((s) => evidence(s, `${s.criterion.citation}${colon}${s.criterion.label}`)),

    { type: 'heading', level: 1, text: t.label('sections.threshold'), toc: true },
    ...model.threshold.flatMap((s) => evidence(s, `${s.criterion.citation}${colon}${s.criterion.label}`)),

    { type: 'heading', level: 1, text: t.label('sections.involvement'), toc: true },
    {
      type: 'paragraph',
      style: 'body',
      text: t.narrative('involvement', { citation: model.involvement.citation, label: model.involvement.label, target: model.target.name }),
    },
    ...evidence(model.involvementSection, `${model.involvementSection.criterion.citation}${colon}${model.involvementSection.criterion.label}`),

    { type: 'heading', level: 1, text: t.label('sections.corroboration'), toc: true },
    { type: 'paragraph', style: 'note', text: t.narrative('corroboration'), keepWithNext: true },
    ...model.corroboration.flatMap((s) => s.excerpts.map(quote)),

    ...(model.furtherExcerpts.length
      ? [
          { type: 'heading', level: 1, text: t.label('sections.further'), toc: true } satisfies Block,
          { type: 'paragraph', style: 'note', text: t.narrative('further'), keepWithNext: true } satisfies Block,
          ...model.furtherExcerpts.map(quote),
        ]
      : []),

    { type: 'heading', level: 1, text: t.label('sections.exculpatory'), toc: true },
    { type: 'paragraph', style: 'note', text: t.narrative('exculpatory', { count: model.exculpatory.length, target: model.target.name }), keepWithNext: true },
    ...model.exculpatory.map(quote),

    { type: 'pageBreak' },
    { type: 'heading', level: 1, text: t.label('sections.signatories'), toc: true },
    { type: 'paragraph', style: 'note', keepWithNext: true, text: t.narrative('signatories', signatoriesNarrative(model.signatories, marked)) },
    { type: 'heading', level: 2, text: t.label('signatories.organisation'), toc: false },
    { type: 'list', numbered: true, style: SIGNATORIES_STYLE, items: model.signatories.organisation.map((s) => signatoryLine(s, marked)) },
    { type: 'heading', level: 2, text: t.label('signatories.expert'), toc: false },
    { type: 'list', numbered: true, style: SIGNATORIES_STYLE, items: model.signatories.expert.map((s) => signatoryLine(s, marked)) },

    { type: 'pageBreak' },
    { type: 'heading', level: 1, text: t.label('sections.sources'), toc: true },
    { type: 'paragraph', style: 'note', text: t.narrative('sources'), keepWithNext: true },
    ...model.sources.flatMap((s) => sourceBlocks(s, t)),
  ];

  return {
    attachments: [
      {
        name: 'evidence.json',
        description: 'Every excerpt as a W3C Web Annotation with the SHA-256 of its source, the sources and the signatures: check it with npm run verify.',
        mimeType: 'application/json',
        content: `${JSON.stringify(model.evidence, null, 2)}\n`,
      },
    ],
    meta: {
      title: `${t.label('documentKind')}${colon}${model.target.name}`,
      author: model.submittedBy.join('; '),
      subject: `${t.label('regime')}${colon}${decision.short}, ${regulation.short}`,
      keywords: [model.target.name, t.label('regime'), decision.short, regulation.short, ...model.claimed.map((c) => c.citation)].join(', '),
      lang: model.lang,
      date: model.date,
    },
    header: [model.target.name, `${t.label('regime')} · ${status}`],
    pageLabel: (page, pages) => t.label('page', { page, pages }),
    contentsTitle: t.label('contents'),
    // Until reviewers approve it, every copy is a draft: the one they review too.
    watermark: model.status === 'draft' || model.status === 'in_review' ? t.label('watermark') : undefined,
    cover,
    body,
  };
}

/**
 * What the annex says of who signed what: how many of each kind, how many are
 * the signatories of each source (a joint letter they signed, not this
 * proposal), and how many signed this proposal itself through the service.
 */
function signatoriesNarrative(signatories: DossierModel['signatories'], marked: boolean) {
  const all = [...signatories.organisation, ...signatories.expert];
  const bySource = new Map<string, number>();
  for (const s of all) if (s.source) bySource.set(s.source, (bySource.get(s.source) ?? 0) + 1);
  return {
    organisations: signatories.organisation.length,
    experts: signatories.expert.length,
    sources: [...bySource].map(([label, count]) => ({ label, count })),
    direct: all.filter((s) => !s.source).length,
    marked,
  };
}

const signatoryLine = (s: SignatoryView, marked: boolean) => `${s.affiliation ? `${s.name}, ${s.affiliation}` : s.name}${marked && s.source ? ` (${s.source})` : ''}`;

const sourceAnchor = (label: string) => `source-${label}`;

function sourceCitation(s: SourceView, t: DossierText): string {
  const date = s.date ? formatDate(s.date, t.lang) : s.dateNote;
  return `${s.organisation}, ${t.label('sources.title', { title: s.title })}, ${s.kind}, ${date}. ${t.label('sources.sha256')} ${s.sha256.slice(0, 16)}…`;
}

function sourceBlocks(s: SourceView, t: DossierText): Block[] {
  const rows = [
    { label: t.label('sources.organisation'), values: [s.organisation] },
    { label: t.label('sources.kind'), values: [s.kind] },
    ...(s.reference ? [{ label: t.label('sources.reference'), values: [s.reference] }] : []),
    { label: t.label('sources.date'), values: [s.date ? formatDate(s.date, t.lang) : (s.dateNote ?? '')] },
    { label: t.label('sources.language'), values: [t.label(`languages.${s.language}`)] },
    ...(s.url ? [{ label: t.label('sources.url'), values: [s.url] }] : []),
    { label: t.label('sources.file'), values: [s.file] },
    { label: t.label('sources.sha256'), values: [s.sha256], style: 'mono' as const },
  ];
  return [{ type: 'heading', level: 2, text: `${s.label}. ${s.title}`, toc: false, anchor: sourceAnchor(s.label) }, { type: 'fields', rows, keepTogether: true }];
}
