import { z } from 'zod';
import { CriterionId } from '../criteria/schema.ts';

/** The languages the mapper has lexicons for. */
export const MappingLanguage = z.enum(['en', 'fr']);
export type MappingLanguage = z.infer<typeof MappingLanguage>;

/** How a passage was cut from its text: a sentence of a paragraph, a list item (or a sentence of one), or a heading. */
export const PassageKind = z.enum(['sentence', 'bullet', 'heading']);
export type PassageKind = z.infer<typeof PassageKind>;

/**
 * One passage and the criteria the mapper suggests for it. A suggestion is never
 * evidence: an editor reads `why` and accepts or rejects it.
 */
export const Suggestion = z.strictObject({
  start: z.number().int().nonnegative().describe('Unicode code point offset of the passage, inclusive'),
  end: z.number().int().nonnegative().describe('Unicode code point offset of the passage, exclusive'),
  text: z.string().describe('the code points start..end of the text, as they are'),
  kind: PassageKind,
  criteria: z.array(CriterionId).describe('suggested criteria, catalogue order'),
  score: z.number().min(0).max(1).describe('the highest score among the suggested criteria'),
  why: z.array(z.string()).describe('for each criterion: its score, the rule and the terms that fired, and what lowered it'),
});
export type Suggestion = z.infer<typeof Suggestion>;

/** What `mapText` returns; the caller adds the source's SHA-256 next to `language`. */
export const MappingResult = z.strictObject({
  source: z.strictObject({ language: MappingLanguage }),
  passages: z.array(Suggestion),
});
export type MappingResult = z.infer<typeof MappingResult>;

export interface MapOptions {
  /** The text's language; detected from its stop words when not given. */
  lang?: MappingLanguage;
}
