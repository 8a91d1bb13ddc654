import type { DossierModel } from '../../dossier/model.ts';
import type { RenderPool } from './render-pool.ts';

/** Rendered PDFs shared by every instance of the service, by dossierPdfKey (model, moment, renderer version). */
export interface PdfCache {
  get(key: string): Promise<Uint8Array | undefined>;
  /** Stores the PDF unless the key is there already (another instance was faster), and keeps the cache bounded. */
  put(key: string, pdf: Uint8Array, at: Date): Promise<void>;
}

export interface DraftPdf {
  pdf: Buffer;
  /** True when the bytes came from the cache (rendered earlier, perhaps by another instance). */
  cached: boolean;
}

/**
 * The draft PDFs of the service: from the shared cache when any instance has
 * rendered the model already, else rendered in the pool and stored. Requests for
 * a model being rendered in this instance wait for that render.
 */
export class DossierPdfs {
  readonly #inFlight = new Map<string, Promise<DraftPdf>>();

  constructor(
    readonly pool: RenderPool,
    readonly cache: PdfCache | undefined,
    readonly now: () => Date = () => new Date(),
  ) {}

  /** The draft PDF of a model; `key` is dossierPdfKey(model, at) (the ETag without quotes). */
  draft(model: DossierModel, at: Date, key: string, warn: (error: unknown) => void = () => {}): Promise<DraftPdf> {
    const running = this.#inFlight.get(key);
    if (running) return running;
    const job = this.#draft(model, at, key, warn).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, job);
    return job;
  }

  async #draft(model: DossierModel, at: Date, key: string, warn: (error: unknown) => void): Promise<DraftPdf> {
    const hit = await this.cache?.get(key).catch((error: unknown) => {
      warn(error);
      return undefined;
    });
    if (hit) return { pdf: Buffer.from(hit.buffer, hit.byteOffset, hit.byteLength), cached: true };
    const pdf = await this.pool.render(model, at);
    // A cache that cannot store costs a render next time, not this answer.
    await this.cache?.put(key, pdf, this.now()).catch(warn);
    return { pdf, cached: false };
  }

  /** A PDF rendered now, without the cache: frozen versions, which are stored with their case. */
  render(model: DossierModel, at: Date): Promise<Buffer> {
    return this.pool.render(model, at);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
