import type { CriterionId, CriterionKind } from '../criteria/schema.ts';
import type { CaseStatus, SignatoryCategory } from '../evidence/case-file.ts';
import type { Language } from '../sources/manifest.ts';
import type { EvidencePackage } from './evidence-package.ts';

/**
 * Everything a dossier shows, as plain data: a pure function of the case at one
 * moment. Renderers read only this; nothing is looked up during layout.
 */
export interface DossierModel {
  lang: Language;
  /** The language the editors wrote the statement and notes in; they are never machine-translated. */
  caseLanguage: Language;
  /** What the PDF carries as evidence.json. */
  evidence: EvidencePackage;
  caseId: string;
  title: string;
  status: CaseStatus;
  /** ISO date (YYYY-MM-DD) the dossier speaks for; it comes from outside, never from a clock in here. */
  date: string;
  submittedBy: string[];
  acts: ActRef[];
  target: TargetView;
  claimed: CriterionView[];
  involvement: CriterionView;
  statement: SentenceView[][];
  legalBasis: LegalTextView[];
  /** One per claimed violation, in the act's order. */
  criterionSections: EvidenceSection[];
  threshold: EvidenceSection[];
  involvementSection: EvidenceSection;
  corroboration: EvidenceSection[];
  exculpatory: ExcerptView[];
  /** Excerpts that establish identifying facts and support no criterion. */
  identityExcerpts: ExcerptView[];
  /**
   * Excerpts whose criteria the proposal neither claims nor needs (another limb
   * of involvement, a violation not claimed): no section above shows them, and
   * every excerpt the dossier numbers must be readable in it.
   */
  furtherExcerpts: ExcerptView[];
  signatories: Record<SignatoryCategory, SignatoryView[]>;
  sources: SourceView[];
}

export interface ActRef {
  short: string;
  title: string;
  eli: string;
  oj: string;
}

export interface FactView {
  value: string;
  /** False when any of its sources is unverified secondary material. */
  verified: boolean;
  /** Excerpt numbers (E1, E2...) and cited documents the fact rests on. */
  references: string[];
}

export interface IdentityField {
  field: 'names' | 'aliases' | 'legal_form' | 'place_of_registration' | 'date_of_registration' | 'registration_number' | 'place_of_business';
  /** Empty when no source establishes the field. */
  facts: FactView[];
}

export interface RelatedEntityView {
  name: string;
  relationship: string;
  verified: boolean;
  references: string[];
}

export interface TargetView {
  name: string;
  identity: IdentityField[];
  relatedEntities: RelatedEntityView[];
}

export interface CriterionView {
  id: CriterionId;
  kind: CriterionKind;
  citation: string;
  label: string;
}

export interface LegalTextView extends CriterionView {
  /** The introductory wording the point completes, and its citation, when it has one. */
  chapeau?: string;
  chapeauCitation?: string;
  text: string;
  /** False where the wording was not checked against the Official Journal. */
  verified: boolean;
  /** True for a description that is not the act's wording (corroboration). */
  descriptive: boolean;
  act?: string;
}

export interface SentenceView {
  text: string;
  /** Excerpt labels, E1, E2... */
  references: string[];
}

export interface ExcerptView {
  /** E1, E2...: the order of the case file. */
  label: string;
  id: string;
  quote: string;
  language: Language;
  sourceLabel: string;
  start: number;
  end: number;
  note: string;
  criteria: CriterionId[];
}

export interface EvidenceSection {
  criterion: LegalTextView;
  excerpts: ExcerptView[];
  /** Distinct publishing organisations among the excerpts' sources. */
  independentSources: number;
}

export interface SignatoryView {
  name: string;
  affiliation?: string;
  /** The label (S1, S2...) of the source whose signatories they are, when they signed that source rather than this proposal. */
  source?: string;
}

export interface SourceView {
  /** S1, S2...: the manifest's order. */
  label: string;
  id: string;
  title: string;
  organisation: string;
  kind: string;
  reference?: string;
  date: string | null;
  dateNote?: string;
  language: Language;
  url?: string;
  file: string;
  sha256: string;
}
