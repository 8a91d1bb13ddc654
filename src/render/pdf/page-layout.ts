import type { Block, FieldRow } from '../blocks.ts';
import { UnprintableText } from '../unprintable-text.ts';
import { missingGlyphs } from './fonts.ts';
import { breakLines, shortenToFit } from './line-breaker.ts';
import { CONTENT_BOTTOM, CONTENT_WIDTH, PAGE, STYLES, type Style } from './styles.ts';
import { Tagger, type StructureElement } from './tagger.ts';

type HeadingBlock = Extract<Block, { type: 'heading' }>;

/** Whether a block has an entry in the contents and the outline: the one rule for planning the contents and for drawing them. */
export const inContents = (block: Block): block is HeadingBlock => block.type === 'heading' && block.toc;

export interface PlacedHeading {
  text: string;
  level: 1 | 2;
  /** Zero-based page index. */
  page: number;
  destination: string;
}

export interface LayoutOptions {
  /** Only count pages: nothing is drawn, tagged or linked (see renderPdf). */
  planning?: boolean;
  /** Called as each page is finished, before the next begins: what a page carries besides its text. */
  onPageEnd?: (page: number) => void;
}

interface Footnote {
  number: number;
  lines: readonly string[];
  element: StructureElement;
  /** Named destination the footnote links to. */
  link?: string;
}

/** Word widths by font and size; a table starts afresh past MAX_CACHED_WIDTHS words so a long-running service stays bounded. */
const widths = new Map<string, Map<string, number>>();
const MAX_CACHED_WIDTHS = 50_000;

/** Broken lines by style, width and text, shared by the documents of the process like the widths. */
const wrapped = new Map<string, readonly string[]>();

function widthsOf(style: Style): Map<string, number> {
  const key = `${style.font}|${style.size}`;
  let table = widths.get(key);
  if (!table || table.size > MAX_CACHED_WIDTHS) widths.set(key, (table = new Map()));
  return table;
}

const FOOTNOTE_GAP = 10;
const QUOTE_INDENT = 16;
const FIELD_LABEL_WIDTH = 128;

/**
 * Places blocks on pages: line breaking, page breaks without orphans or widows,
 * headings kept with what follows, footnotes at the foot of the page that cites
 * them, the outline, and the structure tree of a tagged PDF. It draws only; what
 * to say was decided before. Planning runs the same placement without drawing,
 * so that page numbers are known before the first page is written.
 */
export class PageLayout {
  private y: number = PAGE.top;
  private page = 0;
  private footnotes: Footnote[] = [];
  private footnoteCount = 0;
  private outlineParent: PDFKit.PDFOutline | undefined;
  readonly headings: PlacedHeading[] = [];
  readonly tagger: Tagger;
  private readonly drawing: boolean;
  private readonly onPageEnd: (page: number) => void;

