import type { FastifyReply, FastifyRequest } from 'fastify';
import { RenderMemoryExceeded } from '../render/render-memory.ts';
import { RenderQueueFull } from '../render/render-queue.ts';
import { UnprintableText } from '../render/unprintable-text.ts';

/** The HTTP status of each kind of refusal of the case rules: the API and the pages answer alike. */
export const KIND_STATUS = { not_found: 404, conflict: 409, forbidden: 403, unprocessable: 422 } as const;

/** Seconds a client turned away by a full render queue is asked to wait (Retry-After): about what a few renders take. */
const RENDER_RETRY_AFTER_SECONDS = 5;

/** A dossier the renderer refused, as the API (problem+json) and the pages (an error page) both answer it. */
export interface RenderRefusal {
  status: number;
  /** The problem type of the API's answer. */
  code: string;
  /** The API's detail. */
  detail: string;
  /** The error page's strings (errors.<page>.title and .message) and the values of the message's placeholders. */
  page: string;
  pageParams?: Record<string, unknown>;
  /** When the page shows a detail under its message (errors.<page>.detail): the values of its placeholders. */
  pageDetail?: Record<string, unknown>;
  /** Set when the operator should hear of it: the refusal is the service's limit, not the content's fault. */
  log?: string;
  /** Seconds after which the same request may succeed (Retry-After), when the refusal is a passing one. */
  retryAfter?: number;
}

function renderRefusal(error: unknown): RenderRefusal | undefined {
  if (error instanceof UnprintableText) {
    const { characters, text } = error.unprintable;
    return {
      status: 422,
      code: 'unprintable-text',
      detail: `${error.message}: change the text, or the PDF cannot be made without losing it`,
      page: 'unprintable',
      pageDetail: { characters: characters.join(', '), text },
    };
  }
  if (error instanceof RenderMemoryExceeded) {
    return {
      status: 503,
      code: 'render-memory-exceeded',
      detail: `${error.message}: the service cannot make this dossier's PDF as configured; an operator can raise RENDER_HEAP_MB`,
      page: 'render_memory',
      pageParams: { heapMb: error.heapMb },
      log: "a render outgrew its thread's heap",
    };
  }
  if (error instanceof RenderQueueFull) {
    return {
      status: 503,
      code: 'render-queue-full',
      detail: `${error.message}: try again in a few seconds`,
      page: 'render_queue',
      pageParams: { seconds: RENDER_RETRY_AFTER_SECONDS },
      // Not logged on its own: it comes in floods when the service is busiest, and each 503 is in the request log.
      retryAfter: RENDER_RETRY_AFTER_SECONDS,
    };
  }
  return undefined;
}

/**
 * The renderer's refusal of `error`, with what every answer to it carries set
 * on the reply (Retry-After) and the operator told when it is the service's
 * limit; the API and the pages then only write their own body.
 */
export function answerRenderRefusal(error: unknown, request: FastifyRequest, reply: FastifyReply): RenderRefusal | undefined {
  const refusal = renderRefusal(error);
  if (!refusal) return undefined;
  if (refusal.log) request.log.warn({ err: error }, refusal.log);
  if (refusal.retryAfter) reply.header('retry-after', String(refusal.retryAfter));
  return refusal;
}
