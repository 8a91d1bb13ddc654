import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadProject } from '../src/cli/load-project.ts';
import type { CaseFile, Excerpt, Signatory } from '../src/evidence/case-file.ts';
import { anchorQuote } from '../src/evidence/selectors.ts';
import { sha256Hex } from '../src/shared/hash.ts';
import type { Language, SourceEntry } from '../src/sources/manifest.ts';
import { SourceDocument } from '../src/sources/source-document.ts';
import { realTexts } from './support/real-text.ts';

export interface CaseSize {
  excerpts: number;
  sources: number;
  signatories: number;
}

/** Real text to cut sources from, per language (see realTexts). */
function corpus(): Record<Language, string> {
  return { en: realTexts('en').join('\n\n'), fr: realTexts('fr').join('\n\n') };
}

/** About `bytes` of whole paragraphs of `text`, starting at the paragraph at or after `offset` (wrapping around). */
function window(text: string, offset: number, bytes: number): string {
  let at = text.indexOf('\n\n', offset % text.length);
  at = at === -1 ? 0 : at + 2;
  const doubled = `${text}\n\n${text}`;
  const end = doubled.indexOf('\n\n', at + Math.min(bytes, text.length - 1));
  return doubled.slice(at, end === -1 ? undefined : end).trim();
}

/** Sentences of a source that anchor (once, outside boilerplate), `count` of them spread over the text. */
function anchoredQuotes(source: SourceDocument, count: number): ReturnType<typeof anchorQuote>[] {
  const sentences = source.text.match(/[^.!?\n]{60,260}[.!?]/g) ?? [];
  const anchored = sentences.map((s) => anchorQuote(source, s.trim())).filter((a) => a.ok);
  if (anchored.length < count) throw new Error(`source ${source.id} has ${anchored.length} quotable sentences, fewer than ${count}`);
  const step = anchored.length / count;
  return Array.from({ length: count }, (_, i) => anchored[Math.floor(i * step)]!);
}

/**
 * A case of the given size, valid under the case-file schema and every check
 * the loader makes: the NSO case (its sources, excerpts, statement and
 * signatories) grown with generated sources cut from real text, excerpts
 * anchored in them (criteria and exculpatory flags taken in turn from the NSO
 * excerpts) and more signatories. Written under `dir` as a sources folder
 * (manifest with SHA-256s) and an evidence folder; returns the case's id.
 */
export async function writeScaleCase(dir: string, size: CaseSize, caseId = 'scale-case'): Promise<{ sources: string; evidence: string; caseId: string }> {
  const nso = await loadProject('nso-group');
  const used = [...nso.sources.values()].filter((s) => nso.file.excerpts.some((e) => e.source === s.id) || nso.file.signatories.some((g) => g.source === s.id));
  const texts = corpus();
  const sourcesDir = join(dir, 'sources');
  const evidenceDir = join(dir, 'evidence');
  await mkdir(sourcesDir, { recursive: true });
  await mkdir(join(evidenceDir, caseId), { recursive: true });

  const manifest: SourceEntry[] = [];
  for (const s of used) {
    await writeFile(join(sourcesDir, s.entry.file), s.text);
    manifest.push(s.entry);
  }
  const generatedSources = size.sources - used.length;
  const generatedExcerpts = size.excerpts - nso.file.excerpts.length;
  const excerpts: Excerpt[] = [...nso.file.excerpts];
  for (let i = 0; i < generatedSources; i++) {
    const lang: Language = i % 3 === 2 ? 'fr' : 'en';
    const number = String(i + 1).padStart(4, '0');
    const text = `Generated source ${number}\n\n${window(texts[lang], i * 7919, 9000)}\n`;
    const entry: SourceEntry = {
      id: `gen-source-${number}`,
      file: `gen_${number}.txt`,
      title: `Generated source ${number}`,
      organisation: `Generated Organisation ${(i % 40) + 1}`,
      kind: 'report',
      date: `20${String(10 + (i % 15)).padStart(2, '0')}-0${(i % 9) + 1}-1${i % 10}`,
      language: lang,
      sha256: sha256Hex(text),
    };
    await writeFile(join(sourcesDir, entry.file), text);
    manifest.push(entry);
    const document = new SourceDocument(entry, text);
    const count = Math.floor(((i + 1) * generatedExcerpts) / generatedSources) - Math.floor((i * generatedExcerpts) / generatedSources);
    anchoredQuotes(document, count).forEach((anchored, k) => {
      if (!anchored.ok) return;
      const model = nso.file.excerpts[(excerpts.length + k) % nso.file.excerpts.length]!;
      excerpts.push({
        id: `ex-gen-${number}-${k + 1}`,
        source: entry.id,
        sha256: entry.sha256,
        ...anchored.anchor,
        criteria: model.criteria,
        exculpatory: model.exculpatory,
        note: `Generated excerpt ${k + 1} of source ${number}, standing for ${model.criteria.join(', ') || 'an identifying fact'}.`,
      });
    });
  }
  const signatories: Signatory[] = [...nso.file.signatories];
  for (let i = signatories.length; i < size.signatories; i++) {
    const n = String(i + 1).padStart(4, '0');
    signatories.push(i % 10 === 0 ? { name: `Dr. Generated Expert ${n}`, category: 'expert', affiliation: `Generated University ${n}` } : { name: `Generated Rights Organisation ${n}`, category: 'organisation' });
  }
  const file: CaseFile = { ...nso.file, id: caseId, title: `${nso.file.title} (scale benchmark)`, excerpts, signatories };
  await writeFile(join(sourcesDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // JSON is YAML: the loader reads it as it reads any case.yaml.
  await writeFile(join(evidenceDir, caseId, 'case.yaml'), JSON.stringify(file));
  return { sources: sourcesDir, evidence: evidenceDir, caseId };
}
