/**
 * Text with characters the dossier's fonts have no glyph for (a name in
 * Chinese script, say). Drawn anyway, each would become an empty box that
 * reads back as nothing: a quote or a name printed without some of its
 * characters is no longer what the source says, so the render is refused.
 */
export class UnprintableText extends Error {
  constructor(readonly detail: string) {
    super(`the dossier's fonts cannot show ${detail}`);
    this.name = 'UnprintableText';
  }
}

/** `U+5317 北, U+4EAC 京 in "北京"`: the characters and the words they are in. */
export function describeMissing(missing: readonly string[], text: string): string {
  const codes = missing.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} ${c}`);
  return `${codes.join(', ')} in "${text.length > 80 ? `${text.slice(0, 77)}…` : text}"`;
}
