import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Problem } from '../shared/problems.ts';
import { sha256Hex } from '../shared/hash.ts';

/** What a bearer token may do: editors write cases, reviewers approve them, partners sign. */
export const Role = z.enum(['editor', 'reviewer', 'partner']);
export type Role = z.infer<typeof Role>;

/** Every bearer token starts with this, so that a leaked one is recognisable (and can be found by secret scanners). */
export const TOKEN_PREFIX = 'dsr_';

/** A new secret: 32 random bytes, base64url, prefixed `dsr_`. It is shown once and stored only as its hash. */
export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The SHA-256 (hex) under which a token is stored and looked up. */
export function hashToken(token: string): string {
  return sha256Hex(token);
}

/**
 * Who is calling, as established by a bearer token. A partner token is bound to
 * exactly one organisation or one independent expert (`person`), never both;
 * an editor or reviewer token may name the person who holds it, never an
 * organisation: the audit log then names that person, and a reviewer's
 * approvals count once however many tokens name them.
 */
export interface Principal {
  tokenId: string;
  role: Role;
  organisation?: string;
  person?: string;
}

/** What a token is bound to, as asked for when it is created. */
export interface TokenBinding {
  role: string;
  organisation?: string | undefined;
  person?: string | undefined;
}

/**
 * A name as a token keeps it: NFC, without invisible format characters (zero
 * widths, direction marks), each run of spaces, line breaks and control
 * characters one space, trimmed; undefined when nothing is left. Two names that
 * look the same are then the same text, in the audit log and where approvals
 * and signatures are told apart.
 */
export function cleanName(name: string | undefined): string | undefined {
  return name?.normalize('NFC').replace(/\p{Cf}+/gu, '').replace(/[\s\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim() || undefined;
}

/** What a token id looks like: a person named so could not be told from an unnamed token in the audit log. */
const TOKEN_ID = /^tok_[0-9a-f]{12}$/;

/**
 * Every problem with a token's role and binding: the role must be known, a partner
 * needs exactly one of organisation or person, editors and reviewers may name a
 * person and no organisation. Names are compared as cleanName leaves them; an
 * empty name counts as none, and a name needs a letter or a digit.
 */
export function bindingProblems(binding: TokenBinding): Problem[] {
  const role = Role.safeParse(binding.role);
  if (!role.success) {
    return [{ code: 'invalid_role', path: 'role', message: `"${binding.role}" is not a role: use ${Role.options.join(', ')}` }];
  }
  const organisation = cleanName(binding.organisation);
  const person = cleanName(binding.person);
  const problems: Problem[] = [];
  for (const [path, name] of [['organisation', organisation], ['person', person]] as const) {
    // A name given blank is a mistake to name, not a token left unnamed.
    if (binding[path] !== undefined && name === undefined) problems.push({ code: 'invalid_name', path, message: 'the name is empty' });
    if (name !== undefined && !/[\p{L}\p{N}]/u.test(name)) problems.push({ code: 'invalid_name', path, message: `a name needs a letter or a digit; "${name}" has none` });
    if (name !== undefined && TOKEN_ID.test(name)) problems.push({ code: 'invalid_name', path, message: `"${name}" is a token id, not a name` });
  }
  if (role.data === 'partner') {
    if (organisation === undefined && person === undefined) {
      problems.push({ code: 'missing_binding', path: 'organisation', message: 'a partner token needs an organisation or a person (exactly one)' });
    } else if (organisation !== undefined && person !== undefined) {
      problems.push({ code: 'ambiguous_binding', path: 'person', message: 'a partner token is bound to one organisation or one person, not both' });
    }
  } else if (organisation !== undefined) {
    problems.push({ code: 'unexpected_binding', path: 'organisation', message: `${role.data} tokens are bound to no organisation (only to the person who holds one)` });
  }
  return problems;
}

/**
 * A label for logs and the audit trail, e.g. `partner:Access Now`,
 * `reviewer:Jane Doe`, or `editor:tok_ab12cd34ef56` for a token that names no
 * one; never the secret. It is also who a reviewer is when approvals are counted.
 */
export function principalLabel(p: Principal): string {
  const who = p.organisation ?? p.person ?? p.tokenId;
  // Control characters (a newline in a name) could forge log lines.
  return `${p.role}:${who.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')}`;
}
