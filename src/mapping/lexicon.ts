import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { CriterionId } from '../criteria/schema.ts';
import { ProblemsError, zodProblems, type Problem } from '../shared/problems.ts';
import { LexiconFile, type Rule } from './lexicon-schema.ts';
import { fold, foldPhrase, stemPhrase, stemWord, stemmerFor } from './normalise.ts';
import type { MappingLanguage } from './schema.ts';

/** A node of a word trie: phrases are paths of stems (or "=surface" words); `ends` are the ids of the phrases that end here. */
export interface TrieNode {
  next: Map<string, TrieNode>;
  ends: number[];
}

export interface CompiledTerm {
  /** The term as the lexicon writes it, for explanations. */
  text: string;
  /** The features (concepts, or parts of rules) this term belongs to. */
  features: number[];
  /** A mask: its words are part of a name and never evidence. */
  mask: boolean;
}

export type CueKind = 'directive' | 'norm' | 'report' | 'negation' | 'hedge' | 'hypothetical' | 'denial' | 'imperative';

export interface Cue {
  text: string;
  kind: CueKind;
}

export interface CompiledRule {
  id: string;
  criterion: CriterionId;
  why: string;
  /** Each part is satisfied by an occurrence of any of its features. */
  parts: number[][];
  unless: number[];
  weight: number;
  window: number | undefined;
  needs: 'passage' | 'document';
  decidedBy: number | undefined;
  pronouns: boolean;
  opens: boolean;
}

/** What the lexicon knows of one word, computed once per distinct word of a run. */
export interface WordInfo {
  stem: string;
  surface: string;
  /** "=" + surface: the trie key of words written unstemmed. */
  surfaceKey: string;
  /** Where phrases starting with this word begin in the term trie (by stem, then by surface). */
  termByStem: TrieNode | undefined;
  termBySurface: TrieNode | undefined;
  cue: TrieNode | undefined;
  /** A stop word of the language: "*" in a phrase does not match it ("240 % et certains détenus" is no count of detainees). */
  stop: boolean;
  /** Where pronoun phrases starting with this word begin in the anaphora trie. */
  anaphor: TrieNode | undefined;
}

const newNode = (): TrieNode => ({ next: new Map(), ends: [] });

/** The trie key of "*", a phrase word that any word matches. */
export const ANY_WORD = '*';

/** A phrase with "@concept" words stands for at most this many phrases. */
const MAX_EXPANSION = 5000;

/** The word cache is cleared past this size, so that a long run over varied text keeps bounded memory. */
const WORD_CACHE_LIMIT = 200_000;

/** A lexicon compiled for matching: two tries (terms by stem, cues by surface), rules indexed by the features they need. */
export class CompiledLexicon {
  readonly termTrie = newNode();
  readonly cueTrie = newNode();
  /** Pronoun phrases by folded surface; an end id g > 0 is a pronoun of group g - 1, 0 is an impersonal phrase ("il faut"). */
  readonly anaphoraTrie = newNode();
  /** The features some pronoun can stand for (see `Anaphora`); empty when the lexicon has no anaphora. */
  readonly carryFeatures = new Set<number>();
  /** carryOfGroup[g]: the features the pronouns of group g can stand for. */
  readonly carryOfGroup: Set<number>[] = [];
  readonly terms: CompiledTerm[] = [];
  readonly cues: Cue[] = [];
  readonly featureNames: string[] = [];
  readonly rules: CompiledRule[] = [];
  /** rulesByFeature[f]: the rules that have feature f in a part. */
  readonly rulesByFeature: number[][] = [];
  readonly stopwords: Set<string>;
  readonly abbreviations: Set<string>;
  private readonly words = new Map<string, WordInfo>();
  private readonly stemmer;

  constructor(readonly file: LexiconFile) {
    this.stopwords = new Set(file.stopwords.map(fold));
    this.abbreviations = new Set(file.abbreviations.map(fold));
    this.stemmer = stemmerFor(file.language);
  }

  get lang(): MappingLanguage {
    return this.file.language;
  }

  /** What the lexicon knows of a word as it is written in the text (cached). */
  word(raw: string): WordInfo {
    let info = this.words.get(raw);
    if (info === undefined) {
      if (this.words.size >= WORD_CACHE_LIMIT) this.words.clear();
      const stem = stemWord(raw, this.lang, this.stemmer);
      const surface = fold(raw);
      info = {
        stem,
        surface,
        surfaceKey: `=${surface}`,
        termByStem: this.termTrie.next.get(stem),
        termBySurface: this.termTrie.next.get(`=${surface}`),
        cue: this.cueTrie.next.get(surface),
        anaphor: this.anaphoraTrie.next.get(surface),
        stop: this.stopwords.has(surface),
      };
      this.words.set(raw, info);
    }
    return info;
  }

