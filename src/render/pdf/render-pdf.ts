import PDFDocument from 'pdfkit';
import type { ComposedDocument } from '../blocks.ts';
import { PageLayout } from './page-layout.ts';
import { CONTENT_WIDTH, PAGE, STYLES } from './styles.ts';

export interface RenderOptions {
  /** The PDF's creation date. With the same content and date the bytes are the same: pdfkit derives the file ID from the info. */
  createdAt: Date;
}

/** Lays a composed document out as a PDF: cover, contents, body, then running header, page numbers and watermark on every page. */
export async function renderPdf(composed: ComposedDocument, { createdAt }: RenderOptions): Promise<Buffer> {
  const { meta } = composed;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    bufferPages: true,
    pdfVersion: '1.7',
    lang: meta.lang,
    displayTitle: true,
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject,
      Keywords: meta.keywords,
      Creator: 'sanctions-dossier',
      CreationDate: createdAt,
      ModDate: createdAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const layout = new PageLayout(doc);
  layout.placeAll(composed.cover);
  layout.flushFootnotes();

  const tocEntries = composed.body.filter((b) => b.type === 'heading' && b.toc).length;
  const tocPages = Math.max(1, Math.ceil(tocEntries / PageLayout.tocEntriesPerPage()));
  for (let i = 0; i < tocPages; i++) doc.addPage();
  layout.newPage();
  layout.placeAll(composed.body);
  layout.flushFootnotes();
  layout.writeContents(composed.contentsTitle, 1);

  doc.outline.addItem(composed.contentsTitle);
  writeOutline(doc, layout);
  decoratePages(doc, composed);
  doc.end();
  await finished;
  return Buffer.concat(chunks);
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

function decoratePages(doc: PDFKit.PDFDocument, composed: ComposedDocument): void {
  const { start, count } = doc.bufferedPageRange();
  const header = STYLES.header;
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    if (composed.watermark) {
      doc.save();
      doc.rotate(-52, { origin: [PAGE.width / 2, PAGE.height / 2] });
      doc.font('sansBold').fontSize(120).fillColor('#b22222').fillOpacity(0.07);
      const w = doc.widthOfString(composed.watermark);
      doc.text(composed.watermark, PAGE.width / 2 - w / 2, PAGE.height / 2 - 60, { lineBreak: false });
      doc.restore();
      doc.fillOpacity(1);
    }
    doc.font(header.font).fontSize(header.size).fillColor(header.color);
    if (i > start) {
      const [left, right] = composed.header;
      doc.text(left, PAGE.left, PAGE.headerY, { lineBreak: false });
      doc.text(right, PAGE.left + CONTENT_WIDTH - doc.widthOfString(right), PAGE.headerY, { lineBreak: false });
      doc.moveTo(PAGE.left, PAGE.headerY + 13).lineTo(PAGE.left + CONTENT_WIDTH, PAGE.headerY + 13).lineWidth(0.4).strokeColor('#bbbbbb').stroke();
    }
    const label = composed.pageLabel(i - start + 1, count);
    doc.text(label, PAGE.width / 2 - doc.widthOfString(label) / 2, PAGE.footerY, { lineBreak: false });
  }
}
