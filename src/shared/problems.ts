import type { z } from 'zod';

/** One thing wrong with an input, addressed by its path so that every problem can be reported at once. */
export interface Problem {
  code: string;
  path: string;
  message: string;
}

/** Raised with every problem found, never just the first. */
export class ProblemsError extends Error {
  constructor(
    readonly what: string,
    readonly problems: Problem[],
  ) {
    super(`${what}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${formatProblems(problems)}`);
    this.name = 'ProblemsError';
  }
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `  - ${p.path || '(root)'}: ${p.message} [${p.code}]`).join('\n');
}

export function pathToString(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

export function zodProblems(error: z.ZodError, prefix = ''): Problem[] {
  return error.issues.map((issue) => ({
    code: issue.code,
    path: joinPath(prefix, pathToString(issue.path)),
    message: issue.message,
  }));
}

export function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.path.localeCompare(b.path, 'en') || a.code.localeCompare(b.code, 'en'));
}
