import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadLexicon } from '../src/mapping/lexicon.ts';
import { mapText } from '../src/mapping/index.ts';
import type { MappingLanguage } from '../src/mapping/schema.ts';
import { realTexts } from './support/real-text.ts';
import { round } from './support/stats.ts';

/** What one benchmark reports: its figures for latest.json and a table for people. */
export interface BenchResult {
  key: string;
  figures: Record<string, number>;
  table: string[];
}

const LANGUAGES: MappingLanguage[] = ['en', 'fr'];

/** Repeats the samples, in turn, until the text has `bytes` UTF-8 bytes. */
function corpus(parts: string[], bytes: number): string {
  const chunks: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = `${parts[i % parts.length]!}\n\n`;
    chunks.push(part);
    size += Buffer.byteLength(part);
  }
  return chunks.join('');
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The plain single-pass scan the mapper is compared with: the text lower-cased,
 * then one RegExp of every lexicon term as written (numbers as \d+; a "*" word is
 * left out, so that "<n20> * homes" is scanned as "<n20> homes"), with Unicode
 * word boundaries (\b is ASCII-only and would cut French words), counting
 * matches. Lower-casing first is much faster than the `i` flag, which makes V8
 * case-fold each of the thousands of alternatives.
 */
function plainScan(): { regexp: RegExp; terms: number } {
  const terms = new Set<string>();
  for (const lang of LANGUAGES) {
    for (const text of loadLexicon(lang).termTexts()) {
      terms.add(
        text
          .toLowerCase()
          .split(/\s+/)
          .filter((w) => w !== '*')
          .map((w) => (w === '<n20>' || w === '<n100>' ? '\\d+' : escape(w.replace(/^=/, ''))))
          .join(' '),
      );
    }
  }
  const alternatives = [...terms].sort((a, b) => b.length - a.length);
  return { regexp: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'gu'), terms: terms.size };
}

// A full collection before each timed run, so that no run pays for the garbage of the one before.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function time(run: () => void, repeat: number): number {
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    collectGarbage();
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best / 1000;
}

/** Maps one text per language (as the CLI would, language given) and returns the number of suggestions. */
function mapAll(texts: Record<MappingLanguage, string>): number {
  let n = 0;
  for (const lang of LANGUAGES) n += mapText(texts[lang], { lang }).passages.length;
  return n;
}

/** Throughput of the mapper over 10 MB of English and French text, against a plain scan, and its scaling from 1 MB to 10 MB. */
export function benchMapper(options: { megabytes?: number; repeat?: number } = {}): BenchResult {
  const megabytes = options.megabytes ?? 10;
  const repeat = options.repeat ?? 2;
  const parts = Object.fromEntries(LANGUAGES.map((lang) => [lang, realTexts(lang)])) as Record<MappingLanguage, string[]>;
  const build = (mb: number) => Object.fromEntries(LANGUAGES.map((lang) => [lang, corpus(parts[lang], (mb * 1e6) / LANGUAGES.length)])) as Record<MappingLanguage, string>;
  const small = build(megabytes / 10);
  const large = build(megabytes);
  const bytes = LANGUAGES.reduce((sum, lang) => sum + Buffer.byteLength(large[lang]), 0);

  mapAll(build(0.5)); // load and compile the lexicons, and warm the JIT, before timing
  // Best of several runs: the machine is shared.
  const smallSeconds = time(() => mapAll(small), repeat * 4);
  let suggestions = 0;
  const mapperSeconds = time(() => {
    suggestions = mapAll(large);
  }, repeat * 2);
  const scan = plainScan();
  let scanMatches = 0;
  const scanSeconds = time(() => {
    scanMatches = 0;
    for (const lang of LANGUAGES) scanMatches += large[lang].toLowerCase().match(scan.regexp)?.length ?? 0;
  }, repeat);

  const mb = bytes / 1e6;
  const figures = {
    mbPerS: round(mb / mapperSeconds),
    ratioVsScan: round(mapperSeconds / scanSeconds),
    scaling10x: round(mapperSeconds / smallSeconds),
    megabytes: round(mb),
    seconds: round(mapperSeconds),
    scanSeconds: round(scanSeconds),
    scanMbPerS: round(mb / scanSeconds),
    scanTerms: scan.terms,
    seconds1MB: round(smallSeconds),
  };
  const table = [
    `mapper benchmark: ${mb.toFixed(1)} MB of English and French text (seeds and fixtures repeated)`,
    `  ${'what'.padEnd(34)} ${'seconds'.padStart(8)} ${'MB/s'.padStart(8)}`,
    `  ${`plain scan (one RegExp, ${scan.terms} terms)`.padEnd(34)} ${scanSeconds.toFixed(2).padStart(8)} ${(mb / scanSeconds).toFixed(2).padStart(8)}   ${scanMatches} matches`,
    `  ${'mapper, 10 MB'.padEnd(34)} ${mapperSeconds.toFixed(2).padStart(8)} ${(mb / mapperSeconds).toFixed(2).padStart(8)}   ${suggestions} passages suggested`,
    `  ${'mapper, 1 MB'.padEnd(34)} ${smallSeconds.toFixed(2).padStart(8)} ${(mb / 10 / smallSeconds).toFixed(2).padStart(8)}`,
    `  mapper / scan: ${figures.ratioVsScan}× (at most 3×)   10 MB / 1 MB: ${figures.scaling10x}× (at most 11×)`,
  ];
  return { key: 'mapper', figures, table };
}

