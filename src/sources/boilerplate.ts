/**
 * Lines that web captures add around a document: site navigation, donation
 * footers, taxonomy labels. They are not what the author wrote, so they can never
 * become evidence. Each pattern matches a whole line, trimmed.
 */
export const BOILERPLATE_LINES: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  { pattern: /^skip to (main )?content$/i, why: 'site navigation link' },
  { pattern: /^aller au contenu( principal)?$/i, why: 'site navigation link (French)' },
  { pattern: /^your tax deductible gift can help stop human rights violations and save lives around the world\.?$/i, why: 'donation footer' },
  { pattern: /^(donate|faire un don)( now| maintenant)?$/i, why: 'donation button' },
  { pattern: /^region\s*\/\s*country$/i, why: 'taxonomy label' },
  { pattern: /^région\s*\/\s*pays$/i, why: 'taxonomy label (French)' },
];

export interface TextRange {
  /** Code point offset, inclusive. */
  start: number;
  /** Code point offset, exclusive. */
  end: number;
}

/** Code point ranges of the boilerplate lines of a text, in order. */
export function findBoilerplate(text: string): TextRange[] {
  const ranges: TextRange[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const length = [...line].length;
    const trimmed = line.trim();
    if (trimmed && BOILERPLATE_LINES.some((b) => b.pattern.test(trimmed))) {
      ranges.push({ start: offset, end: offset + length });
    }
    offset += length + 1;
  }
  return ranges;
}

export function overlaps(a: TextRange, b: TextRange): boolean {
  return a.start < b.end && b.start < a.end;
}
