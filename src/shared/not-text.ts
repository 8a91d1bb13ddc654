import type { Problem } from './problems.ts';

/**
 * Where in a parsed body a string holds NUL or an unpaired surrogate, at most
 * `limit` places: neither is text, and PostgreSQL cannot store NUL. JSON bodies
 * and web forms are checked alike, so what one door refuses the other does too.
 */
export function notTextProblems(value: unknown, path: string, limit = 20): Problem[] {
  const problems: Problem[] = [];
  const visit = (item: unknown, at: string): void => {
    if (problems.length >= limit) return;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) problems.push({ code: 'not_text', path: at, message: 'contains a NUL character' });
      else if (!item.isWellFormed()) problems.push({ code: 'not_text', path: at, message: 'contains an unpaired surrogate: not Unicode text' });
    } else if (Array.isArray(item)) {
      item.forEach((element, i) => visit(element, `${at}[${i}]`));
    } else if (item && typeof item === 'object') {
      for (const [key, element] of Object.entries(item)) {
        if (problems.length >= limit) return;
        if (key.includes('\u0000') || !key.isWellFormed()) problems.push({ code: 'not_text', path: at, message: 'a field name is not text' });
        else visit(element, `${at}.${key}`);
      }
    }
  };
  visit(value, path);
  return problems;
}