  /** Every term, for the plain-scan benchmark. */
  termTexts(): string[] {
    return this.terms.map((t) => t.text);
  }
}

function insert(trie: TrieNode, keys: string[], id: number): void {
  let node = trie;
  for (const key of keys) {
    let next = node.next.get(key);
    if (!next) {
      next = newNode();
      node.next.set(key, next);
    }
    node = next;
  }
  node.ends.push(id);
}

/** The trie keys of a term: stems, or "=surface" for words written with "=". */
function termKeys(term: string, lang: MappingLanguage): string[] {
  return term
    .trim()
    .split(/\s+/)
    .flatMap((word) => (word === ANY_WORD ? [ANY_WORD] : word.startsWith('=') ? foldPhrase(word.slice(1)).map((w) => `=${w}`) : stemPhrase(word, lang)));
}

/**
 * Validates a lexicon (zod, then its cross references: every "@concept" exists,
 * concepts do not include themselves) and compiles it. Every problem is reported
 * at once.
 */
export function compileLexicon(raw: unknown, origin: string): CompiledLexicon {
  const parsed = LexiconFile.safeParse(raw);
  if (!parsed.success) throw new ProblemsError(`mapping lexicon ${origin}`, zodProblems(parsed.error));
  const file = parsed.data;
  const lex = new CompiledLexicon(file);
  const problems: Problem[] = [];
  const lang = file.language;

  // Terms: one entry per distinct sequence of keys, shared by every feature that lists it.
  const termIds = new Map<string, number>();
  const keysOfTerm: string[][] = [];
  const idOfKeys = (keys: string[], text: string): number => {
    const key = keys.join(' ');
    let id = termIds.get(key);
    if (id === undefined) {
      id = lex.terms.length;
      lex.terms.push({ text, features: [], mask: false });
      keysOfTerm.push(keys);
      termIds.set(key, id);
      insert(lex.termTrie, keys, id);
    }
    return id;
  };

  /**
   * The terms a written term stands for. A word "@concept" inside a phrase stands
   * for each term of that concept ("<n20> @people" is "<n20> people", "<n20>
   * detainees", …), so that a number and a noun can make one term.
   */
  const termIdsOf = (text: string, path: string): number[] => {
    let sequences: { keys: string[]; text: string }[] = [{ keys: [], text: '' }];
    for (const word of text.trim().split(/\s+/)) {
      const options = word.startsWith('@')
        ? [...resolve(word.slice(1), path)].map((id) => ({ keys: keysOfTerm[id]!, text: lex.terms[id]!.text }))
        : [{ keys: termKeys(word, lang), text: word }];
      sequences = sequences.flatMap((s) => options.map((o) => ({ keys: [...s.keys, ...o.keys], text: s.text ? `${s.text} ${o.text}` : o.text })));
      if (sequences.length > MAX_EXPANSION) {
        problems.push({ code: 'expansion_too_large', path, message: `"${text}" stands for more than ${MAX_EXPANSION} phrases` });
        return [];
      }
    }
    const ids: number[] = [];
    for (const sequence of sequences) {
      if (sequence.keys.length === 0) problems.push({ code: 'empty_term', path, message: `"${text}" has no word` });
      else ids.push(idOfKeys(sequence.keys, sequence.text));
    }
    return ids;
  };

  // Concepts, with references to other concepts expanded (and cycles refused).
  const conceptTerms = new Map<string, Set<number>>();
  const resolving = new Set<string>();
  const resolve = (name: string, path: string): Set<number> => {
    const done = conceptTerms.get(name);
    if (done) return done;
    const entries = file.concepts[name];
    if (!entries) {
      problems.push({ code: 'unknown_concept', path, message: `no concept "${name}"` });
      return new Set();
    }
    if (resolving.has(name)) {
      problems.push({ code: 'concept_cycle', path, message: `concept "${name}" includes itself` });
      return new Set();
    }
    resolving.add(name);
    const ids = new Set<number>();
    entries.forEach((entry, i) => {
      const at = `concepts.${name}[${i}]`;
      const found = /^@\S+$/.test(entry) ? resolve(entry.slice(1), at) : termIdsOf(entry, at);
      for (const id of found) ids.add(id);
    });
    resolving.delete(name);
    conceptTerms.set(name, ids);
    return ids;
  };

  const conceptFeature = new Map<string, number>();
  const feature = (name: string, termIdsOfFeature: Iterable<number>): number => {
    const id = lex.featureNames.length;
    lex.featureNames.push(name);
    lex.rulesByFeature.push([]);
    for (const t of termIdsOfFeature) lex.terms[t]!.features.push(id);
    return id;
  };
  const featureOfConcept = (name: string, path: string): number => {
    let id = conceptFeature.get(name);
    if (id === undefined) {
      id = feature(`@${name}`, resolve(name, path));
      conceptFeature.set(name, id);
    }
    return id;
  };

  /** A part's features: one per concept named, and one for its inline terms. */
  const partFeatures = (entries: string[], name: string, path: string): number[] => {
    const features: number[] = [];
    const inline = new Set<number>();
    entries.forEach((entry, i) => {
      const at = `${path}[${i}]`;
      if (/^@\S+$/.test(entry)) features.push(featureOfConcept(entry.slice(1), at));
      else for (const id of termIdsOf(entry, at)) inline.add(id);
    });
    if (inline.size) features.push(feature(name, inline));
    return features;
  };

  const ruleIds = new Set<string>();
  file.rules.forEach((rule: Rule, r) => {
    const path = `rules[${r}]`;
    if (ruleIds.has(rule.id)) problems.push({ code: 'duplicate_rule', path: `${path}.id`, message: `rule "${rule.id}" is defined twice` });
    ruleIds.add(rule.id);
    const parts = rule.all.map((part, p) => partFeatures(Array.isArray(part) ? part : [part], `${rule.id}.all[${p}]`, `${path}.all[${p}]`));
    const unless = rule.unless.length ? partFeatures(rule.unless, `${rule.id}.unless`, `${path}.unless`) : [];
    const index = lex.rules.length;
    if (rule.decidedBy !== undefined && rule.decidedBy >= rule.all.length) problems.push({ code: 'bad_part', path: `${path}.decidedBy`, message: `rule "${rule.id}" has ${rule.all.length} parts, no part ${rule.decidedBy}` });
    lex.rules.push({ id: rule.id, criterion: rule.criterion, why: rule.why, parts, unless, weight: rule.weight, window: rule.window, needs: rule.needs, decidedBy: rule.decidedBy, pronouns: rule.pronouns, opens: rule.opens });
    for (const f of new Set([...parts.flat(), ...unless])) lex.rulesByFeature[f]!.push(index);
  });

  file.masks.forEach((text, i) => {
    for (const id of termIdsOf(text, `masks[${i}]`)) lex.terms[id]!.mask = true;
  });

  for (const [kind, cues] of Object.entries(file.modality) as [CueKind, string[]][]) {
    cues.forEach((text) => {
      const keys = foldPhrase(text);
      const id = lex.cues.length;
      lex.cues.push({ text: text.trim(), kind });
      insert(lex.cueTrie, keys, id);
    });
  }

  if (file.anaphora) {
    file.anaphora.groups.forEach(({ words, carry }, g) => {
      words.forEach((text) => insert(lex.anaphoraTrie, foldPhrase(text), g + 1));
      const features = new Set(carry.map((name, i) => featureOfConcept(name, `anaphora.groups[${g}].carry[${i}]`)));
      lex.carryOfGroup.push(features);
      for (const f of features) lex.carryFeatures.add(f);
    });
    file.anaphora.impersonal.forEach((text) => insert(lex.anaphoraTrie, foldPhrase(text), 0));
  }

  if (problems.length) throw new ProblemsError(`mapping lexicon ${origin}`, problems);
  return lex;
}

export function lexiconPath(lang: MappingLanguage): string {
  return fileURLToPath(new URL(`./lexicon.${lang}.yaml`, import.meta.url));
}

const compiled = new Map<MappingLanguage, CompiledLexicon>();

/** The lexicon of a language, read and compiled once per process. */
export function loadLexicon(lang: MappingLanguage): CompiledLexicon {
  let lex = compiled.get(lang);
  if (!lex) {
    const path = lexiconPath(lang);
    let raw: unknown;
    try {
      raw = parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ProblemsError(`mapping lexicon lexicon.${lang}.yaml`, [{ code: 'invalid_yaml', path: '', message: (error as Error).message.split('\n')[0]! }]);
    }
    lex = compileLexicon(raw, `lexicon.${lang}.yaml`);
    if (lex.lang !== lang) throw new ProblemsError(`mapping lexicon lexicon.${lang}.yaml`, [{ code: 'wrong_language', path: 'language', message: `says "${lex.lang}", expected "${lang}"` }]);
    compiled.set(lang, lex);
  }
  return lex;
}
