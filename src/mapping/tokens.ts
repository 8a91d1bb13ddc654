import type { CompiledLexicon, WordInfo } from './lexicon.ts';

/** Punctuation that ends a clause: negation and hedges do not reach across it. */
const CLAUSE_BREAK = /[,;:()\[\]–—«»"“”!?.]/;

/**
 * The words of one passage, as parallel arrays reused from passage to passage
 * (a run over megabytes of text allocates no token objects). Word `i` is
 * `info[i]`, at UTF-16 offsets `start[i]`..`end[i]` of the text.
 */
export class Tokens {
  count = 0;
  readonly info: WordInfo[] = [];
  readonly start: number[] = [];
  readonly end: number[] = [];
  /** clauseBreak[i]: a clause ends between word i-1 and word i. */
  readonly clauseBreak: boolean[] = [];
  private readonly pattern = /[\p{L}\p{N}]+/gu;

  /** Reads the words of text[from, to) with the lexicon's word cache. */
  fill(text: string, from: number, to: number, lexicon: CompiledLexicon): this {
    this.count = 0;
    const pattern = this.pattern;
    pattern.lastIndex = from;
    let previousEnd = from;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null && match.index < to) {
      const i = this.count++;
      const start = match.index;
      const end = Math.min(start + match[0].length, to);
      this.info[i] = lexicon.word(end === start + match[0].length ? match[0] : text.slice(start, end));
      this.start[i] = start;
      this.end[i] = end;
      // Most gaps are one space: test the punctuation only when there is more.
      const gap = start - previousEnd;
      this.clauseBreak[i] = i > 0 && (gap > 1 || (gap === 1 && text.charCodeAt(previousEnd) !== 32)) && CLAUSE_BREAK.test(text.slice(previousEnd, start));
      previousEnd = end;
    }
    return this;
  }
}
