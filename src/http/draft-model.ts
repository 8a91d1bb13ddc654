import { draftInput } from '../cases/draft-state.ts';
import type { CaseDeps } from '../cases/context.ts';
import type { DossierModel } from '../dossier/model.ts';
import { dossierModel, dossierPdfKey } from '../render/dossier-pdf.ts';
import type { Language } from '../sources/manifest.ts';

export interface DraftModel {
  model: DossierModel;
  /** What the draft's bytes are made of, hashed (dossierPdfKey): its ETag and its key in the PDF cache. */
  key: string;
  /** The moment the dossier speaks for: the case's last change, so the same state gives the same bytes. */
  at: Date;
  /** The case's stamp for this state, or undefined when it changed while it was read (see draftInput). */
  stamp: string | undefined;
}

/** The draft dossier of a case as it stands, in one language: the API's and the pages' downloads are the same draft. */
export async function draftModel(cases: CaseDeps, id: string, lang: Language): Promise<DraftModel> {
  const { record, sources, stamp } = await draftInput(cases, id);
  const at = new Date(record.updatedAt);
  const model = dossierModel({ file: record.file, catalogue: cases.catalogue, sources, lang, at });
  return { model, key: dossierPdfKey(model, at), at, stamp };
}
