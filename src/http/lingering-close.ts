import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * A refusal sent while the client is still sending its body (413 for an
 * upload over the limit, 401 before the body, a request that is not HTTP)
 * must reach the client. Closing the socket with unread bytes in it makes the
 * kernel answer them with a reset, and a client still writing then sees
 * ECONNRESET instead of the answer it was sent (RFC 9112, 9.6, "the TCP reset
 * problem"). So such a connection is closed in stages: the answer and a
 * half-close, then whatever still arrives is read and dropped until the client
 * closes its side or LINGER_MS have passed.
 */

/** How long a connection keeps draining after its answer; the client stops sending once it reads the answer. */
const LINGER_MS = 2_000;

/** Sends FIN after what was written, drops what still arrives, and destroys the socket once the client closes or after `lingerMs`. */
export function closeAfterLinger(socket: Socket, lingerMs = LINGER_MS): void {
  if (socket.destroyed || socket.writableEnded) return;
  socket.end();
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Answers given before the request's body has all arrived close their
 * connection in stages (see above) instead of at once. Node closes a
 * `Connection: close` answer's socket with `destroySoon()`; for these requests
 * that becomes `closeAfterLinger`. Connections still lingering when the
 * service stops are closed then.
 */
export function lingerOnEarlyAnswers(app: FastifyInstance): void {
  const lingering = new Set<Socket>();
  // A callback hook: it runs on every answer, and most pass straight through.
  app.addHook('onSend', (request, reply, payload, done) => {
    const expectsBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (!expectsBody || request.raw.complete) return done(null, payload);
    const socket = request.raw.socket;
    // What follows this body on the connection cannot be read as a request: it is closed after the answer.
    reply.header('connection', 'close');
    socket.destroySoon = () => {
      lingering.add(socket);
      socket.once('close', () => lingering.delete(socket));
      closeAfterLinger(socket);
    };
    done(null, payload);
  });
  app.addHook('preClose', async () => {
    for (const socket of lingering) socket.destroy();
  });
}
