import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { parse } from 'yaml';
import { TEMPLATES_DIR } from '../../paths.ts';
import type { Language } from '../../sources/manifest.ts';

/** The words of a dossier in one language: headings and labels, and the narrative templates. */
export interface DossierText {
  lang: Language;
  /** A label by its dotted path in labels.yaml, filled with `data`. */
  label(path: string, data?: object): string;
  /** A narrative template (templates/dossier/<lang>/<name>.hbs), filled with `data`. */
  narrative(name: string, data?: object): string;
}

type Template = (data: object) => string;

/** The languages a dossier can be written in: those with templates under templates/dossier/. */
export const DOSSIER_LANGUAGES = ['en', 'fr'] as const;

function createHandlebars(lang: Language): typeof Handlebars {
  const hbs = Handlebars.create();
  // The language's own rule: French says "0 expert indépendant", English "0 independent experts".
  const rules = new Intl.PluralRules(lang);
  hbs.registerHelper('plural', (count: number, one: string, many: string) => (rules.select(count) === 'one' ? one : many));
  return hbs;
}

/** Text for PDFs: no HTML escaping, and a missing field throws instead of printing nothing. */
const COMPILE_OPTIONS = { strict: true, noEscape: true } as const;

function flatten(value: unknown, prefix: string, into: Map<string, string>): void {
  if (typeof value === 'string') into.set(prefix, value);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  }
}

const cache = new Map<string, DossierText>();

export function loadDossierText(lang: Language, templatesDir = TEMPLATES_DIR): DossierText {
  const dir = join(templatesDir, 'dossier', lang);
  const cached = cache.get(dir);
  if (cached) return cached;
  const hbs = createHandlebars(lang);
  const narratives = new Map<string, Template>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    narratives.set(basename(name, '.hbs'), hbs.compile(readFileSync(join(dir, name), 'utf8').trim(), COMPILE_OPTIONS));
  }
  const labelSources = new Map<string, string>();
  flatten(parse(readFileSync(join(dir, 'labels.yaml'), 'utf8')), '', labelSources);
  const labels = new Map<string, Template>();

  const text: DossierText = {
    lang,
    label(path, data = {}) {
      let template = labels.get(path);
      if (!template) {
        const source = labelSources.get(path);
        if (source === undefined) throw new Error(`no label "${path}" in ${dir}/labels.yaml`);
        template = hbs.compile(source, COMPILE_OPTIONS);
        labels.set(path, template);
      }
      return template(data);
    },
    narrative(name, data = {}) {
      const template = narratives.get(name);
      if (!template) throw new Error(`no template ${name}.hbs in ${dir}`);
      return template(data);
    },
  };
  cache.set(dir, text);
  return text;
}
