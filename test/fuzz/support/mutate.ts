import fc from 'fast-check';
import { dangerousKey, hostileNumber, hostileString, hostileValue, withKey } from './hostile.ts';

/** One change to a valid document (a request body, a case file): where, and what. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every place in a value where a mutation can happen: the root and each field or item below it. */
export function pathsOf(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  const here = [path];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => pathsOf(item, [...path, i]))];
  if (value && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...path, k]))];
  return here;
}

/** `same-kind` replaces a string by a hostile string, a number by a hostile number: it passes type checks and reaches the rules. */
export type Mutation = { op: 'replace'; value: unknown } | { op: 'same-kind'; text: string; number: number } | { op: 'remove' } | { op: 'add'; key: string; value: unknown } | { op: 'wrap' };

/** The value at `path`. */
export function at(root: unknown, path: Array<string | number>): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)?.[key], root);
}

/** A copy of `root` with one mutation at `path`. */
export function mutate(root: unknown, path: Array<string | number>, mutation: Mutation): unknown {
  const apply = (value: unknown): unknown => {
    switch (mutation.op) {
      case 'replace':
        return mutation.value;
      case 'same-kind':
        if (typeof value === 'string') return mutation.text;
        if (typeof value === 'number') return mutation.number;
        if (Array.isArray(value)) return [...value, mutation.text];
        return typeof value === 'boolean' ? mutation.text : mutation.number;
      case 'wrap':
        return [value];
      case 'add':
        return value && typeof value === 'object' && !Array.isArray(value) ? withKey(value as Record<string, unknown>, mutation.key, mutation.value) : [value, mutation.value];
      case 'remove':
        return undefined;
    }
  };
  const walk = (value: unknown, depth: number): unknown => {
    if (depth === path.length) return apply(value);
    const key = path[depth]!;
    if (Array.isArray(value)) {
      const copy = value.map((item, i) => (i === key ? walk(item, depth + 1) : item));
      return copy.filter((item) => item !== undefined);
    }
    const record = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      const next = k === key ? walk(v, depth + 1) : v;
      if (next !== undefined) Object.defineProperty(result, k, { value: next, enumerable: true, configurable: true, writable: true });
    }
    return result;
  };
  return walk(root, 0);
}

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: hostileValue.map((value) => ({ op: 'replace' as const, value })) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('same-kind' as const), text: hostileString, number: hostileNumber }) },
  { weight: 2, arbitrary: fc.constant({ op: 'remove' as const }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('add' as const), key: fc.oneof(dangerousKey, fc.string({ maxLength: 12 })), value: hostileValue }) },
  { weight: 1, arbitrary: fc.constant({ op: 'wrap' as const }) },
);

