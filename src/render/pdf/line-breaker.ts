import { graphemesOf } from '../../shared/text-units.ts';

/** Measures a run of text in the current font and size. */
export type Measure = (text: string) => number;

/**
 * Breaks text into lines no wider than `width`, greedily, at ordinary spaces
 * only: a no-break space keeps its words together, and a newline in the text is
 * kept as a line break (quotes keep their line structure). A word wider than
 * the line (a URL, a hash) is cut between characters as a reader sees them
 * (grapheme clusters: an accent written as a combining mark stays on its
 * letter). A Windows line end (CRLF) or a lone CR is a line break too: its CR
 * would otherwise be drawn as a missing glyph.
 */
export function breakLines(text: string, width: number, measure: Measure): string[] {
  const lines: string[] = [];
  const space = measure(' ');
  let previousBlank = false;
  for (const hardLine of text.replace(/\t/g, ' ').split(/\r\n?|\n/)) {
    const words = hardLine.split(' ').filter(Boolean);
    if (words.length === 0) {
      // One empty line stands for any run of blank lines.
      if (!previousBlank && lines.length) lines.push('');
      previousBlank = true;
      continue;
    }
    previousBlank = false;
    let line = '';
    let lineWidth = 0;
    for (const word of words) {
      for (const piece of splitLongWord(word, width, measure)) {
        const w = measure(piece);
        if (line && lineWidth + space + w <= width) {
          line += ` ${piece}`;
          lineWidth += space + w;
        } else {
          if (line) lines.push(line);
          line = piece;
          lineWidth = w;
        }
      }
    }
    if (line) lines.push(line);
  }
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * `text` as it fits in `width` on one line: whole, or its longest beginning
 * followed by "…", cut between characters as a reader sees them (never half a
 * surrogate pair, nor a letter without its accent). At least one character
 * stays. A prefix's width grows with its length, so the cut is found by
 * halving: a long title costs a few measurements, not one per character.
 */
export function shortenToFit(text: string, width: number, measure: Measure): string {
  if (measure(text) <= width) return text;
  const pieces = graphemesOf(text);
  // One character cannot be shortened: "…" after it would only make it wider.
  if (pieces.length < 2) return text;
  const cut = (kept: number) => `${pieces.slice(0, kept).join('').trimEnd()}…`;
  let fits = 1;
  let tooLong = pieces.length;
  while (tooLong - fits > 1) {
    const middle = (fits + tooLong) >> 1;
    if (measure(cut(middle)) <= width) fits = middle;
    else tooLong = middle;
  }
  return cut(fits);
}

function splitLongWord(word: string, width: number, measure: Measure): string[] {
  if (measure(word) <= width) return [word];
  const pieces: string[] = [];
  let piece = '';
  for (const ch of graphemesOf(word)) {
    if (piece && measure(piece + ch) > width) {
      pieces.push(piece);
      piece = ch;
    } else piece += ch;
  }
  if (piece) pieces.push(piece);
  return pieces;
}
