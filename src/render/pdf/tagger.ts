/**
 * The PDF's structure tree, so that screen readers read headings, paragraphs,
 * lists, tables and quotes (each in its language) in order. Every drawn piece of
 * text is marked as content of one structure element; everything else
 * (rules, bars, running header, page numbers, watermark) is an artifact.
 */
export type StructureElement = PDFKit.PDFStructureElement;

export class Tagger {
  readonly root: StructureElement;

  /**
   * With no document the tagger is inert and draws nothing: the layout's
   * planning pass, which only counts pages, goes through the same code.
   */
  constructor(private readonly doc: PDFKit.PDFDocument | null) {
    this.root = doc ? doc.struct('Document') : INERT;
    doc?.addStructure(this.root);
  }

  /** A new element under `parent` (the document by default). */
  element(type: string, parent: StructureElement = this.root, options: { lang?: string } = {}): StructureElement {
    if (!this.doc) return INERT;
    const element = this.doc.struct(type, options);
    parent.add(element);
    return element;
  }

  /** Draws content as part of an element. */
  mark(element: StructureElement, tag: string, draw: () => void): void {
    if (!this.doc) return;
    const content = this.doc.markStructureContent(tag);
    draw();
    this.doc.endMarkedContent();
    element.add(content);
  }

  /** Draws what is not part of the text: rules, bars, furniture. */
  artifact(draw: () => void, type: 'Layout' | 'Pagination' = 'Layout'): void {
    if (!this.doc) return;
    this.doc.markContent('Artifact', { type });
    draw();
    this.doc.endMarkedContent();
  }
}

/** What an inert tagger hands out: nothing is ever added to it. */
const INERT = Object.freeze({}) as StructureElement;
