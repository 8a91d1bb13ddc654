/**
 * The ways a request on a case can be refused, each with a stable code. The HTTP
 * layer maps `kind` to a status and `code` to a problem type; the CLI prints the message.
 */
export type CaseErrorKind = 'not_found' | 'conflict' | 'forbidden' | 'unprocessable';

export class CaseError extends Error {
  constructor(
    readonly kind: CaseErrorKind,
    readonly code: string,
    message: string,
    /** Extra members of the problem document, e.g. the existing signature of a conflict. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CaseError';
  }
}

export const notFound = (what: string, id: string) => new CaseError('not_found', `${what}-not-found`, `there is no ${what} "${id}"`);

/**
 * A write refused by a uniqueness rule of the store: another writer (perhaps in
 * another process) stored the same signer, idempotency key, id or hash first.
 * The store raises it in place of its driver's error; a transaction that meets it
 * is run again, and then sees what the other writer stored (a 409 or a replay).
 */
export class UniqueViolation extends CaseError {
  constructor(
    /** The constraint or index that refused the write, as the database names it. */
    readonly constraint: string,
  ) {
    super('conflict', 'concurrent-change', 'the change collides with one stored at the same moment; send it again');
    this.name = 'UniqueViolation';
  }
}
