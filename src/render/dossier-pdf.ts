import type { Catalogue } from '../criteria/catalogue.ts';
import { assembleDossier } from '../dossier/assemble.ts';
import type { DossierModel } from '../dossier/model.ts';
import type { CaseFile } from '../evidence/case-file.ts';
import type { Language, SourceEntry } from '../sources/manifest.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import { sha256Hex } from '../shared/hash.ts';
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

export function dossierModel(input: DossierPdfInput): DossierModel {
  return assembleDossier({ ...input, date: input.at.toISOString().slice(0, 10) });
}

/**
 * The renderer's version, part of every draft's key: raise it when a change of
 * the renderer (layout, fonts, wording) changes the bytes made of an unchanged
 * model, so that PDFs cached by the old renderer, and their ETags, are not served.
 */
export const RENDERER_VERSION = 4;

/**
 * The SHA-256 of all that a draft's bytes are made of: the model, the moment
 * (the PDF's creation date) and the renderer. Equal keys, equal bytes: the
 * draft's strong ETag and its key in the PDF cache.
 */
export function dossierPdfKey(model: DossierModel, at: Date): string {
  return sha256Hex(canonicalJson({ renderer: RENDERER_VERSION, at: at.toISOString(), model }));
}

/** Model → text → PDF bytes. The same model and moment give the same bytes. */
export function renderDossier(model: DossierModel, at: Date): Promise<Buffer> {
  return renderPdf(composeDossier(model, loadDossierText(model.lang)), { createdAt: at });
}

/** Case → dossier model → text → PDF bytes. */
export async function buildDossierPdf(input: DossierPdfInput): Promise<{ model: DossierModel; pdf: Buffer }> {
  const model = dossierModel(input);
  return { model, pdf: await renderDossier(model, input.at) };
}
