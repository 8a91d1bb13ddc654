import type { CriterionId } from '../criteria/schema.ts';
import { loadCatalogue } from '../criteria/catalogue.ts';
import { CRITERION_IDS } from '../criteria/schema.ts';
import { CodePointIndex } from '../shared/code-points.ts';
import { detectLanguage } from './language.ts';
import { loadLexicon, type CompiledLexicon, type Cue } from './lexicon.ts';
import { TermMatches } from './match.ts';
import { Modality } from './modality.ts';
import { RuleEvaluator, type Firing } from './rules.ts';
import type { MapOptions, MappingLanguage, MappingResult, Suggestion } from './schema.ts';
import { segmentText, type Passage } from './segment.ts';
import { Tokens } from './tokens.ts';

const CATALOGUE_ORDER = new Map<string, number>(CRITERION_IDS.map((id, i) => [id, i]));
/**
 * The criteria that say an abuse happened (the catalogue's `kind: violation`; not the (d) threshold, which only
 * qualifies one): a document reports abuses once one of them is suggested.
 */
const VIOLATIONS = new Set<string>(loadCatalogue().criteria.filter((c) => c.kind === 'violation').map((c) => c.id));

/** The rules that fired in one passage. */
interface Evaluated {
  passage: Passage;
  firings: Firing[];
}

/** The machinery for one language, built once and reused by every call. */
class Mapper {
  private readonly tokens = new Tokens();
  private readonly matches: TermMatches;
  private readonly modality = new Modality();
  private readonly evaluator: RuleEvaluator;

  constructor(readonly lexicon: CompiledLexicon) {
    this.matches = new TermMatches(lexicon.featureNames.length);
    this.evaluator = new RuleEvaluator(lexicon);
  }

  /** The passages in which some rule fired, one after the other. */
  *map(text: string): Generator<Evaluated> {
    const { lexicon, tokens, matches, modality, evaluator } = this;
    // The ask of the last lead-in ("We urge you to:"), which the list items after it inherit.
    let listAsk: Cue | undefined;
    // The people the last passages named, for a pronoun that stands for them ("He was arrested"), and how many passages ago.
    let named: { terms: number[]; age: number } | undefined;
    const anaphora = lexicon.file.anaphora;
    for (const passage of segmentText(text, lexicon.lang, lexicon.abbreviations)) {
      if (passage.kind !== 'bullet') listAsk = undefined;
      tokens.fill(text, passage.start, passage.end, lexicon);
      // Only a list item's first sentence completes the lead-in; what follows in the item stands on its own.
      const inherited = passage.kind === 'bullet' && passage.first ? listAsk : undefined;
      matches.find(tokens, lexicon);
      if (anaphora) {
        const own = matches.named(lexicon);
        if (own.length) named = { terms: own, age: 0 };
        else if (passage.kind === 'heading') named = undefined;
        else if (named && ++named.age <= anaphora.reach) {
          const pronoun = anaphorIn(tokens, lexicon, anaphora.within);
          const carry = pronoun && lexicon.carryOfGroup[pronoun.group]!;
          const terms = carry ? named.terms.filter((t) => lexicon.terms[t]!.features.some((f) => carry.has(f))) : [];
          if (pronoun && terms.length) {
            matches.carry(terms, pronoun.first, pronoun.last, lexicon);
            named.age = 0;
          }
        }
      }
      const candidates = matches.count ? evaluator.candidatesOf(matches) : [];
      if (candidates.length || passage.leadIn) modality.read(tokens, lexicon, inherited);
      if (passage.leadIn) listAsk = modality.asks;
      if (!candidates.length) continue;
      const firings = evaluator.evaluate(text, tokens, matches, modality, candidates);
      if (firings.length) yield { passage, firings };
    }
  }
}

/** The first pronoun among the passage's first `within` words that refers back, and its group (impersonal phrases such as « il faut » are skipped). */
function anaphorIn(tokens: Tokens, lexicon: CompiledLexicon, within: number): { first: number; last: number; group: number } | undefined {
  const n = Math.min(tokens.count, within);
  for (let i = 0; i < n; i++) {
    let node = tokens.info[i]!.anaphor;
    let best: { last: number; end: number } | undefined;
    for (let j = i; node; ) {
      if (node.ends.length) best = { last: j, end: node.ends[0]! };
      if (++j >= tokens.count) break;
      node = node.next.get(tokens.info[j]!.surface);
    }
    if (best && best.end > 0) return { first: i, last: best.last, group: best.end - 1 };
    if (best) i = best.last;
  }
  return undefined;
}

