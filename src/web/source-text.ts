import { CodePointIndex } from '../shared/code-points.ts';

/** A range of a source in code points, end exclusive, as excerpts and suggestions are anchored. */
export interface Span {
  id: string;
  start: number;
  end: number;
}

export type Piece =
  | { kind: 'text'; text: string }
  /** Text quoted by one or more excerpts; `starts` are those that begin here (their anchors). */
  | { kind: 'excerpt'; text: string; excerpts: string[]; starts: string[]; current: boolean }
  | { kind: 'suggestion'; text: string; suggestion: string };

/**
 * Cuts a source's text into what a reader sees: plain text, quoted passages
 * (where excerpts overlap, one piece per stretch, naming every excerpt on it)
 * and suggested passages. A suggestion that overlaps an excerpt or an earlier
 * suggestion is left out of the text and returned in `apart`, so nothing is
 * hidden and no passage is drawn twice.
 */
export function sourcePieces(text: string, excerpts: readonly Span[], suggestions: readonly Span[], current?: string): { pieces: Piece[]; apart: string[] } {
  const index = new CodePointIndex(text);
  const clamp = (n: number) => Math.max(0, Math.min(n, index.length));
  const quoted = excerpts.map((e) => ({ ...e, start: clamp(e.start), end: clamp(e.end) })).filter((e) => e.start < e.end);
  const inline: Span[] = [];
  const apart: string[] = [];
  for (const s of [...suggestions].sort((a, b) => a.start - b.start)) {
    const start = clamp(s.start);
    const end = clamp(s.end);
    const overlaps = (o: { start: number; end: number }) => o.start < end && start < o.end;
    if (start >= end || quoted.some(overlaps) || inline.some(overlaps)) apart.push(s.id);
    else inline.push({ id: s.id, start, end });
  }
  const cuts = new Set<number>([0, index.length]);
  for (const span of [...quoted, ...inline]) cuts.add(span.start).add(span.end);
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    const piece = index.slice(start, end);
    const suggestion = inline.find((s) => s.start <= start && end <= s.end);
    const covering = quoted.filter((e) => e.start <= start && end <= e.end);
    if (suggestion) pieces.push({ kind: 'suggestion', text: piece, suggestion: suggestion.id });
    else if (covering.length) {
      pieces.push({
        kind: 'excerpt',
        text: piece,
        excerpts: covering.map((e) => e.id),
        starts: covering.filter((e) => e.start === start).map((e) => e.id),
        current: current !== undefined && covering.some((e) => e.id === current),
      });
    } else pieces.push({ kind: 'text', text: piece });
  }
  return { pieces, apart };
}
