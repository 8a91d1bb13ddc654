import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { Answer } from './answers.ts';

/**
 * HTTP/1.1 spoken by hand over a socket: what fetch and inject never send
 * (duplicated headers, control bytes in a header, a body longer than its
 * Content-Length), and bodies streamed while the answer is watched.
 */

export interface RawAnswer extends Answer {
  /** Body bytes the client had written when the first byte of the answer arrived. */
  sentBeforeAnswer: number;
}

/** Parses one response from the bytes read so far; undefined while it is incomplete. */
function parseResponse(bytes: Buffer, closed: boolean): Omit<RawAnswer, 'sentBeforeAnswer'> | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const body = bytes.subarray(end + 4);
  if (length === undefined ? !closed : body.length < length) return undefined;
  return { statusCode: Number(statusLine!.split(' ')[1]), headers, body: body.subarray(0, length ?? body.length).toString('utf8') };
}

export interface Upload {
  port: number;
  /** The request line and headers, without the blank line. */
  head: string;
  /** Body bytes to send at most, in chunks of `chunk`. */
  total: number;
  chunk: Buffer;
  /** Frame the body as chunked transfer encoding (the head must say so). */
  chunked?: boolean;
}

/**
 * Sends a request and streams its body with back-pressure, stopping as soon as
 * an answer arrives; resolves with the answer and how much had been sent.
 */
export async function upload({ port, head, total, chunk, chunked = false }: Upload): Promise<RawAnswer> {
  const socket: Socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = Buffer.alloc(0);
  let closed = false;
  let sentBeforeAnswer = -1;
  let sent = 0;
  let wake: () => void = () => {};
  socket.on('data', (data: Buffer) => {
    if (sentBeforeAnswer < 0) sentBeforeAnswer = sent;
    received = Buffer.concat([received, data]);
    wake();
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    closed = true;
    wake();
  });
  const answered = () => parseResponse(received, closed) ?? (closed ? { statusCode: 0, headers: {}, body: received.toString('latin1') } : undefined);

  socket.write(`${head}\r\n\r\n`);
  while (sent < total && sentBeforeAnswer < 0 && !closed) {
    const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
    const flushed = socket.write(chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
    sent += piece.length;
    if (!flushed) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        socket.once('drain', resolve);
      });
    }
  }
  if (chunked && sent >= total && !closed) socket.write('0\r\n\r\n');
  while (!answered()) await new Promise<void>((resolve) => (wake = resolve));
  const answer = answered()!;
  socket.destroy();
  return { ...answer, sentBeforeAnswer: sentBeforeAnswer < 0 ? sent : sentBeforeAnswer };
}

/** Sends bytes as they are (a whole request, however malformed) and reads one answer. */
export function rawRequest(port: number, bytes: Buffer): Promise<RawAnswer> {
  const split = bytes.indexOf('\r\n\r\n');
  const head = split < 0 ? bytes.toString('latin1') : bytes.subarray(0, split).toString('latin1');
  const body = split < 0 ? Buffer.alloc(0) : bytes.subarray(split + 4);
  return upload({ port, head, total: body.length, chunk: body.length ? body : Buffer.alloc(1) });
}

/**
 * Sends a whole request before reading anything, as simple clients do: when
 * the server answers early and then resets the connection, the answer is lost
 * and the write fails; resolves with the answer, or statusCode 0 and the error.
 */
export async function sendAllThenRead({ port, head, total, chunk }: Omit<Upload, 'chunked'>): Promise<Answer & { error?: string }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.pause();
  let error: string | undefined;
  socket.on('error', (e) => (error ??= e.message));
  socket.write(`${head}\r\n\r\n`);
  for (let sent = 0; sent < total && !socket.destroyed; sent += chunk.length) {
    if (!socket.write(chunk.subarray(0, Math.min(chunk.length, total - sent)))) {
      await new Promise<void>((resolve) => {
        socket.once('drain', resolve);
        socket.once('close', resolve);
      });
    }
  }
  const chunks: Buffer[] = [];
  socket.on('data', (data: Buffer) => chunks.push(data));
  socket.resume();
  if (!socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
  const answer = parseResponse(Buffer.concat(chunks), true);
  return answer ? { ...answer, error } : { statusCode: 0, headers: {}, body: '', error };
}
