import { create, type Font } from 'fontkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ttf = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`);

/**
 * DejaVu covers every character of the sources (é œ « » ’ – • and the no-break
 * space), Greek and Cyrillic, and an embedded TrueType font is what PDF/A and
 * any reader need. What it lacks (Chinese script, say) is refused by name
 * (`missingGlyphs`, UnprintableText), never drawn as an empty box.
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

/** What pdfkit reads of a shaped word; fontkit's run also carries its script, language and a copy of its features. */
interface ShapedWord {
  glyphs: unknown[];
  positions: GlyphPosition[];
  advanceWidth: number;
}
interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

/** Past this many words a font's layouts start afresh (at the next document), so a long-running service stays bounded. */
const MAX_CACHED_WORDS = 20_000;

/**
 * A font's word layouts, shared by the documents of the process. pdfkit reads
 * and writes them as a plain object; each word is kept as what pdfkit reads of
 * it, with its width summed once, and its glyph positions shared with every
 * other word that places a glyph the same way (pdfkit only reads them): a
 * fifth of the memory of fontkit's runs.
 */
class WordLayouts {
  private store: LayoutCache = Object.create(null) as LayoutCache;
  private size = 0;
  private readonly positions = new Map<string, GlyphPosition>();

  private shared(p: GlyphPosition): GlyphPosition {
    const key = `${p.xAdvance} ${p.yAdvance} ${p.xOffset} ${p.yOffset} ${p.advanceWidth}`;
    let position = this.positions.get(key);
    if (!position) this.positions.set(key, (position = { xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset, advanceWidth: p.advanceWidth }));
    return position;
  }

  /** The object pdfkit uses as its layout cache for one document. */
  forDocument(): LayoutCache {
    if (this.size > MAX_CACHED_WORDS) {
      this.store = Object.create(null) as LayoutCache;
      this.size = 0;
      this.positions.clear();
    }
    return new Proxy(this.store, {
      set: (store, word: string, run: ShapedWord) => {
        if (!(word in store)) this.size++;
        store[word] = { glyphs: run.glyphs, positions: run.positions.map((p) => this.shared(p)), advanceWidth: run.advanceWidth } satisfies ShapedWord;
        return true;
      },
    });
  }
}

/** Embedded font programs of one font by the glyphs they hold, in order: the same glyphs give the same bytes. */
type ProgramCache = Map<string, Uint8Array>;
const MAX_CACHED_PROGRAMS = 16;

/**
 * Parsing a font's tables and shaping a word (OpenType substitution and
 * kerning) is where rendering spends its time, and both give the same result
 * in every document. So each font is opened once per process and pdfkit's
 * per-document word-layout cache is shared by all the documents of the process.
 */
interface OpenedFont {
  font: Font;
  layouts: WordLayouts;
  programs: ProgramCache;
}
const opened = new Map<FontName, OpenedFont>();

function openFont(name: FontName): OpenedFont {
  let entry = opened.get(name);
  if (!entry) {
    entry = { font: create(readFileSync(FONTS[name])) as Font, layouts: new WordLayouts(), programs: new Map() };
    opened.set(name, entry);
  }
  if (entry.programs.size > MAX_CACHED_PROGRAMS) entry.programs.clear();
  return entry;
}

/** The characters of `text` that font `name` has no glyph for, each once; white space is laid out, never drawn. */
export function missingGlyphs(name: FontName, text: string): string[] {
  const { font } = openFont(name);
  const missing = new Set<string>();
  for (const character of text) {
    if (!/\s/u.test(character) && !font.hasGlyphForCodePoint(character.codePointAt(0)!)) missing.add(character);
  }
  return [...missing];
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
    if (embedded.layoutCache) embedded.layoutCache = layouts.forDocument();
    reuseSubsetPrograms(embedded, programs);
  }
}
