import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../src/cli/load-project.ts';
import { loadCatalogue } from '../../src/criteria/catalogue.ts';
import type { DossierModel } from '../../src/dossier/model.ts';
import { EVIDENCE_DIR, SEEDS_DIR } from '../../src/paths.ts';
import { dossierModel } from '../../src/render/dossier-pdf.ts';

/** A private copy of the seeds and case files that a test may break. */
export async function copyProject(): Promise<{ dir: string; sources: string; evidence: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'dossier-test-'));
  const sources = join(dir, 'seeds');
  const evidence = join(dir, 'evidence');
  await cp(SEEDS_DIR, sources, { recursive: true });
  await cp(EVIDENCE_DIR, evidence, { recursive: true });
  return { dir, sources, evidence };
}

/** The NSO Group dossier's model as the service builds it, at a fixed moment: what a render is given. */
export async function nsoModel(lang: 'en' | 'fr' = 'en', at = NSO_AT): Promise<DossierModel> {
  const project = await loadProject('nso-group');
  return dossierModel({ file: project.file, catalogue: loadCatalogue(), sources: [...project.sources.values()].map((s) => s.entry), lang, at });
}

/** The moment the tests render the NSO dossier at. */
export const NSO_AT = new Date('2026-11-23T10:00:00Z');
