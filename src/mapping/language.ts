import { loadLexicon } from './lexicon.ts';
import { fold } from './normalise.ts';
import type { MappingLanguage } from './schema.ts';

const LANGUAGES: readonly MappingLanguage[] = ['en', 'fr'];
/** Enough text to tell English from French; reading further changes nothing but time. */
const SAMPLE = 20_000;

/**
 * The language of a text, from how many of its words are frequent function
 * words of each lexicon ("the", "of", "and" against « le », « des », « et »).
 * English when there is no evidence either way.
 */
export function detectLanguage(text: string): MappingLanguage {
  const sample = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
  const stopwords = LANGUAGES.map((lang) => loadLexicon(lang).stopwords);
  const counts = LANGUAGES.map(() => 0);
  for (const [word] of sample.matchAll(/[\p{L}]+/gu)) {
    const folded = fold(word);
    stopwords.forEach((set, i) => {
      if (set.has(folded)) counts[i]!++;
    });
  }
  let best = 0;
  for (let i = 1; i < LANGUAGES.length; i++) if (counts[i]! > counts[best]!) best = i;
  return LANGUAGES[best]!;
}
