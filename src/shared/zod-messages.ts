import { z } from 'zod';

/**
 * zod's words for a value that is not there: "expected string, received
 * undefined" becomes "required". Set once per process by the entry points that
 * answer people (the HTTP app, the commands), since zod's configuration is global.
 */
export function sayMissingValuesAreRequired(): void {
  z.config({ customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? `required (a ${issue.expected})` : undefined) });
}
