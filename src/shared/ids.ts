import { randomBytes } from 'node:crypto';

/**
 * Random bytes drawn a few kilobytes at a time: asking the system for eight
 * bytes costs about as much as for four thousand, and a signature needs an id
 * on every request. Ids name things; they are not secrets (tokens draw their own).
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let next = 0;

function randomHex(bytes: number): string {
  if (next + bytes > pool.length) {
    pool = randomBytes(POOL_SIZE);
    next = 0;
  }
  next += bytes;
  return pool.toString('hex', next - bytes, next);
}

/** A random identifier with a prefix that says what it names: sig_…, rev_…, tok_…. */
export function newId(prefix: string): string {
  return `${prefix}_${randomHex(8)}`;
}
