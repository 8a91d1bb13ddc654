import type { FastifyReply } from 'fastify';

/** Whether an If-None-Match header names `etag` (weakly, as RFC 9110 compares for GET), or is `*`. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === '*' || t === etag);
}

/** 304: the client's copy is current. Its tag and Cache-Control only: the client keeps the other headers of its copy (RFC 9110, 15.4.5). */
export const notModified = (reply: FastifyReply, etag: string, cacheControl: string) => reply.code(304).header('etag', etag).header('cache-control', cacheControl).send();
