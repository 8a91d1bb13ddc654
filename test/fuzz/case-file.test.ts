import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { loadCatalogue } from '../../src/criteria/catalogue.ts';
import { caseFilePath, parseCase } from '../../src/evidence/load-case.ts';
import { EVIDENCE_DIR, SEEDS_DIR } from '../../src/paths.ts';
import { ProblemsError } from '../../src/shared/problems.ts';
import { loadSources } from '../../src/sources/load-sources.ts';
import { holds } from './support/answers.ts';
import { hostileString } from './support/hostile.ts';
import { at, mutate, mutation, pathsOf } from './support/mutate.ts';

/**
 * The case-file loader, given generated YAML: mutations of the NSO Group case,
 * YAML's own traps (alias bombs, tags, merge keys, deep nesting), and junk. It
 * returns a checked case or throws its own ProblemsError, every problem with a
 * code, a path and a message; nothing else ever escapes it.
 */

const catalogue = loadCatalogue();
const sources = await loadSources(SEEDS_DIR);
const nsoText = await readFile(caseFilePath(EVIDENCE_DIR, 'nso-group'), 'utf8');
const nso = parse(nsoText) as unknown;

/** Why the loader's outcome breaks its contract, or undefined. */
function breach(run: () => unknown): { reason?: string; problems?: ProblemsError['problems'] } {
  try {
    run();
    return {};
  } catch (error) {
    if (!(error instanceof ProblemsError)) return { reason: `threw ${(error as Error)?.name}: ${String((error as Error)?.message).slice(0, 300)} ${String((error as Error)?.stack).split("\n").slice(1, 12).join(" / ")}` };
    if (error.problems.length === 0) return { reason: 'a ProblemsError with no problem' };
    const bad = error.problems.find((p) => typeof p.code !== 'string' || !p.code || typeof p.path !== 'string' || typeof p.message !== 'string' || !p.message);
    if (bad) return { reason: `a problem without code, path or message: ${JSON.stringify(bad)}` };
    return { problems: error.problems };
  }
}

/** Paths as the loader writes them: `excerpts[3].quote.exact`. */
const pathText = (path: Array<string | number>) => path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${k}`)).join('');

/** True when `outer` is `inner` or a field or item above it. */
const contains = (outer: string, inner: string) => outer === '' || inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);

const load = (text: string) => parseCase(text, 'generated case file', sources, catalogue);

t.test('mutations of the NSO Group case file: a checked case, or a ProblemsError naming where', async (t) => {
  const paths = pathsOf(nso);
  const input = fc.record({ path: fc.constantFrom(...paths), mutation });
  let located = 0;
  let typeChanges = 0;
  await holds(t, 'one mutation anywhere in case.yaml', 0x5eed_0300, 120, input, async ({ path, mutation }) => {
    const mutated = mutate(nso, path, mutation);
    const text = stringify(mutated, { lineWidth: 0 }) ?? '';
    const outcome = breach(() => load(text));
    if (outcome.reason) throw new Error(`${mutation.op} at ${pathText(path)}: ${outcome.reason}`);
    // A leaf replaced by a value of another type (a string by a number, say) is named at its place or above it.
    const before = at(nso, path);
    if (mutation.op === 'replace' && path.length && before !== null && typeof before !== 'object' && typeof mutation.value !== typeof before) {
      typeChanges++;
      const where = pathText(path);
      if (!outcome.problems) return; // some fields take several types (a date or null)
      if (!outcome.problems.some((p) => contains(p.path, where))) throw new Error(`${where} became ${JSON.stringify(mutation.value)?.slice(0, 80)}, but no problem names it: ${JSON.stringify(outcome.problems.slice(0, 5))}`);
      located++;
    }
  });
  t.comment(`${typeChanges} leaves changed type; ${located} were refused with a problem at their path or above`);
});

/** YAML that attacks the parser rather than the schema. */
const yamlTraps = fc.constantFrom(
  // billion laughs: nine levels of nine aliases
  ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n'),
  'id: &x nso-group\ntitle: *x\nexcerpts: *undefined_alias',
  'id: !!js/function "function () { return process }"',
  'id: !!binary aGVsbG8=',
  'id: !!timestamp 2001-12-14t21:59:43.10-05:00',
  'title: !!set {a, b}',
  'title: !custom-tag value',
  'title: !<tag:example.org,2000:x> value',
  'base: &base {title: x}\n<<: *base',
  'id: a\nid: b',
  '__proto__: {polluted: true}\nid: x',
  'constructor: {prototype: {polluted: true}}',
  `x: ${'['.repeat(5000)}${']'.repeat(5000)}`,
  `x: ${'{a: '.repeat(3000)}1${'}'.repeat(3000)}`,
  `${'- '.repeat(3000)}x`,
  'id: 1e999\ntitle: .nan\nlanguage: .inf',
  'id: 0x7fffffffffffffffffffff',
  '---\nid: a\n---\nid: b',
  '%YAML 9.9\n---\nid: a',
  '\ufeffid: x',
  'id: "\\u0000"',
  'id: "\\ud800"',
  '\tid: x',
  'id: x\n  title: y',
  ': no key',
  '? [complex, key]\n: value',
  '"unterminated',
  '*',
  '&',
  '',
  '~',
  '[]',
  '42',
);

t.test("YAML's own traps and plain junk: a ProblemsError, never anything else", async (t) => {
  const input = fc.oneof(
    { weight: 3, arbitrary: yamlTraps },
    // A trap inserted at a line of the real case file.
    { weight: 3, arbitrary: fc.tuple(yamlTraps, fc.nat()).map(([trap, n]) => { const lines = nsoText.split('\n'); lines.splice(n % lines.length, 0, trap); return lines.join('\n'); }) },
    { weight: 2, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(':', '-', ' ', '\n', '[', ']', '{', '}', '&', '*', '!', '|', '>', "'", '"', '#', 'a', '1', '?', ',', '\t'), maxLength: 80 }) },
  );
  await holds(t, 'generated YAML text', 0x5eed_0301, 150, input, async (text) => {
    const outcome = breach(() => load(text));
    if (outcome.reason) throw new Error(`${JSON.stringify(text.slice(0, 200))}: ${outcome.reason}`);
  });
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
});
