import { CodePointIndex } from '../shared/code-points.ts';
import { findBoilerplate, overlaps, type TextRange } from './boilerplate.ts';
import type { SourceEntry } from './manifest.ts';

/** A verified source: its manifest entry and its exact text. */
export class SourceDocument {
  readonly index: CodePointIndex;
  readonly boilerplate: TextRange[];

  constructor(
    readonly entry: SourceEntry,
    readonly text: string,
  ) {
    this.index = new CodePointIndex(text);
    this.boilerplate = findBoilerplate(text);
  }

  get id(): string {
    return this.entry.id;
  }

  /** The boilerplate line a range touches, if any. */
  boilerplateIn(range: TextRange): TextRange | undefined {
    return this.boilerplate.find((b) => overlaps(b, range));
  }
}
