import { Piscina } from 'piscina';
import type { DossierModel } from '../../dossier/model.ts';
import { DEFAULT_RENDER_HEAP_MB, RenderMemoryExceeded } from '../render-memory.ts';
import { DEFAULT_RENDER_QUEUE, RenderQueueFull } from '../render-queue.ts';
import { UnprintableText } from '../unprintable-text.ts';
import type { RenderOutcome, RenderTask } from './render-worker.ts';

/** Renders dossiers off the event loop: the HTTP thread only sends a model and receives bytes. */
export interface RenderPool {
  /** The PDF of a model at a moment; the same model and moment give the same bytes. */
  render(model: DossierModel, at: Date): Promise<Buffer>;
  /** At most this many dossiers render at once; more wait their turn, as many as the pool's queue takes. */
  readonly threads: number;
  /** Renders finished since the pool started. */
  readonly completed: number;
  /** Waits for running renders to end and stops the threads. */
  close(): Promise<void>;
}

interface RenderPoolOptions {
  /** Render threads: at most this many dossiers render at once (RENDER_WORKERS, whose default the config holds). */
  threads: number;
  /** The old-generation heap of each thread, in MB (RENDER_HEAP_MB). */
  heapMb?: number;
  /** Renders that may wait for a thread (RENDER_QUEUE); one more fails at once with RenderQueueFull. */
  queue?: number;
}

/**
 * A pool of worker threads (piscina). Threads start on first use and stop after
 * a minute without work, so an idle service holds none. Each thread loads the
 * renderer through tsx, as the service itself runs: the worker is TypeScript.
 * Each has a heap of `heapMb`: a render that needs more stops its thread (and
 * fails with RenderMemoryExceeded) rather than the memory of the service. At
 * most `queue` renders wait for a thread; more are refused with RenderQueueFull.
 */
export function createRenderPool({ threads, heapMb = DEFAULT_RENDER_HEAP_MB, queue = DEFAULT_RENDER_QUEUE }: RenderPoolOptions): RenderPool {
  const size = Math.max(1, Math.floor(threads));
  // Counted here rather than by piscina's maxQueue, whose refusal is an Error told apart only by its message.
  let pending = 0;
  const piscina = new Piscina<RenderTask, RenderOutcome>({
    filename: new URL('./render-worker.ts', import.meta.url).href,
    // A worker thread does not inherit the main thread's module hooks; tsx is registered in each.
    execArgv: ['--import', import.meta.resolve('tsx')],
    minThreads: 0,
    maxThreads: size,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
  // A thread that fails outside a task (while starting, say), or a close that outlasts piscina's wait, is reported
  // here; with no listener it would be an uncaught 'error' event and end the service. piscina settles neither the
  // renders that waited for such a thread nor the thread, so the renders in flight are aborted with its error:
  // an answer that fails rather than one that never comes (a render running on a sound thread fails with them).
  let inFlight = new AbortController();
  piscina.on('error', (error: Error) => {
    process.stderr.write(`render pool: ${error.message}\n`);
    inFlight.abort(error);
    inFlight = new AbortController();
  });
  let closed: Promise<void> | undefined;
  return {
    threads: size,
    get completed() {
      return piscina.completed;
    },
    async render(model, at) {
      if (closed) throw new Error('the render pool is closed');
      if (pending >= size + queue) throw new RenderQueueFull(queue);
      pending++;
      try {
        const outcome = await piscina.run({ model, at: at.toISOString() }, { signal: inFlight.signal }).catch((error: unknown) => Promise.reject(renderError(error, heapMb)));
        if (!(outcome instanceof Uint8Array)) throw new UnprintableText(outcome.unprintable);
        return Buffer.from(outcome.buffer, outcome.byteOffset, outcome.byteLength);
      } finally {
        pending--;
      }
    },
    close() {
      closed ??= piscina.close();
      return closed;
    },
  };
}

/** A render thread's failure as the service's own error: a thread that ran out of heap is RenderMemoryExceeded; an abort carries the thread's error as its cause. */
function renderError(error: unknown, heapMb: number): unknown {
  const failure = error instanceof Error && error.name === 'AbortError' && error.cause instanceof Error ? error.cause : error;
  if ((failure as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') return new RenderMemoryExceeded(heapMb);
  return failure;
}
