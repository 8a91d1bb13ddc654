import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfText {
  pageCount: number;
  /** Every piece of text, white space collapsed: quotes wrap across lines. */
  all: string;
  /** The running text only: no header, footer, footnotes, captions or watermark (told apart by their size). */
  body: string;
  /** Every piece of text of each page, white space collapsed, page 1 first. */
  pages: string[];
  info: Record<string, unknown>;
}

export interface OutlineEntry {
  title: string;
  /** Zero-based index of the page the entry leads to. */
  page: number;
  children: OutlineEntry[];
}

const BODY_SIZES = { min: 8, max: 50 };

/** Reads a PDF's text as a reader would, with pdf.js. */
export async function readPdf(bytes: Uint8Array): Promise<PdfText> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 }).promise;
  const all: string[] = [];
  const body: string[] = [];
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    const onPage: string[] = [];
    for (const item of content.items) {
      if (!('str' in item)) continue;
      const text = item.str + (item.hasEOL ? '\n' : ' ');
      all.push(text);
      onPage.push(text);
      const size = Math.hypot(item.transform[0] as number, item.transform[1] as number);
      if (size >= BODY_SIZES.min && size < BODY_SIZES.max) body.push(text);
    }
    pages.push(flatten(onPage.join('')));
  }
  const { info } = await doc.getMetadata();
  const pageCount = doc.numPages;
  await doc.destroy();
  return { pageCount, all: flatten(all.join('')), body: flatten(body.join('')), pages, info: info as Record<string, unknown> };
}

export function flatten(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A PDF's outline (bookmarks) as a reader shows it, each entry with the page its destination is on. */
export async function readOutline(bytes: Uint8Array): Promise<OutlineEntry[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 }).promise;
  type Item = { title: string; dest: string | unknown[] | null; items: Item[] };
  const entries = async (items: Item[]): Promise<OutlineEntry[]> =>
    Promise.all(
      items.map(async (item) => {
        const dest = typeof item.dest === 'string' ? await doc.getDestination(item.dest) : item.dest;
        const page = dest ? await doc.getPageIndex(dest[0] as Parameters<typeof doc.getPageIndex>[0]) : -1;
        return { title: item.title, page, children: await entries(item.items) };
      }),
    );
  const outline = await entries(((await doc.getOutline()) ?? []) as Item[]);
  await doc.destroy();
  return outline;
}
