import type { CompiledLexicon, CompiledRule, Cue } from './lexicon.ts';
import type { TermMatches } from './match.ts';
import type { Modality } from './modality.ts';
import type { Tokens } from './tokens.ts';

/** A rule that `opens` a passage has its first part among these first words ("1. Strongly condemns", "A. Whereas"). */
const OPENING_WORDS = 3;

/** A rule that fired in a passage: its score after modality, the words that made it, and what lowered it. */
export interface Firing {
  rule: CompiledRule;
  score: number;
  /** What modality left of the rule's weight (1: reported as it is; lower: hedged, only possible, denied). */
  factor: number;
  terms: string[];
  lowered: string[];
}

/**
 * Evaluates the rules whose features were found in one passage. A rule fires
 * when each of its parts has a match (within its window), no `unless` feature
 * is present, and modality leaves something of it:
 * - negation on any part cancels it, a hedge on any part lowers it;
 * - it is cancelled when its last part in the passage (or its `decidedBy` part) is asked for or a norm;
 * - a denial in the passage lowers it.
 */
export class RuleEvaluator {
  private readonly stamp: Uint32Array;
  private epoch = 0;
  private readonly candidates: number[] = [];

  constructor(private readonly lexicon: CompiledLexicon) {
    this.stamp = new Uint32Array(lexicon.rules.length);
  }

  /** The rules that could fire given the features found (none: the passage needs no further work). */
  candidatesOf(matches: TermMatches): number[] {
    this.epoch++;
    this.candidates.length = 0;
    for (const f of matches.touched) {
      for (const r of this.lexicon.rulesByFeature[f]!) {
        if (this.stamp[r] !== this.epoch) {
          this.stamp[r] = this.epoch;
          this.candidates.push(r);
        }
      }
    }
    return this.candidates;
  }

  evaluate(text: string, tokens: Tokens, matches: TermMatches, modality: Modality, candidates: readonly number[]): Firing[] {
    const { lexicon } = this;
    const { factors } = lexicon.file;
    const firings: Firing[] = [];
    const factorOf = (k: number): number => {
      const w = matches.first[k]!;
      if (modality.negated[w]) return 0;
      const hedge = modality.hedged[w];
      return hedge ? factors[hedge.kind === 'hypothetical' ? 'hypothetical' : 'hedge'] : 1;
    };
    const askedOf = (k: number): Cue | undefined => modality.asked[matches.first[k]!];
    const value = (k: number): number => (askedOf(k) ? 0.5 : 1) * factorOf(k);

    const occurrences = matches.occurrences;
    candidates: for (const r of candidates) {
      const rule = lexicon.rules[r]!;
      // Cheap checks first: most candidates lack a part, and then nothing is allocated.
      for (const f of rule.unless) if (occurrences[f]!.length > 0) continue candidates;
      for (const features of rule.parts) {
        let found = false;
        for (const f of features) {
          if (occurrences[f]!.length > 0) {
            found = true;
            break;
          }
        }
        if (!found) continue candidates;
      }
      let parts = rule.parts.map((features) => (features.length === 1 ? occurrences[features[0]!]! : features.flatMap((f) => occurrences[f]!)));
      if (!rule.pronouns && matches.carried) {
        parts = parts.map((occ) => occ.filter((k) => matches.via[k] === undefined));
        if (parts.some((occ) => occ.length === 0)) continue;
      }

      if (rule.opens) parts[0] = parts[0]!.filter((k) => matches.first[k]! < OPENING_WORDS);
      const chosen = choose(parts, rule.window, matches, value);
      if (!chosen) continue;

      let factor = 1;
      let rightmost = chosen[0]!;
      const lowered: string[] = [];
      for (const k of chosen) {
        const f = factorOf(k);
        if (f < factor) factor = f;
        if (matches.first[k]! > matches.first[rightmost]!) rightmost = k;
      }
      // What the passage says last decides: "must release those who were detained" reports the detention,
      // "journalists must not be detained" asks. A rule may name the part that decides instead.
      const decisive = rule.decidedBy !== undefined ? chosen[rule.decidedBy]! : rightmost;
      if (factor === 0 || askedOf(decisive)) continue;
      for (const k of chosen) {
        const hedge = modality.hedged[matches.first[k]!];
        if (hedge && !lowered.some((l) => l.includes(`"${hedge.text}"`))) {
          const kind = hedge.kind === 'hypothetical' ? 'hypothetical' : 'hedge';
          lowered.push(`${kind === 'hypothetical' ? 'only possible' : 'hedged'}: "${hedge.text}" ×${factors[kind]}`);
        }
      }
      if (modality.denial) {
        factor *= factors.denial;
        lowered.push(`denial "${modality.denial.text}" ×${factors.denial}`);
      }
      const terms = chosen.map((k) => {
        const words = text.slice(tokens.start[matches.first[k]!]!, tokens.end[matches.last[k]!]!);
        const via = matches.via[k];
        return via === undefined ? words : `${words} = ${via} (named before)`;
      });
      firings.push({ rule, score: rule.weight * factor, factor, terms: [...new Set(terms)], lowered });
    }
    return firings;
  }
}

/**
 * One match per part: for each match of the first part taken as anchor, the best
 * match of every other part within the window; the combination with the best
 * total value wins.
 */
function choose(parts: number[][], window: number | undefined, matches: TermMatches, value: (k: number) => number): number[] | undefined {
  // Each part needs words of its own: "investigation" cannot be both the authority and what it did.
  const overlaps = (k: number, taken: number[]): boolean =>
    taken.some((t) => matches.first[k]! <= matches.last[t]! && matches.first[t]! <= matches.last[k]!);
  const best = (occ: number[], taken: number[], near?: number): number | undefined => {
    let pick: number | undefined;
    for (const k of occ) {
      if (near !== undefined && window !== undefined && Math.abs(matches.first[k]! - near) > window) continue;
      if (overlaps(k, taken)) continue;
      if (pick === undefined || value(k) > value(pick)) pick = k;
    }
    return pick;
  };
  let result: number[] | undefined;
  let resultValue = -1;
  for (const anchor of window === undefined ? [best(parts[0]!, [])] : parts[0]!) {
    if (anchor === undefined) return undefined;
    const at = window === undefined ? undefined : matches.first[anchor]!;
    const chosen = [anchor];
    let ok = true;
    for (let p = 1; p < parts.length && ok; p++) {
      const k = best(parts[p]!, chosen, at);
      if (k === undefined) ok = false;
      else chosen.push(k);
    }
    if (!ok) continue;
    const total = chosen.reduce((sum, k) => sum + value(k), 0);
    if (total > resultValue) {
      result = chosen;
      resultValue = total;
    }
  }
  return result;
}
