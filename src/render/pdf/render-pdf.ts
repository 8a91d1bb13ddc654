import PDFDocument from 'pdfkit';
import type { ComposedDocument } from '../blocks.ts';
import { batchPageContent } from './content-stream.ts';
import { PageLayout } from './page-layout.ts';
import { CONTENT_WIDTH, PAGE, STYLES } from './styles.ts';

export interface RenderOptions {
  /** The PDF's creation date. With the same content and date the bytes are the same: pdfkit derives the file ID from the info. */
  createdAt: Date;
}

/**
 * Lays a composed document out as a tagged PDF/A-3b: cover, contents, body, then
 * running header, page numbers and watermark on every page as artifacts, the
 * outline, and the attached files (evidence.json) as associated files.
 */
export async function renderPdf(composed: ComposedDocument, { createdAt }: RenderOptions): Promise<Buffer> {
  const { meta } = composed;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    bufferPages: true,
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
  batchPageContent(doc);
  doc.on('pageAdded', () => batchPageContent(doc));
  const output = new ByteCollector();
  doc.on('data', (chunk: Uint8Array) => output.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const layout = new PageLayout(doc);
  layout.placeAll(composed.cover);
  layout.flushFootnotes();

  // The contents come second in reading order but are written last, once page numbers are known.
  const toc = layout.tagger.element('TOC');
  const tocEntries = composed.body.filter((b) => b.type === 'heading' && b.toc).length;
  const tocPages = Math.max(1, Math.ceil(tocEntries / PageLayout.tocEntriesPerPage()));
  const tocFirstPage = layout.pageIndex + 1;
  for (let i = 0; i < tocPages; i++) doc.addPage();
  layout.newPage();
  layout.placeAll(composed.body);
  layout.flushFootnotes();
  layout.writeContents(composed.contentsTitle, tocFirstPage, toc);

  doc.outline.addItem(composed.contentsTitle);
  writeOutline(doc, layout);
  decoratePages(doc, layout, composed);
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
  await finished;
  return output.bytes();
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

function writeOutline(doc: PDFKit.PDFDocument, layout: PageLayout): void {
  // pdfkit attaches an outline item to the current page, so visit each heading's page.
  let parent: PDFKit.PDFOutline | undefined;
  for (const heading of layout.headings) {
    doc.switchToPage(heading.page);
    if (heading.level === 1 || !parent) parent = doc.outline.addItem(heading.text);
    else parent.addItem(heading.text);
  }
}

function decoratePages(doc: PDFKit.PDFDocument, layout: PageLayout, composed: ComposedDocument): void {
  const { start, count } = doc.bufferedPageRange();
  const header = STYLES.header;
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    if (composed.watermark) {
      const mark = composed.watermark;
      layout.tagger.artifact(() => {
        doc.save();
        doc.rotate(-52, { origin: [PAGE.width / 2, PAGE.height / 2] });
        doc.font('sansBold').fontSize(120).fillColor('#b22222').fillOpacity(0.07);
        doc.text(mark, PAGE.width / 2 - doc.widthOfString(mark) / 2, PAGE.height / 2 - 60, { lineBreak: false });
        doc.restore();
      });
    }
    layout.tagger.artifact(() => {
      doc.fillOpacity(1).font(header.font).fontSize(header.size).fillColor(header.color);
      if (i > start) {
        const [left, right] = composed.header;
        doc.text(left, PAGE.left, PAGE.headerY, { lineBreak: false });
        doc.text(right, PAGE.left + CONTENT_WIDTH - doc.widthOfString(right), PAGE.headerY, { lineBreak: false });
        doc.moveTo(PAGE.left, PAGE.headerY + 13).lineTo(PAGE.left + CONTENT_WIDTH, PAGE.headerY + 13).lineWidth(0.4).strokeColor('#bbbbbb').stroke();
      }
      const label = composed.pageLabel(i - start + 1, count);
      doc.text(label, PAGE.width / 2 - doc.widthOfString(label) / 2, PAGE.footerY, { lineBreak: false });
    }, 'Pagination');
  }
}