  /** `doc` is drawn on, or when planning only measured with. */
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    options: LayoutOptions = {},
  ) {
    this.drawing = !options.planning;
    this.onPageEnd = options.onPageEnd ?? (() => {});
    this.tagger = new Tagger(this.drawing ? doc : null);
  }

  /** Pages laid out so far, the current one included. */
  get pageCount(): number {
    return this.page + 1;
  }

  private get bottom(): number {
    const notes = this.footnotesHeight(this.footnotes);
    return CONTENT_BOTTOM - (notes ? notes + FOOTNOTE_GAP : 0);
  }

  private atTop(): boolean {
    return this.y <= PAGE.top + 0.01;
  }

  /**
   * Word widths are cached per font and size, for every document of the process:
   * measuring text is where layout spends its time. A width not yet cached is
   * measured in the document, which switches its current font.
   */
  measure(style: Style): (text: string) => number {
    const table = widthsOf(style);
    return (text) => {
      let w = table.get(text);
      if (w === undefined) {
        // Every word is measured before it is drawn: where a character without a glyph is caught.
        const missing = missingGlyphs(style.font, text);
        if (missing.length) throw UnprintableText.of(missing, text);
        this.doc.font(style.font).fontSize(style.size);
        w = this.doc.widthOfString(text);
        table.set(text, w);
      }
      return w;
    };
  }

  /** A text's lines in a style and width; a document asks for the same ones more than once (to keep blocks together, then to draw them). */
  wrap(text: string, style: Style, width: number): readonly string[] {
    const key = `${style.font}|${style.size}|${width}|${text}`;
    let lines = wrapped.get(key);
    if (!lines) {
      if (wrapped.size > MAX_CACHED_WIDTHS) wrapped.clear();
      wrapped.set(key, (lines = breakLines(text, width, this.measure(style))));
    }
    return lines;
  }

  /** Draws one line of text as content of a structure element. */
  private draw(text: string, x: number, y: number, style: Style, element: StructureElement, tag: string): void {
    this.drawLines([text], x, y, style, element, tag);
  }

  /** Draws lines one under the other as one piece of content of a structure element: one marked sequence, one font and colour setting. */
  private drawLines(lines: readonly string[], x: number, y: number, style: Style, element: StructureElement, tag: string): void {
    // Given each line's width (cached), pdfkit does not lay the line out a second time to measure it.
    const widths = lines.map(this.measure(style));
    this.tagger.mark(element, tag, () => {
      this.doc.font(style.font).fontSize(style.size).fillColor(style.color);
      lines.forEach((line, i) => {
        this.doc.text(line, x, y + i * style.lineHeight, { lineBreak: false, textWidth: widths[i] } as PDFKit.Mixins.TextOptions);
      });
    });
  }

  private rule(x1: number, y1: number, x2: number, y2: number, width: number, color: string): void {
    this.tagger.artifact(() => this.doc.moveTo(x1, y1).lineTo(x2, y2).lineWidth(width).strokeColor(color).stroke());
  }

  /** A link annotation to a named destination, attached to its structure element (@types/pdfkit lacks `structParent`). */
  private linkTo(x: number, y: number, w: number, h: number, destination: string, element: StructureElement): void {
    if (!this.drawing) return;
    this.doc.goTo(x, y, w, h, destination, { structParent: element } as PDFKit.Mixins.AnnotationOption);
  }

  newPage(): void {
    this.flushFootnotes();
    this.onPageEnd(this.page);
    if (this.drawing) this.doc.addPage();
    this.page++;
    this.y = PAGE.top;
  }

  /** Finishes the last page. */
  finish(): void {
    this.flushFootnotes();
    this.onPageEnd(this.page);
  }

  /** Moves to a new page unless `height` still fits on this one. */
  private ensure(height: number): void {
    if (this.y + height > this.bottom && !this.atTop()) this.newPage();
  }

  /** Lays lines out from the current position, splitting across pages with at least two lines on each side. */
  private flow(lines: readonly string[], x: number, style: Style, element: StructureElement, tag: string, onSegment?: (top: number, bottom: number) => void): void {
    let i = 0;
    while (i < lines.length) {
      const fit = Math.floor((this.bottom - this.y) / style.lineHeight);
      const remaining = lines.length - i;
      let n = remaining;
      if (fit < remaining) {
        n = fit;
        if (remaining - n < 2 && remaining >= 3) n = remaining - 2;
        if (n < 2 && remaining >= 2) n = 0;
        if (n <= 0) {
          if (this.atTop()) n = Math.max(1, fit);
          else {
            this.newPage();
            continue;
          }
        }
      }
      const top = this.y;
      this.drawLines(lines.slice(i, i + n), x, top, style, element, tag);
      this.y += n * style.lineHeight;
      onSegment?.(top, this.y);
      i += n;
      if (i < lines.length) this.newPage();
    }
  }

  /** Places blocks in order; a heading or a paragraph marked keepWithNext is never left at the foot of a page. */
  placeAll(blocks: readonly Block[]): void {
    blocks.forEach((block, i) => {
      if (block.type === 'heading' || (block.type === 'paragraph' && block.keepWithNext)) {
        this.ensure(this.keptHeight(blocks, i));
      }
      this.place(block);
    });
  }

  /** The height a block needs with the start of what follows it. */
  private keptHeight(blocks: readonly Block[], i: number): number {
    const block = blocks[i];
    if (!block) return 0;
    const next = () => this.keptHeight(blocks, i + 1);
    switch (block.type) {
      case 'heading': {
        const style = block.level === 1 ? STYLES.heading1 : STYLES.heading2;
        return this.wrap(block.text, style, CONTENT_WIDTH).length * style.lineHeight + 12 + next();
      }
      case 'paragraph': {
        const style = STYLES[block.style];
        const lines = this.wrap(block.text, style, CONTENT_WIDTH - (block.indent ?? 0)).length;
        return block.keepWithNext ? lines * style.lineHeight + next() : Math.min(lines, 2) * style.lineHeight;
      }
      case 'quote': {
        const footnote = this.wrap(block.footnote, STYLES.footnote, CONTENT_WIDTH).length * STYLES.footnote.lineHeight + FOOTNOTE_GAP;
        return 6 + STYLES.caption.lineHeight + 2 * STYLES.quote.lineHeight + footnote;
      }
      case 'fields': {
        const rows = block.keepTogether ? block.rows : block.rows.slice(0, 1);
        return Math.min(rows.reduce((h, row) => h + this.fieldRow(row).height + 4, 0), CONTENT_BOTTOM - PAGE.top);
      }
      case 'list': {
        const style = STYLES[block.style];
        return Math.min(this.wrap(block.items[0] ?? '', style, CONTENT_WIDTH).length, 3) * style.lineHeight;
      }
      case 'space':
      case 'pageBreak':
        return 0;
    }
  }

  place(block: Block): void {
    switch (block.type) {
      case 'heading':
        return this.heading(block);
      case 'paragraph': {
        const style = STYLES[block.style];
        const indent = block.indent ?? 0;
        const element = this.tagger.element('P', undefined, block.lang ? { lang: block.lang } : {});
        this.flow(this.wrap(block.text, style, CONTENT_WIDTH - indent), PAGE.left + indent, style, element, 'P');
        this.y += style.lineHeight * 0.45;
        return;
      }
      case 'quote':
        return this.quote(block);
      case 'fields':
        return this.fields(block.rows);
      case 'list':
        return this.list(block.items, block.numbered, STYLES[block.style]);
      case 'space':
        this.y += block.height;
        return;
      case 'pageBreak':
        if (!this.atTop()) this.newPage();
        return;
    }
  }

  private heading(block: HeadingBlock): void {
    const { text, level, anchor } = block;
    const toc = inContents(block);
    const style = level === 1 ? STYLES.heading1 : STYLES.heading2;
    const tag = level === 1 ? 'H1' : 'H2';
    const lines = this.wrap(text, style, CONTENT_WIDTH);
    if (!this.atTop()) this.y += level === 1 ? 16 : 10;
    this.ensure(lines.length * style.lineHeight + 4);
    // A destination for what links here: its anchor (the sources annex), or its entry in the contents.
    if (anchor || toc) {
      const destination = anchor ?? `section-${this.headings.length + 1}`;
      if (this.drawing) this.doc.addNamedDestination(destination, 'XYZ', PAGE.left, this.y, null);
      if (toc) {
        this.headings.push({ text, level, page: this.page, destination });
        this.addToOutline(text, level);
      }
    }
    this.drawLines(lines, PAGE.left, this.y, style, this.tagger.element(tag), tag);
    this.y += lines.length * style.lineHeight;
    if (level === 1) {
      this.rule(PAGE.left, this.y + 1, PAGE.left + CONTENT_WIDTH, this.y + 1, 0.6, '#999999');
      this.y += 8;
    } else this.y += 4;
  }

  private quote(block: Extract<Block, { type: 'quote' }>): void {
    const caption = STYLES.caption;
    const body = STYLES.quote;
    const x = PAGE.left + QUOTE_INDENT;
    const width = CONTENT_WIDTH - QUOTE_INDENT;
    const lines = this.wrap(block.text, body, width);
    const number = this.footnoteCount + 1;
    const noteLines = this.wrap(`${number} ${block.footnote}`, STYLES.footnote, CONTENT_WIDTH);
    const extra = noteLines.length * STYLES.footnote.lineHeight + (this.footnotes.length ? 0 : FOOTNOTE_GAP);
    this.y += 6;
    if (this.y + caption.lineHeight + Math.min(lines.length, 2) * body.lineHeight + extra > this.bottom && !this.atTop()) this.newPage();

    const element = this.tagger.element('BlockQuote');
    const captionElement = this.tagger.element('P', element);
    const captionLines = this.wrap(block.caption, caption, width - 10);
    captionLines.forEach((line, i) => {
      this.draw(line, x, this.y, caption, captionElement, 'P');
      if (i === captionLines.length - 1) {
        const marker = this.tagger.element('Reference', captionElement);
        // Measured before the marker's font is set: measuring may switch the document's font.
        const markerX = x + this.measure(caption)(line) + 1.5;
        this.tagger.mark(marker, 'Reference', () => {
          this.doc.font('sansBold').fontSize(5.5).fillColor('#555555').text(String(number), markerX, this.y - 1.5, { lineBreak: false });
        });
      }
      this.y += caption.lineHeight;
    });
    this.footnoteCount = number;
    this.footnotes.push({ number, lines: noteLines, element: this.tagger.element('Note', element), ...(block.link ? { link: block.link } : {}) });

    const quoteElement = this.tagger.element('P', element, { lang: block.lang });
    this.flow(lines, x, body, quoteElement, 'P', (top, bottom) => this.rule(PAGE.left + 4, top - 1, PAGE.left + 4, bottom - 3, 2, '#8a9bb0'));
    if (block.note) {
      this.y += 2;
      this.flow(this.wrap(block.note, STYLES.note, width), x, STYLES.note, this.tagger.element('P', element, block.noteLang ? { lang: block.noteLang } : {}), 'P');
    }
    this.y += 6;
  }

  private fieldRow(row: FieldRow) {
    const valueStyle: Style = row.muted ? { ...STYLES.body, font: 'serifItalic', color: '#666666' } : STYLES[row.style ?? 'body'];
    const labelLines = this.wrap(row.label, STYLES.fieldLabel, FIELD_LABEL_WIDTH - 8);
    const valueLines = row.values.flatMap((v) => this.wrap(v, valueStyle, CONTENT_WIDTH - FIELD_LABEL_WIDTH));
    return { labelLines, valueLines, valueStyle, height: Math.max(labelLines.length, valueLines.length) * valueStyle.lineHeight };
  }

  /** Label and value rows, tagged as a table with a header cell per row. */
  private fields(rows: FieldRow[]): void {
    const labelStyle = STYLES.fieldLabel;
    const table = this.tagger.element('Table');
    for (const row of rows) {
      const { labelLines, valueLines, valueStyle, height } = this.fieldRow(row);
      // A row too tall for a page flows; a shorter one is kept together.
      if (height <= CONTENT_BOTTOM - PAGE.top) this.ensure(height);
      const tr = this.tagger.element('TR', table);
      const th = this.tagger.element('TH', tr);
      const td = this.tagger.element('TD', tr);
      const top = this.y;
      this.drawLines(labelLines, PAGE.left, top + 1, labelStyle, th, 'TH');
      this.flow(valueLines, PAGE.left + FIELD_LABEL_WIDTH, valueStyle, td, 'TD');
      this.y = Math.max(this.y, top + labelLines.length * labelStyle.lineHeight) + 4;
    }
  }

  private list(items: string[], numbered: boolean, style: Style): void {
    const hang = numbered ? 22 : 12;
    const list = this.tagger.element('L');
    items.forEach((item, i) => {
      const lines = this.wrap(item, style, CONTENT_WIDTH - hang);
      this.ensure(Math.min(lines.length, 3) * style.lineHeight);
      const li = this.tagger.element('LI', list);
      this.draw(numbered ? `${i + 1}.` : '•', PAGE.left, this.y, style, this.tagger.element('Lbl', li), 'Lbl');
      this.flow(lines, PAGE.left + hang, style, this.tagger.element('LBody', li), 'LBody');
      this.y += style.lineHeight * 0.15;
    });
    this.y += style.lineHeight * 0.4;
  }

  private footnotesHeight(notes: Footnote[]): number {
    return notes.reduce((h, n) => h + n.lines.length * STYLES.footnote.lineHeight, 0);
  }

  /** Writes the current page's footnotes under a short rule at the foot of the text block, each linked to its source in the annex. */
  flushFootnotes(): void {
    if (!this.footnotes.length) return;
    const style = STYLES.footnote;
    let y = CONTENT_BOTTOM - this.footnotesHeight(this.footnotes);
    this.rule(PAGE.left, y - 4, PAGE.left + 120, y - 4, 0.5, '#999999');
    for (const note of this.footnotes) {
      const top = y;
      this.drawLines(note.lines, PAGE.left, y, style, note.element, 'Note');
      y += note.lines.length * style.lineHeight;
      if (note.link) this.linkTo(PAGE.left, top, CONTENT_WIDTH, y - top, note.link, note.element);
    }
    this.footnotes = [];
  }

  /** An outline entry for a heading, on the page being drawn; a second-level one goes under the first-level one before it. */
  private addToOutline(text: string, level: 1 | 2): void {
    if (!this.drawing) return;
    if (level === 2 && this.outlineParent) this.outlineParent.addItem(text);
    else this.outlineParent = this.doc.outline.addItem(text);
  }

  /**
   * Writes the table of contents from the current page on, each entry linked to
   * its heading, over as many pages as it needs. The pages of the entries matter
   * only when drawing: planning counts the contents' pages, which depend only on
   * how many entries there are of each level.
   */
  writeContents(title: string, entries: readonly PlacedHeading[]): void {
    const toc = this.tagger.element('TOC');
    if (this.drawing) this.doc.outline.addItem(title);
    let y = PAGE.top;
    this.draw(title, PAGE.left, y, STYLES.heading1, this.tagger.element('H1', toc), 'H1');
    y += STYLES.heading1.lineHeight + 12;
    for (const heading of entries) {
      const style = heading.level === 1 ? STYLES.toc1 : STYLES.toc2;
      if (y + style.lineHeight > CONTENT_BOTTOM) {
        this.newPage();
        y = PAGE.top;
      }
      const indent = heading.level === 1 ? 0 : 14;
      const pageText = String(heading.page + 1);
      const measure = this.measure(style);
      const numberWidth = measure(pageText);
      const text = shortenToFit(heading.text, CONTENT_WIDTH - indent - numberWidth - 24, measure);
      const link = this.tagger.element('Link', this.tagger.element('TOCI', toc));
      this.draw(text, PAGE.left + indent, y, style, link, 'Link');
      const dotsStart = PAGE.left + indent + measure(text) + 6;
      const dotsEnd = PAGE.left + CONTENT_WIDTH - numberWidth - 6;
      const dots = Math.floor((dotsEnd - dotsStart) / measure('.'));
      if (dots > 0) this.tagger.artifact(() => this.doc.font(style.font).fontSize(style.size).fillColor('#999999').text('.'.repeat(dots), dotsStart, y, { lineBreak: false }));
      this.draw(pageText, PAGE.left + CONTENT_WIDTH - numberWidth, y, style, link, 'Link');
      this.linkTo(PAGE.left + indent, y, CONTENT_WIDTH - indent, style.lineHeight - 2, heading.destination, link);
      y += style.lineHeight;
    }
  }
}
