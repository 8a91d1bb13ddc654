import PDFDocument from 'pdfkit';
import type { ComposedDocument } from '../blocks.ts';
import { batchPageContent } from './content-stream.ts';
import { registerFonts } from './fonts.ts';
import { inContents, PageLayout, type PlacedHeading } from './page-layout.ts';
import { CONTENT_WIDTH, PAGE, STYLES } from './styles.ts';
import type { Tagger } from './tagger.ts';

export interface RenderOptions {
  /** The PDF's creation date. With the same content and date the bytes are the same: pdfkit derives the file ID from the info. */
  createdAt: Date;
}

/**
 * Lays a composed document out as a tagged PDF/A-3b: cover, contents, body,
 * with running header, page numbers and watermark on every page as artifacts,
 * the outline, and the attached files (evidence.json) as associated files.
 *
 * The layout runs twice: a planning pass that draws nothing finds the page of
 * every heading and the number of pages, then the drawing pass writes each page
 * as soon as it is full. No page's content is kept to the end (only the
 * structure tree, links and outline are); drawing after planning costs
 * little, since line breaks and word widths are cached.
 */
export async function renderPdf(composed: ComposedDocument, { createdAt }: RenderOptions): Promise<Buffer> {
  const { meta } = composed;
  const doc = new CollectedDocument({
    size: 'A4',
    margin: 0,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    tagged: true,
    lang: meta.lang,
    displayTitle: true,
    // No ModDate: pdfkit's XMP has no modify date, and PDF/A wants the two to agree.
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject,
      Keywords: meta.keywords,
      Creator: 'sanctions-dossier',
      CreationDate: createdAt,
    },
  });
  registerFonts(doc);
  batchPageContent(doc);
  doc.on('pageAdded', () => batchPageContent(doc));

  // Planning lists the headings to come; their pages, unknown yet, do not change how many pages the contents take.
  const entries: PlacedHeading[] = [...composed.cover, ...composed.body].filter(inContents).map((b) => ({ text: b.text, level: b.level, page: 0, destination: '' }));
  const plan = new PageLayout(doc, { planning: true });
  layOut(plan, composed, entries);

  const layout = new PageLayout(doc, { onPageEnd: (page) => decoratePage(doc, layout.tagger, composed, page, plan.pageCount) });
  layOut(layout, composed, plan.headings);
  if (layout.pageCount !== plan.pageCount || layout.headings.some((h, i) => h.page !== plan.headings[i]?.page)) {
    // The contents and the "page n of N" were written from the plan: they would be wrong.
    throw new Error('the drawn layout differs from its plan');
  }

  for (const file of composed.attachments) {
    doc.file(Buffer.from(file.content, 'utf8'), {
      name: file.name,
      type: file.mimeType,
      description: file.description,
      relationship: 'Data',
      creationDate: createdAt,
      modifiedDate: createdAt,
      // pdfkit writes the AFRelationship of a PDF/A-3 associated file; @types/pdfkit does not know the option.
    } as PDFKit.Mixins.PDFAttachmentOptions);
  }
  doc.end();
  return doc.bytes();
}

/** Cover, contents, body: the same sequence for planning and drawing. */
function layOut(layout: PageLayout, composed: ComposedDocument, contents: readonly PlacedHeading[]): void {
  layout.placeAll(composed.cover);
  layout.newPage();
  layout.writeContents(composed.contentsTitle, contents);
  layout.newPage();
  layout.placeAll(composed.body);
  layout.finish();
}

const PdfKitDocument = PDFDocument as unknown as new (options: PDFKit.PDFDocumentOptions) => PDFKit.PDFDocument;

/**
 * A pdfkit document that gathers its own bytes. pdfkit's document is a
 * Readable stream, read only once the render (which is synchronous) has given
 * the event loop a turn: every piece of the file would wait in the stream's
 * buffer, tens of thousands of them, and the stream's pending callbacks would
 * keep whole documents alive while renders follow one another without a turn.
 * pdfkit hands each piece to push(), the header first (in its constructor) and
 * null at the end; here they go straight to a collector.
 */
class CollectedDocument extends PdfKitDocument {
  // Declared only: push() runs inside the base constructor, before fields would be initialised.
  declare private collected: ByteCollector | undefined;
  declare private written: Buffer | undefined;
  declare private onWritten: ((file: Buffer) => void) | undefined;

  override push(chunk: Uint8Array | null): boolean {
    this.collected ??= new ByteCollector();
    if (chunk) this.collected.push(chunk);
    else {
      this.written = this.collected.bytes();
      this.onWritten?.(this.written);
    }
    return true;
  }

  /** The whole file, once end() has written it. */
  bytes(): Promise<Buffer> {
    return this.written ? Promise.resolve(this.written) : new Promise((resolve) => (this.onWritten = resolve));
  }
}

/**
 * The document's bytes as pdfkit emits them: tens of thousands of small pieces
 * (each object is written in five or six), gathered into one buffer per
 * quarter megabyte as they come rather than all kept to the end.
 */
class ByteCollector {
  private readonly full: Buffer[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  push(chunk: Uint8Array): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= 256 * 1024) this.gather();
  }

  bytes(): Buffer {
    this.gather();
    return this.full.length === 1 ? this.full[0]! : Buffer.concat(this.full);
  }

  private gather(): void {
    if (this.pending.length) this.full.push(Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** What a page carries besides its text: watermark, running header (not on the cover), page number. */
function decoratePage(doc: PDFKit.PDFDocument, tagger: Tagger, composed: ComposedDocument, page: number, pages: number): void {
  const header = STYLES.header;
  if (composed.watermark) {
    const mark = composed.watermark;
    tagger.artifact(() => {
      doc.save();
      doc.rotate(-52, { origin: [PAGE.width / 2, PAGE.height / 2] });
      doc.font('sansBold').fontSize(120).fillColor('#b22222').fillOpacity(0.07);
      doc.text(mark, PAGE.width / 2 - doc.widthOfString(mark) / 2, PAGE.height / 2 - 60, { lineBreak: false });
      doc.restore();
    });
  }
  tagger.artifact(() => {
    doc.fillOpacity(1).font(header.font).fontSize(header.size).fillColor(header.color);
    if (page > 0) {
      const [left, right] = composed.header;
      doc.text(left, PAGE.left, PAGE.headerY, { lineBreak: false });
      doc.text(right, PAGE.left + CONTENT_WIDTH - doc.widthOfString(right), PAGE.headerY, { lineBreak: false });
      doc.moveTo(PAGE.left, PAGE.headerY + 13).lineTo(PAGE.left + CONTENT_WIDTH, PAGE.headerY + 13).lineWidth(0.4).strokeColor('#bbbbbb').stroke();
    }
    const label = composed.pageLabel(page + 1, pages);
    doc.text(label, PAGE.width / 2 - doc.widthOfString(label) / 2, PAGE.footerY, { lineBreak: false });
  }, 'Pagination');
}
