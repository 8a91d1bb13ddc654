import snowball from 'snowball-stemmers';
import type { MappingLanguage } from './schema.ts';

const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ı: 'i' };
const MARKS = /\p{M}+/gu;
const LIGATURE_CHARS = /[œæßøłđı]/g;

/**
 * Lower case without diacritics ("Détenus" → "detenus", "œuvre" → "oeuvre"), so
 * that text typed without accents, or with decomposed ones, matches the lexicon.
 */
export function fold(word: string): string {
  const lower = word.toLowerCase();
  // Most words are plain ASCII: skip the Unicode normalisation for them.
  if (/^[\x00-\x7f]*$/.test(lower)) return lower;
  return lower.normalize('NFD').replace(MARKS, '').replace(LIGATURE_CHARS, (c) => LIGATURES[c] ?? c);
}

/** The Snowball names of our languages. */
const SNOWBALL: Record<MappingLanguage, string> = { en: 'english', fr: 'french' };

/** Literal tags for numbers that show scale in the lexicons: "300 lawyers" (at least 100), "43 cases" (20 to 99). */
export const HUNDREDS = '<n100>';
export const DOZENS = '<n20>';

/**
 * The stem of one word, diacritics folded. French is stemmed before folding,
 * because the Snowball French rules read accents (é, è); the result is folded so
 * that "détenus" and "detenus" share a stem. Numbers that are not years become
 * tags of their size, so that "300 lawyers" and "56 étudiants" can show scale.
 */
export function stemWord(word: string, lang: MappingLanguage, stemmer = stemmerFor(lang)): string {
  if (/^\d+$/.test(word)) {
    // "700 000" and "1,200" come as groups of digits: a group like "000" ends a large number.
    if (word.length === 3 && word.startsWith('0')) return HUNDREDS;
    const n = Number(word);
    if (n >= 1900 && n <= 2100) return word; // a year
    return n >= 100 ? HUNDREDS : n >= 20 ? DOZENS : word;
  }
  const lower = word.toLowerCase();
  return fold(stemmer.stem(lang === 'en' ? fold(lower) : lower));
}

const stemmers = new Map<MappingLanguage, snowball.Stemmer>();

export function stemmerFor(lang: MappingLanguage): snowball.Stemmer {
  let stemmer = stemmers.get(lang);
  if (!stemmer) {
    stemmer = snowball.newStemmer(SNOWBALL[lang]);
    stemmers.set(lang, stemmer);
  }
  return stemmer;
}

/** The words of a text as the tokenizer cuts them: letters and digits; apostrophes and hyphens split. */
export const WORD = /[\p{L}\p{N}]+/gu;

/** Stems of every word of a phrase, for lexicon terms (literal tags like <n100> and <n20> are kept). */
export function stemPhrase(phrase: string, lang: MappingLanguage): string[] {
  return phrase
    .trim()
    .split(/\s+/)
    .flatMap((part) => (/^<[a-z0-9]+>$/.test(part) ? [part] : (part.match(WORD) ?? []).map((w) => stemWord(w, lang))));
}

/** Folded words of a phrase, for cues matched on their surface form ("must", "doivent"). */
export function foldPhrase(phrase: string): string[] {
  return (phrase.match(WORD) ?? []).map(fold);
}
