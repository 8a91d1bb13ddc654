import { ANY_WORD, type CompiledLexicon, type TrieNode } from './lexicon.ts';
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
  /** via[k]: for a match a pronoun stands for, the term named before ("He" for "journalist"); undefined for the passage's own words. */
  readonly via: (string | undefined)[] = [];
  /** Whether some match stands for someone named before. */
  carried = false;
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
    this.carried = false;
  }

  /** Finds every term of the lexicon in the words, then drops those inside a mask (a name such as "Committee against Torture", whose "torture" is no evidence of torture). */
  find(tokens: Tokens, lexicon: CompiledLexicon): this {
    this.clear();
    const n = tokens.count;
    let hasMask = false;
    for (let i = 0; i < n; i++) {
      const info = tokens.info[i]!;
      if (info.termByStem) this.walk(info.termByStem, tokens, i, i);
      if (info.termBySurface) this.walk(info.termBySurface, tokens, i, i);
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
      this.record(k, term.features);
    }
    return this;
  }

  private record(k: number, features: number[]): void {
    for (const f of features) {
      const list = this.occurrences[f]!;
      if (list.length === 0) this.touched.push(f);
      list.push(k);
    }
  }

  /** The distinct terms of the passage that name someone a later pronoun can stand for. */
  named(lexicon: CompiledLexicon): number[] {
    const named: number[] = [];
    for (const f of lexicon.carryFeatures) for (const k of this.occurrences[f]!) if (this.via[k] === undefined && !named.includes(this.term[k]!)) named.push(this.term[k]!);
    return named;
  }

  /** Adds the terms named before as matches on words first..last of this passage (a pronoun that stands for them). */
  carry(terms: readonly number[], first: number, last: number, lexicon: CompiledLexicon): void {
    this.carried = true;
    for (const id of terms) {
      const k = this.count++;
      this.term[k] = id;
      this.first[k] = first;
      this.last[k] = last;
      this.via[k] = lexicon.terms[id]!.text;
      this.record(k, lexicon.terms[id]!.features);
    }
  }

  /** Records the phrases that end at `node` (words i..j), then follows word j+1 by its stem, its surface, and "*" (any word but a stop word). */
  private walk(node: TrieNode, tokens: Tokens, i: number, j: number): void {
    for (const id of node.ends) {
      const k = this.count++;
      this.term[k] = id;
      this.first[k] = i;
      this.last[k] = j;
      this.via[k] = undefined;
    }
    if (node.next.size === 0 || j + 1 >= tokens.count) return;
    const info = tokens.info[j + 1]!;
    const byStem = node.next.get(info.stem);
    if (byStem) this.walk(byStem, tokens, i, j + 1);
    const bySurface = node.next.get(info.surfaceKey);
    if (bySurface && bySurface !== byStem) this.walk(bySurface, tokens, i, j + 1);
    const any = info.stop ? undefined : node.next.get(ANY_WORD);
    if (any) this.walk(any, tokens, i, j + 1);
  }
}
