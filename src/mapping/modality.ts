import type { CompiledLexicon, Cue } from './lexicon.ts';
import type { Tokens } from './tokens.ts';

/**
 * How each word of a passage is said. A report says that something happened; a
 * call for action ("must adopt a moratorium", « les États doivent ») or a
 * statement of the law asks for it or forbids it, which is no evidence that it
 * happened. Negation cancels; hedges and denials lower.
 *
 * - directive / norm: from the cue (a norm: from the start of its clause) to the end of the passage, until a report cue
 *   ("who have been detained", « qui ont été arrêtés ») says that what follows is
 *   reported again. An imperative first word ("Ensure …", « Exprimer … ») or a
 *   lead-in that asks ("We urge you to:") does the same from the first word.
 * - negation: the `windows.negation` words after the cue, within its clause.
 * - hedge, hypothetical: `windows.hedgeBefore` words before and `windows.hedgeAfter` after, within the clause.
 * - denial: the whole passage.
 */
export class Modality {
  /** asked[i]: the cue that makes word i asked for or a norm, or undefined. */
  readonly asked: (Cue | undefined)[] = [];
  readonly negated: (Cue | undefined)[] = [];
  readonly hedged: (Cue | undefined)[] = [];
  denial: Cue | undefined;
  /** The first cue that asks, if any word is asked for. */
  asks: Cue | undefined;

  /** Reads the cues of the passage in `tokens`; `inherited` is the ask of a lead-in the passage is a list item of. */
  read(tokens: Tokens, lexicon: CompiledLexicon, inherited: Cue | undefined): this {
    const n = tokens.count;
    this.asked.length = n;
    this.negated.length = n;
    this.hedged.length = n;
    this.asked.fill(undefined);
    this.negated.fill(undefined);
    this.hedged.fill(undefined);
    this.denial = undefined;
    this.asks = inherited;
    const { windows } = lexicon.file;

    let asking: Cue | undefined = inherited;
    for (let i = 0; i < n; ) {
      const found = longestCue(tokens, lexicon, i);
      if (found) {
        const { cue, end } = found;
        switch (cue.kind) {
          case 'imperative':
            if (i === 0) asking = cue;
            break;
          case 'directive':
            asking ??= cue;
            break;
          case 'norm':
            // A norm covers its whole clause: in "torture is prohibited" the subject is no report either.
            if (!asking) {
              asking = cue;
              for (let k = i - 1; k >= 0 && !tokens.clauseBreak[k + 1]; k--) this.asked[k] ??= cue;
            }
            break;
          case 'report':
            asking = undefined;
            break;
          case 'negation':
            for (let k = end + 1; k <= end + windows.negation && k < n && !tokens.clauseBreak[k]; k++) this.negated[k] ??= cue;
            break;
          case 'hedge':
          case 'hypothetical':
            for (let k = i - 1; k >= i - windows.hedgeBefore && k >= 0 && !tokens.clauseBreak[k + 1]; k--) this.hedged[k] ??= cue;
            for (let k = i; k <= end + windows.hedgeAfter && k < n && (k <= end || !tokens.clauseBreak[k]); k++) this.hedged[k] ??= cue;
            break;
          case 'denial':
            this.denial ??= cue;
            break;
        }
        for (let k = i; k <= end; k++) this.asked[k] = asking;
        this.asks ??= asking;
        i = end + 1;
      } else {
        this.asked[i] = asking;
        i++;
      }
    }
    return this;
  }
}

/** The longest cue that starts at word i, with the index of its last word. */
function longestCue(tokens: Tokens, lexicon: CompiledLexicon, i: number): { cue: Cue; end: number } | undefined {
  let node = tokens.info[i]!.cue;
  let best: { cue: Cue; end: number } | undefined;
  let j = i;
  while (node) {
    if (node.ends.length) best = { cue: lexicon.cues[node.ends[0]!]!, end: j };
    j++;
    if (j >= tokens.count) break;
    node = node.next.get(tokens.info[j]!.surface);
  }
  return best;
}
