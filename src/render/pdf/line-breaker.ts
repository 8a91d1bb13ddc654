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

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` without its last `count` characters as a reader sees them (never half a surrogate pair or a letter without its accent). */
export function dropLastGraphemes(text: string, count: number): string {
  const pieces = Array.from(graphemes.segment(text), (s) => s.segment);
  return pieces.slice(0, Math.max(0, pieces.length - count)).join('');
}

function splitLongWord(word: string, width: number, measure: Measure): string[] {
  if (measure(word) <= width) return [word];
  const pieces: string[] = [];
  let piece = '';
  for (const { segment: ch } of graphemes.segment(word)) {
    if (piece && measure(piece + ch) > width) {
      pieces.push(piece);
      piece = ch;
    } else piece += ch;
  }
  if (piece) pieces.push(piece);
  return pieces;
}
