import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfText {
  pageCount: number;
  /** Every piece of text, white space collapsed: quotes wrap across lines. */
  all: string;
  /** The running text only: no header, footer, footnotes, captions or watermark (told apart by their size). */
  body: string;
  info: Record<string, unknown>;
}

const BODY_SIZES = { min: 8, max: 50 };

/** Reads a PDF's text as a reader would, with pdf.js. */
export async function readPdf(bytes: Uint8Array): Promise<PdfText> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 }).promise;
  const all: string[] = [];
  const body: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    for (const item of content.items) {
      if (!('str' in item)) continue;
      const text = item.str + (item.hasEOL ? '\n' : ' ');
      all.push(text);
      const size = Math.hypot(item.transform[0] as number, item.transform[1] as number);
      if (size >= BODY_SIZES.min && size < BODY_SIZES.max) body.push(text);
    }
  }
  const { info } = await doc.getMetadata();
  const pageCount = doc.numPages;
  await doc.destroy();
  return { pageCount, all: flatten(all.join('')), body: flatten(body.join('')), info: info as Record<string, unknown> };
}

export function flatten(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
