import { canonicalJson } from '../shared/canonical-json.ts';
import { sha256Hex } from '../shared/hash.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  caseId: string;
  actor: string;
  action: string;
  at: string;
  beforeHash: string;
  afterHash: string;
  detail: unknown;
}

export interface AuditEntry extends AuditFields {
  seq: number;
  prevHash: string;
  hash: string;
}

/** Each entry's hash covers its fields and the previous entry's hash: changing any past entry breaks every link after it. */
export function chainHash(prevHash: string, fields: AuditFields): string {
  return sha256Hex(prevHash + canonicalJson(fields));
}

export type ChainCheck = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string };

/**
 * Recomputes a case's chain in order and names the first entry that does not
 * hold. The links alone show entries changed or removed; the states show the
 * case changed behind the log's back: each entry starts from the state the one
 * before left (the first from nothing), and the last left the state the case
 * is in now (`currentState`, its stateHash, when given).
 */
export function verifyChain(entries: readonly AuditEntry[], currentState?: string): ChainCheck {
  const broken = (entry: AuditEntry, reason: string): ChainCheck => ({ ok: false, entries: entries.length, brokenAt: entry.seq, reason });
  let prev = GENESIS_HASH;
  let state = stateHash(null);
  for (const entry of entries) {
    if (entry.prevHash !== prev) return broken(entry, `entry ${entry.seq} does not point at the entry before it`);
    const { seq: _seq, prevHash: _prev, hash, ...fields } = entry;
    if (chainHash(prev, fields) !== hash) return broken(entry, `entry ${entry.seq} was changed after it was written`);
    if (entry.beforeHash !== state) return broken(entry, `entry ${entry.seq} starts from a state the entry before it did not leave: the case was changed outside the log`);
    prev = hash;
    state = entry.afterHash;
  }
  const last = entries.at(-1);
  if (last && currentState !== undefined && currentState !== state) {
    return broken(last, `the case as stored is not the state entry ${last.seq} left: it was changed outside the log since`);
  }
  return { ok: true, entries: entries.length };
}

/** The hash of a case's whole state (its case-file form), recorded before and after each change. */
export function stateHash(state: unknown): string {
  return sha256Hex(canonicalJson(state));
}
