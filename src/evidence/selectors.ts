import type { Problem } from '../shared/problems.ts';
import type { SourceDocument } from '../sources/source-document.ts';
import type { Excerpt, TextPositionSelector, TextQuoteSelector } from './case-file.ts';

/** How much context a new selector records on each side of the quote, in code points. */
export const CONTEXT_LENGTH = 32;

export interface Anchor {
  quote: TextQuoteSelector;
  position: TextPositionSelector;
}

const COMBINING = /^\p{M}/u;

/**
 * True when `exact` at UTF-16 offset `at` of the text splits no character as a
 * reader sees it: in a source written with combining accents (NFD), "condamne"
 * occurs inside "condamné", and is not what the source says.
 */
function wholeCharacters(text: string, at: number, exact: string): boolean {
  return !COMBINING.test(exact) && !COMBINING.test(text.slice(at + exact.length, at + exact.length + 2));
}

/** Every code point offset at which `exact` starts in the source, as whole characters. */
function occurrences(source: SourceDocument, exact: string): number[] {
  const found: number[] = [];
  for (let i = source.text.indexOf(exact); i !== -1; i = source.text.indexOf(exact, i + 1)) {
    if (wholeCharacters(source.text, i, exact)) found.push(source.index.toCodePoint(i));
  }
  return found;
}

function anchorAt(source: SourceDocument, start: number, exact: string): Anchor {
  const end = start + [...exact].length;
  return {
    quote: {
      exact,
      prefix: source.index.slice(Math.max(0, start - CONTEXT_LENGTH), start),
      suffix: source.index.slice(end, end + CONTEXT_LENGTH),
    },
    position: { start, end },
  };
}

export type AnchorResult = { ok: true; anchor: Anchor } | { ok: false; problem: Problem };

/** The text just before and just after a quote (TextQuoteSelector's prefix and suffix), when its author gives them. */
export interface QuoteContext {
  prefix?: string | undefined;
  suffix?: string | undefined;
}

/** True when the source has `context` right before and after `exact` at code point `start`. */
function inContext(source: SourceDocument, start: number, exact: string, { prefix, suffix }: QuoteContext): boolean {
  const end = start + [...exact].length;
  return (
    (prefix === undefined || source.index.slice(Math.max(0, start - [...prefix].length), start) === prefix) &&
    (suffix === undefined || source.index.slice(end, end + [...suffix].length) === suffix)
  );
}

/**
 * Builds both selectors for a quote that occurs exactly once in the source (or
 * once with the prefix and suffix given, as a TextQuoteSelector picks one of
 * several occurrences), outside its boilerplate. Context given is kept as
 * given; context not given is taken from the source.
 */
export function anchorQuote(source: SourceDocument, exact: string, path = 'quote.exact', context: QuoteContext = {}): AnchorResult {
  const everywhere = occurrences(source, exact);
  if (everywhere.length === 0) {
    return { ok: false, problem: { code: 'quote_not_found', path, message: `the quote does not occur in source ${source.id}` } };
  }
  const noContext = context.prefix === undefined && context.suffix === undefined;
  const found = noContext ? everywhere : everywhere.filter((start) => inContext(source, start, exact, context));
  const given = [context.prefix === undefined ? '' : 'prefix', context.suffix === undefined ? '' : 'suffix'].filter(Boolean).join(' and ');
  if (found.length === 0) {
    return {
      ok: false,
      problem: {
        code: 'context_mismatch',
        path: path.replace(/\.exact$/, ''),
        message: `the quote occurs ${everywhere.length === 1 ? 'once' : `${everywhere.length} times`} in source ${source.id}, but never with the ${given} given: give the text just before and after it in the source, or none`,
      },
    };
  }
  if (found.length > 1) {
    return {
      ok: false,
      problem: {
        code: 'quote_ambiguous',
        path,
        message: `the quote occurs ${found.length} times in source ${source.id}${noContext ? '' : ` with the ${given} given`}; lengthen it${noContext ? '' : ` or its ${given}`} until it occurs once`,
      },
    };
  }
  const at = anchorAt(source, found[0]!, exact);
  const anchor = { ...at, quote: { exact, prefix: context.prefix ?? at.quote.prefix, suffix: context.suffix ?? at.quote.suffix } };
  const boilerplate = source.boilerplateIn(anchor.position);
  if (boilerplate) {
    return {
      ok: false,
      problem: { code: 'boilerplate', path, message: `the quote touches boilerplate of source ${source.id} ("${source.index.slice(boilerplate.start, boilerplate.end)}"), which can never be evidence` },
    };
  }
  return { ok: true, anchor };
}

