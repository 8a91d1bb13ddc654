import { randomBytes } from 'node:crypto';

/** A random identifier with a prefix that says what it names: sig_…, rev_…, tok_…. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}
