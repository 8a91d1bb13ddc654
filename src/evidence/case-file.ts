import { z } from 'zod';
import { CriterionId } from '../criteria/schema.ts';
import { Language, Sha256, SourceId } from '../sources/manifest.ts';

/**
 * The case-file format (evidence/<case>/case.yaml). This one schema is the type,
 * the validator and the documentation of a case file.
 */

export const ExcerptId = z
  .string()
  .regex(/^ex-[a-z0-9][a-z0-9-]*$/, 'an excerpt id starts with "ex-" followed by lower-case letters, digits and hyphens');

/** W3C Web Annotation TextQuoteSelector. */
export const TextQuoteSelector = z.strictObject({
  exact: z.string().min(1).refine((s) => s.trim().length > 0, 'the quote cannot be blank'),
  prefix: z.string().default(''),
  suffix: z.string().default(''),
});
export type TextQuoteSelector = z.infer<typeof TextQuoteSelector>;

/** W3C Web Annotation TextPositionSelector: Unicode code points, end exclusive. */
export const TextPositionSelector = z
  .strictObject({ start: z.int().nonnegative(), end: z.int().positive() })
  .refine((p) => p.end > p.start, { message: 'end must be greater than start', path: ['end'] });
export type TextPositionSelector = z.infer<typeof TextPositionSelector>;

/** Words written into the dossier: a value of white space alone would print as nothing. */
const Written = z.string().regex(/\S/, 'is blank');

/** The criteria an excerpt supports, each once: a criterion listed twice would count its excerpt twice. */
export const ExcerptCriteria = z.array(CriterionId).refine((ids) => new Set(ids).size === ids.length, { error: 'a criterion is listed once' });

export const Excerpt = z.strictObject({
  id: ExcerptId,
  source: SourceId,
  sha256: Sha256,
  quote: TextQuoteSelector,
  position: TextPositionSelector,
  /** Empty for an excerpt that only establishes an identifying fact. */
  criteria: ExcerptCriteria.default([]),
  /** Information that weighs against the listing, such as the target's denials. */
  exculpatory: z.boolean().default(false),
  note: z.string().min(1, "every excerpt carries an editor's note saying what it shows"),
});
export type Excerpt = z.infer<typeof Excerpt>;

/** Where an identifying fact comes from: an excerpt of a source, or a cited document outside the sources. */
export const FactSource = z.union([
  z.strictObject({ excerpt: ExcerptId }),
  z.strictObject({
    citation: Written,
    /** False where the citation was seen only in secondary material. */
    verified: z.boolean(),
  }),
]);
export type FactSource = z.infer<typeof FactSource>;

/** A fact is verified when every source of it is: an excerpt (checked against its source) or a citation seen first-hand. */
export const isVerified = (sources: readonly FactSource[]): boolean => sources.every((s) => 'excerpt' in s || s.verified);

export const Fact = z.strictObject({
  value: Written,
  sources: z.array(FactSource).min(1, 'a fact without a source is left out'),
});
export type Fact = z.infer<typeof Fact>;

/** An empty list means no source establishes the field. */
const Facts = z.array(Fact).default([]);

export const RelatedEntity = z.strictObject({
  name: Written,
  relationship: Written,
  /** What the sources establish: it owns the target, the target owns it, or only an association. */
  link: z.enum(['owner', 'subsidiary', 'associate']).default('associate'),
  sources: z.array(FactSource).min(1, 'a related entity without a source is left out'),
});
export type RelatedEntity = z.infer<typeof RelatedEntity>;

/** The Annex fields for a legal person, entity or body. */
export const LegalPersonIdentity = z.strictObject({
  type: z.literal('legal_person'),
  names: z.array(Fact).min(1, 'the target needs at least one name'),
  aliases: Facts,
  legal_form: Facts,
  place_of_registration: Facts,
  date_of_registration: Facts,
  registration_number: Facts,
  place_of_business: Facts,
  related_entities: z.array(RelatedEntity).default([]),
});
export type LegalPersonIdentity = z.infer<typeof LegalPersonIdentity>;

export const Sentence = z.strictObject({
  text: z.string().min(1),
  excerpts: z.array(ExcerptId).min(1, 'every sentence of the statement of reasons cites the excerpts it rests on'),
});
export type Sentence = z.infer<typeof Sentence>;

export const Paragraph = z.strictObject({ sentences: z.array(Sentence).min(1) });
export type Paragraph = z.infer<typeof Paragraph>;

export const SignatoryCategory = z.enum(['organisation', 'expert']);
export type SignatoryCategory = z.infer<typeof SignatoryCategory>;

export const Signatory = z.strictObject({
  name: z.string().min(1),
  category: SignatoryCategory,
  affiliation: z.string().min(1).optional(),
  /** The source in which the signature is written; its written form is checked against it. */
  source: SourceId.optional(),
  /** The person who signed for an organisation through the API, and their role. */
  signed_by: z.strictObject({ name: z.string().min(1).max(200), role: z.string().min(1).max(200) }).optional(),
  comment: z.string().min(1).max(2000).optional(),
});
export type Signatory = z.infer<typeof Signatory>;

export const CaseId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'a case id is 2-63 characters: lower-case letters, digits and hyphens');

export const CaseStatus = z.enum(['draft', 'in_review', 'approved', 'submitted']);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const CaseFile = z.strictObject({
  id: CaseId,
  title: z.string().min(1),
  status: CaseStatus.default('draft'),
  /** Language in which the editors wrote the statement of reasons and notes. */
  language: Language,
  submitted_by: z.array(z.string().min(1)).min(1),
  target: LegalPersonIdentity,
  claims: z.strictObject({
    criteria: z.array(CriterionId).min(1),
    involvement: CriterionId,
  }),
  statement_of_reasons: z.array(Paragraph).default([]),
  excerpts: z.array(Excerpt).default([]),
  signatories: z.array(Signatory).default([]),
});
export type CaseFile = z.infer<typeof CaseFile>;
