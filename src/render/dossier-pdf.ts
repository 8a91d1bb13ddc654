import type { Catalogue } from '../criteria/catalogue.ts';
import { assembleDossier } from '../dossier/assemble.ts';
import type { DossierModel } from '../dossier/model.ts';
import type { CaseFile } from '../evidence/case-file.ts';
import type { Language, SourceEntry } from '../sources/manifest.ts';
import { composeDossier } from './compose-dossier.ts';
import { renderPdf } from './pdf/render-pdf.ts';
import { loadDossierText } from './text/dossier-text.ts';

export interface DossierPdfInput {
  file: CaseFile;
  catalogue: Catalogue;
  sources: readonly SourceEntry[];
  lang: Language;
  /** When the dossier is made: its date, and the PDF's creation date. */
  at: Date;
}

/** Case → dossier model → text → PDF bytes. */
export async function buildDossierPdf(input: DossierPdfInput): Promise<{ model: DossierModel; pdf: Buffer }> {
  const model = assembleDossier({ ...input, date: input.at.toISOString().slice(0, 10) });
  const pdf = await renderPdf(composeDossier(model, loadDossierText(input.lang)), { createdAt: input.at });
  return { model, pdf };
}
