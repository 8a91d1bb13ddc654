import { z } from 'zod';
import { CriterionId } from '../criteria/schema.ts';
import { MappingLanguage } from './schema.ts';

/**
 * A term of a lexicon: one word or a phrase. Each word is stemmed ("journalists"
 * and "journalist" are one term) unless it starts with "=", which matches the
 * word itself, diacritics folded ("=viol" is the French noun "rape", not "violé",
 * "violated"). "<n100>" stands for any number of at least 100 that is not a year,
 * "<n20>" for one from 20 to 99. Inside a phrase, "*" stands for any one word
 * ("<n20> * homes" finds "50 Baha'i homes" as well as "50 family homes").
 */
export const Term = z
  .string()
  .regex(
    /^\s*(=?[\p{L}\p{N}][\p{L}\p{N}'’-]*|<n100>|<n20>)(\s+(=?[\p{L}\p{N}][\p{L}\p{N}'’-]*|<n100>|<n20>|\*))*\s*$/u,
    'a word or phrase of letters and digits; "=" before a word to match it unstemmed; "*" inside a phrase for any one word',
  );

/** A reference to a concept ("@journalist") or a term. */
export const TermOrConcept = z.string().min(1);

/** One part of a rule: a concept, a term, or a list of terms and concepts any of which will do. */
export const RulePart = z.union([TermOrConcept, z.array(TermOrConcept).min(1)]);

/**
 * A rule suggests a criterion when every one of its parts is found in one passage
 * (within `window` words of each other when given), and none of `unless`.
 * `needs: document` rules are weak on their own (an ownership link, a court
 * ruling): they speak only in a document that reports abuses elsewhere.
 */
export const Rule = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower case, digits and dashes'),
  criterion: CriterionId,
  why: z.string().min(3).describe('what the rule recognises, for the editor'),
  all: z.array(RulePart).min(1),
  unless: z.array(TermOrConcept).default([]),
  weight: z.number().gt(0).max(1),
  window: z.number().int().positive().optional(),
  needs: z.enum(['passage', 'document']).default('passage'),
  /**
   * The part whose mood decides whether the rule is asked for. By default the
   * one said last ("must release those who were detained" reports a detention);
   * a corroboration rule names the authority's act, because what an authority
   * called for is itself the finding ("UN experts called for a moratorium").
   */
  decidedBy: z.number().int().nonnegative().optional(),
  /**
   * A pronoun standing for someone named just before (see `Anaphora`) may fill a
   * part: "He was arrested" after a sentence about a journalist. Only for rules
   * whose other part says plainly what was done to that person.
   */
  pronouns: z.boolean().default(false),
  /**
   * The first part must open the passage (among its first three words, after a
   * paragraph number): the operative paragraphs of a resolution say who speaks
   * only once, at the top ("1. Strongly condemns …", « 1. condamne … »).
   */
  opens: z.boolean().default(false),
});
export type Rule = z.infer<typeof Rule>;

/** Cues read on the words themselves (not stemmed): tense and mood matter here ("calls on" asks, "called on" reports). */
const Cues = z.array(Term).min(1);

export const Modality = z.strictObject({
  /** A call for action: what follows in the passage is asked for, not reported. */
  directive: Cues,
  /** A statement of the law or of an obligation: what follows is a norm, not a fact. */
  norm: Cues,
  /** Ends a directive or norm: what follows is reported ("who have been detained", « qui ont été arrêtés »). */
  report: Cues,
  /** Cancels the terms within `windows.negation` words after it, in the same clause. */
  negation: Cues,
  /** Reported at second hand: lowers the terms near it a little (allegedly, reportedly, « présumés »). */
  hedge: Cues,
  /** Only possible: lowers the terms near it a lot (may, could, risk, « pourrait »). */
  hypothetical: Cues,
  /** A denial of the facts ("denied", « nie »): lowers the whole passage. */
  denial: Cues,
  /** First words of a list item or sentence that asks ("Ensure …", « Exprimer … »). */
  imperative: Cues,
});
export type Modality = z.infer<typeof Modality>;

/** Pronouns that can stand for what some concepts name: "he" for a journalist or a judge, "it" for a court but not a person. */
export const PronounGroup = z.strictObject({
  /** Pronouns and phrases that refer back ("he", "their", "one of them", « elle », « l'un d'eux »). */
  words: z.array(Term).min(1),
  /** The concepts these pronouns can stand for. */
  carry: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).min(1),
});

/**
 * Words that stand for someone named just before: in "The journalist was
 * followed. He was arrested on Monday", "He" is the journalist. A passage whose
 * first words hold such a word, and that names nothing the pronoun can stand for
 * itself, takes what the previous passages named (within `reach` passages).
 */
export const Anaphora = z.strictObject({
  groups: z.array(PronounGroup).min(1),
  /** Phrases starting with a pronoun that refers to no one ("it is not known", « il faut », « il s'agit »): the longest match wins. */
  impersonal: z.array(Term).default([]),
  /** The pronoun must be among the passage's first `within` words. */
  within: z.number().int().positive(),
  /** How many passages back a name is remembered. */
  reach: z.number().int().positive(),
});
export type Anaphora = z.infer<typeof Anaphora>;

export const LexiconFile = z.strictObject({
  language: MappingLanguage,
  /** Frequent function words: the language detector counts them. */
  stopwords: z.array(z.string().min(1)).min(20),
  /** Abbreviations after which a full stop does not end a sentence (folded, without the stop). */
  abbreviations: z.array(z.string().min(1)),
  modality: Modality,
  factors: z.strictObject({
    hedge: z.number().gt(0).max(1),
    hypothetical: z.number().gt(0).max(1),
    denial: z.number().gt(0).max(1),
  }),
  windows: z.strictObject({
    negation: z.number().int().positive(),
    hedgeBefore: z.number().int().nonnegative(),
    hedgeAfter: z.number().int().positive(),
  }),
  /** Score from which a criterion is suggested. */
  threshold: z.number().gt(0).max(1),
  /** Names that contain evidence words but are not evidence ("Committee against Torture", « Reporters sans frontières »). */
  masks: z.array(Term),
  anaphora: Anaphora.optional(),
  concepts: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.array(TermOrConcept).min(1)),
  rules: z.array(Rule).min(1),
});
export type LexiconFile = z.infer<typeof LexiconFile>;
