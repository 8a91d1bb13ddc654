import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { TEMPLATES_DIR } from '../paths.ts';
import { ProblemsError, type Problem } from '../shared/problems.ts';

/** The languages of the web pages: one file of strings each, `templates/web/<lang>.yaml`. */
export const WEB_LANGUAGES = ['en', 'fr'] as const;
export const WebLanguage = z.enum(WEB_LANGUAGES);
export type WebLanguage = z.infer<typeof WebLanguage>;

/** A strings file: nested maps whose leaves are non-empty strings, placeholders written `{name}`. */
type StringTree = { [key: string]: string | StringTree };
const StringTree: z.ZodType<StringTree> = z.lazy(() => z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'keys are lower-case words'), z.union([z.string().min(1), StringTree])));

export type Strings = ReadonlyMap<string, string>;

function flatten(tree: StringTree, prefix: string, into: Map<string, string>): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') into.set(path, value);
    else flatten(value, path, into);
  }
  return into;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');

/**
 * Reads and checks the strings of every language: each file must parse, and
 * every language must have the keys of English, no others, with the same
 * placeholders. All problems are reported at once.
 */
export function loadStrings(dir = join(TEMPLATES_DIR, 'web')): ReadonlyMap<WebLanguage, Strings> {
  const problems: Problem[] = [];
  const all = new Map<WebLanguage, Strings>();
  for (const lang of WEB_LANGUAGES) {
    const file = `${lang}.yaml`;
    const parsed = StringTree.safeParse(parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => ({ code: i.code, path: `${file}:${i.path.join('.')}`, message: i.message })));
      continue;
    }
    all.set(lang, flatten(parsed.data, '', new Map()));
  }
  const english = all.get('en');
  for (const [lang, strings] of all) {
    if (!english || lang === 'en') continue;
    for (const [key, text] of english) {
      const other = strings.get(key);
      if (other === undefined) problems.push({ code: 'missing_string', path: `${lang}.yaml:${key}`, message: `"${key}" is in en.yaml but not in ${lang}.yaml` });
      else if (placeholders(other) !== placeholders(text)) {
        problems.push({ code: 'placeholders', path: `${lang}.yaml:${key}`, message: `"${key}" has placeholders {${placeholders(other)}} but en.yaml has {${placeholders(text)}}` });
      }
    }
    for (const key of strings.keys()) {
      if (!english.has(key)) problems.push({ code: 'unknown_string', path: `${lang}.yaml:${key}`, message: `"${key}" is in ${lang}.yaml but not in en.yaml` });
    }
  }
  if (problems.length) throw new ProblemsError('web page strings', problems);
  return all;
}

/** A string filled with its parameters; a key that does not exist is a programming error and throws. */
export function translate(strings: Strings, key: string, params: Record<string, unknown> = {}): string {
  const text = strings.get(key);
  if (text === undefined) throw new Error(`no web string "${key}"`);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A string chosen by the plural category of `count` in that language (`key.one`, `key.other`, …). */
export function translateCount(strings: Strings, lang: WebLanguage, key: string, count: number, params: Record<string, unknown> = {}): string {
  const category = new Intl.PluralRules(lang).select(count);
  const chosen = strings.has(`${key}.${category}`) ? `${key}.${category}` : `${key}.other`;
  return translate(strings, chosen, { count, ...params });
}

/** The first language of an Accept-Language header that the pages speak, by quality; undefined when none. */
export function negotiateLanguage(header: string | undefined): WebLanguage | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => /^\s*q=/i.test(p));
      // A range with a quality that is not a number is dropped, not read as q=1.
      return { base: tag.trim().toLowerCase().split('-')[0]!, q: q === undefined ? 1 : /^\s*q=(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$/i.test(q) ? Number(q.split('=')[1]) : NaN, order };
    })
    .filter((r) => r.q > 0 && Number.isFinite(r.q))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { base } of ranked) {
    const lang = WebLanguage.safeParse(base);
    if (lang.success) return lang.data;
  }
  return undefined;
}
