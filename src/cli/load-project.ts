import { loadCatalogue } from '../criteria/catalogue.ts';
import { loadCase, type LoadedCase } from '../evidence/load-case.ts';
import { EVIDENCE_DIR, SEEDS_DIR } from '../paths.ts';
import { loadSources } from '../sources/load-sources.ts';
import type { SourceDocument } from '../sources/source-document.ts';
import type { Catalogue } from '../criteria/catalogue.ts';
import type { DossierPdfInput } from '../render/dossier-pdf.ts';
import type { Language } from '../sources/manifest.ts';

export interface ProjectDirs {
  sources?: string;
  evidence?: string;
}

export interface LoadedProject extends LoadedCase {
  catalogue: Catalogue;
  sources: Map<string, SourceDocument>;
}

/** Catalogue, verified sources and one checked case: what every command starts from. */
export async function loadProject(caseId: string, dirs: ProjectDirs = {}): Promise<LoadedProject> {
  const catalogue = loadCatalogue();
  const sources = await loadSources(dirs.sources ?? SEEDS_DIR);
  const loaded = await loadCase(dirs.evidence ?? EVIDENCE_DIR, caseId, sources, catalogue);
  return { catalogue, sources, ...loaded };
}

/** What the dossier renderer needs from a loaded project, in one language at one moment. */
export function dossierInputOf(project: LoadedProject, lang: Language, at: Date): DossierPdfInput {
  return { file: project.file, catalogue: project.catalogue, sources: [...project.sources.values()].map((s) => s.entry), lang, at };
}
