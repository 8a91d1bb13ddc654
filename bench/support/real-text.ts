import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLabelled } from '../../src/mapping/evaluation.ts';
import type { MappingLanguage } from '../../src/mapping/schema.ts';
import { PROJECT_ROOT, SEEDS_DIR } from '../../src/paths.ts';

/**
 * Varied real text of one language, for the benchmarks to repeat or cut up: the
 * seeds and the documents of the mapper's labelled fixtures (NGO letters,
 * reports and briefings), each document once, paragraphs separated by blank lines.
 */
export function realTexts(lang: MappingLanguage): string[] {
  const manifest = JSON.parse(readFileSync(join(SEEDS_DIR, 'manifest.json'), 'utf8')) as { file: string; language: string }[];
  const texts = manifest.filter((m) => m.language === lang).map((m) => readFileSync(join(SEEDS_DIR, m.file), 'utf8'));
  const fixtures = join(PROJECT_ROOT, 'test/fixtures/mapper');
  const docs = new Map<string, string>();
  for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.jsonl'))) {
    for (const p of readLabelled(join(fixtures, file))) {
      if (p.lang !== lang) continue;
      const before = docs.get(p.doc);
      docs.set(p.doc, before === undefined ? p.text : `${before}${p.continues ? ' ' : '\n\n'}${p.text}`);
    }
  }
  return [...texts, ...docs.values()];
}
