/**
 * Offsets in this project count Unicode code points (as W3C TextPositionSelector
 * asks), while JavaScript strings index UTF-16 units. This index converts both ways
 * in O(1) after one pass over the text.
 */
export class CodePointIndex {
  /** utf16Offsets[k] is the UTF-16 offset of code point k; the last entry is text.length. */
  private readonly utf16Offsets: Uint32Array;
  readonly length: number;

  constructor(readonly text: string) {
    const offsets = new Uint32Array(text.length + 1);
    let k = 0;
    for (let i = 0; i < text.length; k++) {
      offsets[k] = i;
      const code = text.charCodeAt(i);
      i += code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
    }
    offsets[k] = text.length;
    this.length = k;
    this.utf16Offsets = offsets.subarray(0, k + 1);
  }

  toUtf16(codePoint: number): number {
    return this.utf16Offsets[Math.max(0, Math.min(codePoint, this.length))]!;
  }

  /** The code point at or after this UTF-16 offset (binary search). */
  toCodePoint(utf16: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.utf16Offsets[mid]! < utf16) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Code points start..end, end exclusive; clipped to the text (a context before or after may run past its ends). */
  slice(start: number, end: number): string {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }

  /** The text a position names: code points start..end, or undefined when the position is not inside the text. */
  at(start: number, end: number): string | undefined {
    return Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= this.length ? this.slice(start, end) : undefined;
  }
}

/** A character as a reader can look it up: `U+5317 北`; `U+0007` for one that shows nothing. */
export const codePointLabel = (character: string): string => {
  const code = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  // A control, format or space character shown as itself would show nothing, or break the message's line.
  return /[\p{C}\p{Z}]/u.test(character) ? code : `${code} ${character}`;
};

export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
