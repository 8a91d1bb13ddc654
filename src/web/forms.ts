import type { z } from 'zod';
import { CaseError } from '../cases/errors.ts';
import { KIND_STATUS } from '../http/refusals.ts';
import { ProblemsError } from '../shared/problems.ts';
import type { Text } from './context.ts';

/** A form body as @fastify/formbody parses it: a name given twice is an array. */
export type FormBody = Record<string, string | string[] | undefined>;

export const formBody = (body: unknown): FormBody => (body && typeof body === 'object' ? (body as FormBody) : {});

/** One value of a field (the first if repeated); empty when absent or not text. */
export function field(body: FormBody, name: string): string {
  const value: unknown = body[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** Every value of a repeated field (checkboxes). */
export function fields(body: FormBody, name: string): string[] {
  const value = body[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A text field as the domain's schemas want it: absent when left blank. */
export const optional = (value: string): string | undefined => (value.trim() === '' ? undefined : value);

/** What went wrong with a form, for the page that shows it again: one message per field, and messages about the whole form. */
export interface FormErrors {
  fields: Record<string, string>;
  form: Array<{ message: string; detail?: string }>;
}

export const noErrors = (): FormErrors => ({ fields: {}, form: [] });

/** The form's errors in plain words: each schema issue under the form field it came from. */
export function fieldErrors(error: z.ZodError, text: Text, fieldOf: (path: PropertyKey[]) => string): FormErrors {
  const errors = noErrors();
  for (const issue of error.issues) {
    const name = fieldOf(issue.path);
    if (errors.fields[name]) continue;
    const details = issue as { minimum?: unknown; maximum?: unknown; origin?: string };
    if (issue.code === 'too_small' && details.origin === 'string') errors.fields[name] = text.t('errors.field.required');
    else if (issue.code === 'too_small' && details.origin === 'array') errors.fields[name] = text.t('errors.field.choose_one');
    else if (issue.code === 'too_big' && details.origin === 'string') errors.fields[name] = text.t('errors.field.too_long', { max: Number(details.maximum) });
    else errors.fields[name] = text.t('errors.field.invalid');
  }
  return errors;
}

/**
 * A refusal of the case rules, for the page: its status and a sentence in the
 * page's language. Codes without a sentence of their own get a general one with
 * the rules' own explanation (in English) as detail. Anything else is not the
 * user's doing and is left to the error handler.
 */
export function refusal(error: unknown, text: Text): { status: number; errors: FormErrors } | undefined {
  if (error instanceof CaseError) {
    const key = `errors.case.${error.code}`;
    const specific = text.has(key);
    return {
      status: KIND_STATUS[error.kind],
      errors: { fields: {}, form: [specific ? { message: text.t(key) } : { message: text.t('errors.refused'), detail: error.message }] },
    };
  }
  if (error instanceof ProblemsError) {
    return { status: 422, errors: { fields: {}, form: [{ message: text.t('errors.invalid_content'), detail: error.problems.map((p) => p.message).join('; ') }] } };
  }
  return undefined;
}