const mappers = new Map<MappingLanguage, Mapper>();
function mapperFor(lang: MappingLanguage): Mapper {
  let mapper = mappers.get(lang);
  if (!mapper) {
    mapper = new Mapper(loadLexicon(lang));
    mappers.set(lang, mapper);
  }
  return mapper;
}

interface Scored {
  criterion: CriterionId;
  score: number;
  why: string;
}

/**
 * Noisy-or of the rules of each criterion: two weak rules together count more
 * than either, never more than 1. But never more than the least lowered rule
 * allows: what is only possible does not become a report by being said twice.
 */
function scoreCriteria(firings: Firing[], documentReportsAbuse: boolean, lexicon: CompiledLexicon): Scored[] {
  const byCriterion = new Map<CriterionId, Firing[]>();
  for (const firing of firings) {
    if (firing.rule.needs === 'document' && !documentReportsAbuse) continue;
    const list = byCriterion.get(firing.rule.criterion) ?? [];
    list.push(firing);
    byCriterion.set(firing.rule.criterion, list);
  }
  const scored: Scored[] = [];
  for (const [criterion, list] of byCriterion) {
    const score = Math.min(1 - list.reduce((rest, f) => rest * (1 - f.score), 1), Math.max(...list.map((f) => f.factor)));
    if (score < lexicon.file.threshold) continue;
    const reasons = list
      .sort((a, b) => b.score - a.score)
      .map((f) => {
        const context = f.rule.needs === 'document' ? '; the document reports abuses elsewhere' : '';
        const lowered = f.lowered.length ? `; ${f.lowered.join('; ')}` : '';
        return `${f.rule.why} [${lexicon.lang}:${f.rule.id} ${f.score.toFixed(2)}]: ${f.terms.map((t) => `"${t}"`).join(' + ')}${lowered}${context}`;
      });
    scored.push({ criterion, score: round(score), why: `${criterion} ${score.toFixed(2)}: ${reasons.join(' | ')}` });
  }
  return scored.sort((a, b) => CATALOGUE_ORDER.get(a.criterion)! - CATALOGUE_ORDER.get(b.criterion)!);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Suggests, passage by passage, the criteria an English or French text may
 * support, each with its score and the rule and terms that fired. Pure: the same
 * text gives the same result; nothing is read but the lexicons. Passages without
 * a suggestion are left out. Offsets are code points of `text`.
 */
export function mapText(text: string, options: MapOptions = {}): MappingResult {
  const lang = options.lang ?? detectLanguage(text);
  const mapper = mapperFor(lang);
  const { lexicon } = mapper;
  // Offsets are UTF-16 until here; most texts have no astral characters, and then both counts agree.
  const index = /[\uD800-\uDFFF]/.test(text) ? new CodePointIndex(text) : undefined;
  const suggestion = ({ passage }: Evaluated, scored: Scored[]): Suggestion => ({
    start: index ? index.toCodePoint(passage.start) : passage.start,
    end: index ? index.toCodePoint(passage.end) : passage.end,
    text: text.slice(passage.start, passage.end),
    kind: passage.kind,
    criteria: scored.map((s) => s.criterion),
    score: Math.max(...scored.map((s) => s.score)),
    why: scored.map((s) => s.why),
  });

  // Weak rules (ownership, a court's ruling) speak only in a document that reports abuses (a violation
  // of Art. 1) in some passage. Until one does, passages where a weak rule fired wait in their place; the rest is
  // settled at once, so that a long text keeps little in memory.
  let documentReportsAbuse = false;
  const slots: (Suggestion | Evaluated | undefined)[] = [];
  const settle = (evaluated: Evaluated): Suggestion | undefined => {
    const scored = scoreCriteria(evaluated.firings, documentReportsAbuse, lexicon);
    return scored.length ? suggestion(evaluated, scored) : undefined;
  };
  for (const evaluated of mapper.map(text)) {
    if (!documentReportsAbuse && scoreCriteria(evaluated.firings, false, lexicon).some((s) => VIOLATIONS.has(s.criterion))) {
      documentReportsAbuse = true;
      slots.forEach((slot, i) => {
        if (slot && !('start' in slot)) slots[i] = settle(slot);
      });
    }
    const waits = !documentReportsAbuse && evaluated.firings.some((f) => f.rule.needs === 'document');
    const slot = waits ? evaluated : settle(evaluated);
    if (slot) slots.push(slot);
  }
  const passages: Suggestion[] = [];
  for (const slot of slots) {
    const settled = slot && !('start' in slot) ? settle(slot) : slot;
    if (settled) passages.push(settled);
  }
  return { source: { language: lang }, passages };
}
