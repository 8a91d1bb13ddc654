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

/** Embedded font programs of one font by the glyphs they hold, in order: the same glyphs give the same bytes. */
type ProgramCache = Map<string, Uint8Array>;
const MAX_CACHED_PROGRAMS = 16;

/** Past this many words a font's cache starts afresh, so a long-running service stays bounded. */
const MAX_CACHED_WORDS = 50_000;

/**
 * Parsing a font's tables and shaping a word (OpenType substitution and
 * kerning) is where rendering spends its time, and both give the same result
 * in every document. So each font is opened once per process and pdfkit's
 * per-document word-layout cache is shared by all the documents of the process.
 */
interface OpenedFont {
  font: Font;
  layouts: LayoutCache;
  programs: ProgramCache;
}
const opened = new Map<FontName, OpenedFont>();

function openFont(name: FontName): OpenedFont {
  let entry = opened.get(name);
  if (!entry) {
    entry = { font: create(readFileSync(FONTS[name])) as Font, layouts: Object.create(null) as LayoutCache, programs: new Map() };
    opened.set(name, entry);
  }
  if (Object.keys(entry.layouts).length > MAX_CACHED_WORDS) entry.layouts = Object.create(null) as LayoutCache;
  if (entry.programs.size > MAX_CACHED_PROGRAMS) entry.programs.clear();
  return entry;
}

/** The parts of pdfkit's embedded font (and of its fontkit subset) this module relies on; @types/pdfkit does not describe them. */
interface EmbeddedFontInternals {
  layoutCache?: LayoutCache;
  subset?: { glyphs: number[]; encode(): Uint8Array };
}

/** Subsetting a font (the program of the glyphs a document uses) is the other costly step; a dossier rendered again uses the same glyphs. */
function reuseSubsetPrograms(embedded: EmbeddedFontInternals, programs: ProgramCache): void {
  const subset = embedded.subset;
  if (!subset) return;
  const encode = subset.encode.bind(subset);
  subset.encode = () => {
    const key = subset.glyphs.join(',');
    let program = programs.get(key);
    if (!program) programs.set(key, (program = encode()));
    return program;
  };
}

/**
 * Registers the DejaVu fonts with a document, each backed by the process's
 * parsed font, its shared word layouts and its subset programs (pdfkit accepts
 * a fontkit font as a source; its layout cache and subset are ordinary fields
 * set when the font is first used).
 */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  const fonts = doc as unknown as { _fontFamilies: Record<string, EmbeddedFontInternals> };
  for (const name of Object.keys(FONTS) as FontName[]) {
    const { font, layouts, programs } = openFont(name);
    // @types/pdfkit only knows paths and buffers; pdfkit itself takes any object with `layout`.
    doc.registerFont(name, font as unknown as string);
    doc.font(name);
    const embedded = fonts._fontFamilies[name];
    if (!embedded) continue;
    if (embedded.layoutCache) embedded.layoutCache = layouts;
    reuseSubsetPrograms(embedded, programs);
  }
}
