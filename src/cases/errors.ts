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
