import { BOILERPLATE_LINES } from '../sources/boilerplate.ts';
import { fold } from './normalise.ts';
import type { MappingLanguage, PassageKind } from './schema.ts';

/** A passage in UTF-16 offsets of the text; `mapText` converts to code points at the end. */
export interface Passage {
  start: number;
  end: number;
  kind: PassageKind;
  /** The passage introduces what follows (it ends with a colon): a list after it may be what it asks for. */
  leadIn: boolean;
  /** The first passage of its list item or paragraph (a list item's later sentences are `bullet` too). */
  first: boolean;
}

/** "- ", "• ", "1. ", "2) ", "(a) ", "iv) " at the start of a line. Single letters take ")" only, so that "M. Dupont" stays text. */
const BULLET = /^[ \t]*(?:[-*•◦▪‣·–—](?=\s)|\(?\d{1,3}[.)](?=\s)|\(?[a-z]\)(?=\s)|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)(?=\s))[ \t]*/i;
/** A line or passage that ends a sentence or a lead-in (closing quotes, brackets and bold markers aside). */
const TERMINATED = /[.!?;:…][\s"'”’»)\]*_]*$/;
const CLOSERS = new Set(['*', '_', '”', '’', '»', '"', ')', ']']);
const HAS_WORD = /[\p{L}\p{N}]/u;
const STARTS_UPPER = /^[\s"'“«(*_#\[]*[\p{Lu}\p{N}]/u;
const STARTS_LOWER = /^[\s"'“«(*_\[]*\p{Ll}/u;
const MARKDOWN_HEADING = /^\s*#{1,6}\s/;
/** A heading has at most this many words. */
const HEADING_WORDS = 12;
/** A block that stops mid-sentence after this many words goes on after a blank line (a page break), not a short line. */
const RUN_ON_WORDS = 25;
const HAS_LETTER = /\p{L}/u;
/** A full stop, question or exclamation mark followed by more text: the only places a sentence can end inside a block. */
const INNER_STOP = /[.!?…。][\s"'”’»)\]*_]*\S/;
/** Blocks longer than this are cut (at a sentence end if possible) before Intl.Segmenter, which slows down on long strings. */
const CHUNK = 2000;

type LineKind = 'blank' | 'break' | 'bullet' | 'text';

interface Line {
  start: number;
  end: number;
  kind: LineKind;
  /** Where the content starts (after a bullet marker). */
  content: number;
}

interface Block {
  start: number;
  end: number;
  kind: PassageKind;
}

function wordCount(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(/[\p{L}\p{N}]+/gu)) n++;
  return n;
}

function isBoilerplate(trimmed: string): boolean {
  return trimmed.length < 200 && BOILERPLATE_LINES.some((b) => b.pattern.test(trimmed));
}

/** Reads the lines of a text on demand, classifying each once; lines behind the reader are let go, so memory stays small on long texts. */
class LineReader {
  private lines: Line[] = [];
  /** Index of lines[0] among all lines. */
  private base = 0;
  private offset = 0;
  private done = false;

  constructor(private readonly text: string) {}

  /** Line i of the text (counting from 0), or undefined past the end. */
  get(i: number): Line | undefined {
    while (!this.done && i >= this.base + this.lines.length) this.read();
    return this.lines[i - this.base];
  }

  /** Lines before i will not be asked for again. */
  release(i: number): void {
    const drop = i - this.base;
    if (drop > 256) {
      this.lines = this.lines.slice(drop);
      this.base = i;
    }
  }

  private read(): void {
    const { text } = this;
    const start = this.offset;
    if (start > text.length) {
      this.done = true;
      return;
    }
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    this.offset = end + 1;
    const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const line = text.slice(start, lineEnd);
    let kind: LineKind = 'text';
    let content = start;
    if (!HAS_WORD.test(line)) kind = 'blank';
    else if (isBoilerplate(line.trim())) kind = 'break';
    else {
      const bullet = BULLET.exec(line);
      if (bullet && HAS_WORD.test(line.slice(bullet[0].length))) {
        kind = 'bullet';
        content = start + bullet[0].length;
      } else content = start + (line.length - line.trimStart().length);
    }
    this.lines.push({ start, end: lineEnd, kind, content });
  }
}

/**
 * Cuts the lines into blocks: a paragraph (lines joined while a sentence runs on,
 * as hard-wrapped text needs), a list item (with its continuation lines), or a
 * heading (a short line without a final stop, standing alone or followed by a
 * capitalised line). Boilerplate lines end a block and belong to none.
 */
function* readBlocks(text: string): Generator<Block> {
  const lines = new LineReader(text);
  let i = 0;
  for (let line = lines.get(0); line; line = lines.get(i)) {
    lines.release(i);
    if (line.kind === 'blank' || line.kind === 'break') {
      i++;
      continue;
    }
    const lineText = text.slice(line.content, line.end);
    if (line.kind === 'text' && (MARKDOWN_HEADING.test(lineText) || isHeading(lineText, lines.get(i + 1), text))) {
      yield { start: line.content, end: line.end, kind: 'heading' };
      i++;
      continue;
    }
    let end = line.end;
    let j = i + 1;
    for (;;) {
      const next = lines.get(j);
      if (!next || next.kind === 'bullet' || next.kind === 'break') break;
      if (next.kind === 'text') {
        // A line that ends a sentence ends the paragraph too: web captures put one paragraph per line.
        if (TERMINATED.test(text.slice(Math.max(line.content, end - 8), end))) break;
        end = next.end;
        j++;
        continue;
      }
      // A blank line ends the block, unless the block stops mid-sentence and is
      // too long to be a heading: a page break inside a sentence.
      let k = j;
      while (lines.get(k)?.kind === 'blank') k++;
      const after = lines.get(k);
      const sofar = text.slice(line.content, end);
      if (after?.kind === 'text' && !TERMINATED.test(sofar) && (wordCount(sofar) > RUN_ON_WORDS || STARTS_LOWER.test(text.slice(after.content, after.end)))) {
        end = after.end;
        j = k + 1;
        continue;
      }
      break;
    }
    yield { start: line.content, end, kind: line.kind === 'bullet' ? 'bullet' : 'sentence' };
    i = j;
  }
}

function isHeading(lineText: string, next: Line | undefined, text: string): boolean {
  const trimmed = lineText.trim();
  if (TERMINATED.test(trimmed)) return false;
  // A line in capitals is a title whatever its length.
  if (trimmed === trimmed.toUpperCase() && /\p{Lu}.*\p{Lu}/u.test(trimmed)) return true;
  if (wordCount(trimmed) > HEADING_WORDS) return false;
  if (!next || next.kind !== 'text') return true;
  return STARTS_UPPER.test(text.slice(next.content, next.end));
}

const segmenters = new Map<MappingLanguage, Intl.Segmenter>();
function sentenceSegmenter(lang: MappingLanguage): Intl.Segmenter {
  let segmenter = segmenters.get(lang);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(lang, { granularity: 'sentence' });
    segmenters.set(lang, segmenter);
  }
  return segmenter;
}

/** Sentence boundaries of text[start, end) (UTF-16 offsets), from Intl.Segmenter, chunked so that long blocks stay fast. */
function sentenceEnds(text: string, start: number, end: number, lang: MappingLanguage): number[] {
  const segmenter = sentenceSegmenter(lang);
  const ends: number[] = [];
  let from = start;
  while (from < end) {
    let to = end;
    if (to - from > CHUNK) {
      // Cut after the last ". " in the chunk, or at its last space.
      const window = text.slice(from, from + CHUNK);
      const stop = Math.max(window.lastIndexOf('. '), window.lastIndexOf('? '), window.lastIndexOf('! '));
      const space = window.lastIndexOf(' ');
      to = from + (stop > CHUNK / 4 ? stop + 2 : space > CHUNK / 4 ? space + 1 : CHUNK);
      // Never between the two halves of a surrogate pair (an emoji, a rare CJK character): a passage is a slice of code points.
      if (/[\uD800-\uDBFF]/.test(text[to - 1] ?? '')) to--;
    }
    let chunk = text.slice(from, to);
    if (!INNER_STOP.test(chunk)) {
      // No stop followed by more text: one sentence, and no need to ask the segmenter.
      ends.push(to);
    } else {
      // Line breaks inside a block are wrapping, not sentence ends: the segmenter sees spaces.
      if (/[\r\n\u2028\u2029]/.test(chunk)) chunk = chunk.replace(/[\r\n\u2028\u2029]/g, ' ');
      for (const { index, segment } of segmenter.segment(chunk)) ends.push(from + index + segment.length);
    }
    from = to;
  }
  return ends;
}

/** True when the sentence ends with an abbreviation ("Mr.", "art.", « M. ») rather than a full stop. */
function endsWithAbbreviation(sentence: string, abbreviations: ReadonlySet<string>): boolean {
  const match = /([\p{L}][\p{L}.]*)\.\s*$/u.exec(sentence);
  if (!match) return false;
  const word = match[1]!;
  return (word.length === 1 && /\p{Lu}/u.test(word)) || abbreviations.has(fold(word));
}

/**
 * The passages of a text, one after the other: headings, list items and the
 * sentences of paragraphs and list items, in order, boilerplate left out.
 * Offsets are UTF-16, trimmed of surrounding white space.
 */
export function* segmentText(text: string, lang: MappingLanguage, abbreviations: ReadonlySet<string>): Generator<Passage> {
  const passage = (start: number, end: number, kind: PassageKind, first: boolean): Passage | undefined => {
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (end <= start || !HAS_LETTER.test(text.slice(start, end))) return undefined;
    const leadIn = /:[\s*_"”»]*$/.test(text.slice(Math.max(start, end - 6), end));
    return { start, end, kind, leadIn, first };
  };
  for (const block of readBlocks(text)) {
    if (block.kind === 'heading') {
      const heading = passage(block.start, block.end, 'heading', true);
      if (heading) yield heading;
      continue;
    }
    let sentenceStart = block.start;
    let first = true;
    for (let end of sentenceEnds(text, block.start, block.end, lang)) {
      // Closing marks the segmenter left to the next sentence ("cybersurveillance.** Compte") belong to this one.
      while (end < block.end && CLOSERS.has(text[end]!)) end++;
      if (end <= sentenceStart) continue;
      if (end < block.end && endsWithAbbreviation(text.slice(Math.max(sentenceStart, end - 40), end), abbreviations)) continue;
      const sentence = passage(sentenceStart, end, block.kind, first);
      if (sentence) {
        yield sentence;
        first = false;
      }
      sentenceStart = end;
    }
  }
}
