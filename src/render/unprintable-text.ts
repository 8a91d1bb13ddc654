import { codePointLabel } from '../shared/code-points.ts';
import { graphemesOf } from '../shared/text-units.ts';

/** Where text could not be shown: the characters without a glyph (`U+5317 北`) and the words they are in, shortened. */
export interface UnprintableDetail {
  characters: string[];
  text: string;
}

/**
 * Text with characters the dossier's fonts have no glyph for (a name in
 * Chinese script, say). Drawn anyway, each would become an empty box that
 * reads back as nothing: a quote or a name printed without some of its
 * characters is no longer what the source says, so the render is refused.
 * It carries the characters and the words as data, so that a page can name
 * them in its reader's language; `message` names them in English.
 */
export class UnprintableText extends Error {
  constructor(readonly unprintable: UnprintableDetail) {
    super(`the dossier's fonts cannot show ${unprintable.characters.join(', ')} in "${unprintable.text}"`);
    this.name = 'UnprintableText';
  }

  /** The refusal of `text`, whose `missing` characters have no glyph; a long text is cut after 77 characters as a reader sees them. */
  static of(missing: readonly string[], text: string): UnprintableText {
    const pieces = graphemesOf(text);
    return new UnprintableText({
      characters: missing.map(codePointLabel),
      text: pieces.length > 80 ? `${pieces.slice(0, 77).join('')}…` : text,
    });
  }
}
