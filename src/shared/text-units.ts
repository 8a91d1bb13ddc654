const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The characters of `text` as a reader sees them: a letter with its accents, a surrogate pair whole. */
export function graphemesOf(text: string): string[] {
  return Array.from(graphemes.segment(text), (s) => s.segment);
}

/**
 * A name as two names are compared: the same whatever its Unicode form, spacing
 * and letter case ("Jane  Doe", "JANE DOE"). Organisations that sign and
 * reviewers who approve are told apart by it.
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('en');
}
