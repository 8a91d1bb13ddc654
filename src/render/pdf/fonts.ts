import { create, type Font } from 'fontkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ttf = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`);

/**
 * DejaVu covers every character of the sources (é œ « » ’ – • and the no-break
 * space), and an embedded TrueType font is what PDF/A and any reader need.
 */
export const FONTS = {
  serif: ttf('DejaVuSerif'),
  serifItalic: ttf('DejaVuSerif-Italic'),
  sans: ttf('DejaVuSans'),
  sansBold: ttf('DejaVuSans-Bold'),
  sansOblique: ttf('DejaVuSans-Oblique'),
  mono: ttf('DejaVuSansMono'),
} as const;
export type FontName = keyof typeof FONTS;

/** pdfkit's word layouts of one font: glyphs and positions of each word it has shaped. */
type LayoutCache = Record<string, unknown>;

/** Past this many words a font's cache starts afresh, so a long-running service stays bounded. */
const MAX_CACHED_WORDS = 50_000;

/**
 * Parsing a font's tables and shaping a word (OpenType substitution and
 * kerning) is where rendering spends its time, and both give the same result
 * in every document. So each font is opened once per process and pdfkit's
 * per-document word-layout cache is shared by all the documents of the process.
 */
const opened = new Map<FontName, { font: Font; layouts: LayoutCache }>();

function openFont(name: FontName): { font: Font; layouts: LayoutCache } {
  let entry = opened.get(name);
  if (!entry) {
    entry = { font: create(readFileSync(FONTS[name])) as Font, layouts: Object.create(null) as LayoutCache };
    opened.set(name, entry);
  }
  if (Object.keys(entry.layouts).length > MAX_CACHED_WORDS) entry.layouts = Object.create(null) as LayoutCache;
  return entry;
}

/** The part of pdfkit's embedded font this module relies on; @types/pdfkit does not describe it. */
interface EmbeddedFontInternals {
  layoutCache?: LayoutCache;
}

/**
 * Registers the DejaVu fonts with a document, each backed by the process's
 * parsed font and its shared word layouts (pdfkit accepts a fontkit font as
 * a source; its layout cache is an ordinary field set when the font is first used).
 */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  const fonts = doc as unknown as { _fontFamilies: Record<string, EmbeddedFontInternals> };
  for (const name of Object.keys(FONTS) as FontName[]) {
    const { font, layouts } = openFont(name);
    // @types/pdfkit only knows paths and buffers; pdfkit itself takes any object with `layout`.
    doc.registerFont(name, font as unknown as string);
    doc.font(name);
    const embedded = fonts._fontFamilies[name];
    if (embedded?.layoutCache) embedded.layoutCache = layouts;
  }
}
