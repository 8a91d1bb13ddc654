/**
 * The old-generation heap of each render thread, in MB. The largest dossier the
 * benchmarks render (2,000 excerpts, fifty times the NSO case's, and 1,000
 * signatories) holds about 85 MB at its peak and renders as fast within this budget;
 * without a limit V8 lets the heap grow to several times what is live.
 */
export const DEFAULT_RENDER_HEAP_MB = 160;

/**
 * A dossier whose render needs more heap than a render thread is given
 * (RENDER_HEAP_MB). The thread is stopped and replaced; the service, and the
 * renders of other dossiers, go on. Raising the budget is an operator's choice.
 */
export class RenderMemoryExceeded extends Error {
  constructor(readonly heapMb: number) {
    super(`rendering this dossier needs more than the ${heapMb} MB of heap a render thread is given (RENDER_HEAP_MB)`);
    this.name = 'RenderMemoryExceeded';
  }
}
