import { move } from 'piscina';
import type { DossierModel } from '../../dossier/model.ts';
import { renderDossier } from '../dossier-pdf.ts';

/** What a render thread receives: plain data, copied into the thread. */
export interface RenderTask {
  model: DossierModel;
  /** ISO timestamp: the PDF's creation date. */
  at: string;
}

/**
 * Runs in a worker thread of the render pool: model → PDF bytes, handed back to
 * the main thread without a copy.
 */
export default async function renderTask({ model, at }: RenderTask): Promise<Uint8Array> {
  const pdf = await renderDossier(model, new Date(at));
  // Only a view that owns its whole ArrayBuffer can be moved (small Buffers share a pool).
  const bytes = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? pdf : Uint8Array.prototype.slice.call(pdf);
  return move(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as Uint8Array;
}
