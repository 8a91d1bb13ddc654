import type { CompiledLexicon, TrieNode } from './lexicon.ts';
import type { Tokens } from './tokens.ts';

/**
 * The lexicon terms found in one passage, grouped by feature (concept or rule
 * part). Reused from passage to passage: `clear` touches only what was set.
 */
export class TermMatches {
  /** Match k is term `term[k]` on words `first[k]`..`last[k]`. */
  count = 0;
  readonly term: number[] = [];
  readonly first: number[] = [];
  readonly last: number[] = [];
  /** occurrences[f]: the matches of feature f (indices into the arrays above). */
  readonly occurrences: number[][] = [];
  /** The features with at least one match, in the order found. */
  readonly touched: number[] = [];

  constructor(featureCount: number) {
    for (let f = 0; f < featureCount; f++) this.occurrences.push([]);
  }

  private clear(): void {
    for (const f of this.touched) this.occurrences[f]!.length = 0;
    this.touched.length = 0;
    this.count = 0;
  }

  /** Finds every term of the lexicon in the words, then drops those inside a mask (a name such as "Committee against Torture", whose "torture" is no evidence of torture). */
  find(tokens: Tokens, lexicon: CompiledLexicon): this {
    this.clear();
    const n = tokens.count;
    let hasMask = false;
    for (let i = 0; i < n; i++) {
      const info = tokens.info[i]!;
      if (info.termByStem) this.walk(info.termByStem, tokens, i);
      if (info.termBySurface) this.walk(info.termBySurface, tokens, i);
    }
    if (this.count === 0) return this;
    for (let k = 0; k < this.count; k++) if (lexicon.terms[this.term[k]!]!.mask) hasMask = true;
    const maskedWords = hasMask ? new Uint8Array(n) : undefined;
    if (maskedWords) {
      for (let k = 0; k < this.count; k++) {
        if (!lexicon.terms[this.term[k]!]!.mask) continue;
        for (let w = this.first[k]!; w <= this.last[k]!; w++) maskedWords[w] = 1;
      }
    }
    for (let k = 0; k < this.count; k++) {
      const term = lexicon.terms[this.term[k]!]!;
      // A mask keeps its own features (the Committee against Torture is an authority) but hides the words inside it.
      if (!term.mask && maskedWords && maskedWords[this.first[k]!] && maskedWords[this.last[k]!]) continue;
      for (const f of term.features) {
        const list = this.occurrences[f]!;
        if (list.length === 0) this.touched.push(f);
        list.push(k);
      }
    }
    return this;
  }

  private walk(start: TrieNode, tokens: Tokens, i: number): void {
    let node: TrieNode | undefined = start;
    let j = i;
    while (node) {
      for (const id of node.ends) {
        const k = this.count++;
        this.term[k] = id;
        this.first[k] = i;
        this.last[k] = j;
      }
      j++;
      if (j >= tokens.count || node.next.size === 0) break;
      const info = tokens.info[j]!;
      node = node.next.get(info.stem) ?? node.next.get(info.surfaceKey);
    }
  }
}