export interface ExcerptCheck {
  problems: Problem[];
  /** Set when the positions drifted but the quote, with its context, is still found exactly once. */
  corrected?: TextPositionSelector;
}

const shorten = (text: string, max = 120) => ([...text].length > max ? `${[...text].slice(0, max).join('')}…` : text);

/** Re-checks an excerpt's selectors against its source's exact text. */
export function verifyExcerpt(excerpt: Excerpt, source: SourceDocument, path: string): ExcerptCheck {
  const { exact, prefix, suffix } = excerpt.quote;
  const problems: Problem[] = [];
  if (excerpt.sha256 !== source.entry.sha256) {
    problems.push({
      code: 'source_hash_mismatch',
      path: `${path}.sha256`,
      message: `excerpt ${excerpt.id} was taken from a source with SHA-256 ${excerpt.sha256}, but source ${source.id} has SHA-256 ${source.entry.sha256}`,
    });
  }
  const { start, end } = excerpt.position;
  const found = source.index.at(start, end);
  if (found === exact && !wholeCharacters(source.text, source.index.toUtf16(start), exact)) {
    problems.push({
      code: 'quote_splits_character',
      path: `${path}.quote.exact`,
      message: `excerpt ${excerpt.id}: the quote at ${start}-${end} of source ${source.id} cuts a letter from its accent (a combining mark): quote whole characters`,
    });
    return { problems };
  }
  if (found === exact) {
    const before = source.index.slice(Math.max(0, start - [...prefix].length), start);
    const after = source.index.slice(end, end + [...suffix].length);
    if (before !== prefix || after !== suffix) {
      problems.push({
        code: 'context_mismatch',
        path: `${path}.quote`,
        message: `excerpt ${excerpt.id}: the quote is at ${start}-${end} but its context differs: expected prefix "${prefix}" and suffix "${suffix}", found "${before}" and "${after}"`,
      });
    }
  } else {
    const withContext = occurrences(source, prefix + exact + suffix).map((at) => at + [...prefix].length);
    const candidates = withContext.length ? withContext : occurrences(source, exact);
    if (candidates.length === 1) {
      const corrected = anchorAt(source, candidates[0]!, exact).position;
      return { problems: [...problems, ...boilerplateProblems(excerpt, source, corrected, path)], corrected };
    }
    problems.push({
      code: candidates.length ? 'quote_ambiguous' : 'quote_mismatch',
      path: `${path}.quote.exact`,
      message: candidates.length
        ? `excerpt ${excerpt.id}: the quote is not at ${start}-${end} and occurs ${candidates.length} times in source ${source.id}`
        : `excerpt ${excerpt.id}: expected "${shorten(exact)}" at ${start}-${end} of source ${source.id}, found ${found === undefined ? `nothing (the source ends at ${source.index.length})` : `"${shorten(found)}"`}; the quote occurs nowhere in the source`,
    });
    return { problems };
  }
  return { problems: [...problems, ...boilerplateProblems(excerpt, source, excerpt.position, path)] };
}

function boilerplateProblems(excerpt: Excerpt, source: SourceDocument, position: TextPositionSelector, path: string): Problem[] {
  const boilerplate = source.boilerplateIn(position);
  if (!boilerplate) return [];
  return [{
    code: 'boilerplate',
    path: `${path}.quote.exact`,
    message: `excerpt ${excerpt.id} touches boilerplate of source ${source.id} ("${source.index.slice(boilerplate.start, boilerplate.end)}"), which can never be evidence`,
  }];
}
