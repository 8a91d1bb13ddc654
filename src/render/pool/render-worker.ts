import { move } from 'piscina';
import type { DossierModel } from '../../dossier/model.ts';
import { renderDossier } from '../dossier-pdf.ts';
import { UnprintableText, type UnprintableDetail } from '../unprintable-text.ts';

/** What a render thread receives: plain data, copied into the thread. */
export interface RenderTask {
  model: DossierModel;
  /** ISO timestamp: the PDF's creation date. */
  at: string;
}

/**
 * What a render thread sends back: the PDF's bytes, or the text its fonts
 * cannot show. An error crosses threads as a plain Error (its class is lost),
 * so the one refusal the service answers in words comes back as data.
 */
export type RenderOutcome = Uint8Array | { unprintable: UnprintableDetail };

/**
 * Runs in a worker thread of the render pool: model → PDF bytes, handed back to
 * the main thread without a copy.
 */
export default async function renderTask({ model, at }: RenderTask): Promise<RenderOutcome> {
  let pdf: Buffer;
  try {
    pdf = await renderDossier(model, new Date(at));
  } catch (error) {
    if (error instanceof UnprintableText) return { unprintable: error.unprintable };
    throw error;
  }
  // Only a view that owns its whole ArrayBuffer can be moved (small Buffers share a pool).
  const bytes = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? pdf : Uint8Array.prototype.slice.call(pdf);
  return move(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as Uint8Array;
}
