/**
 * pdfkit turns every operator it adds to a page ("BT", a font switch, one line
 * of glyphs) into a Uint8Array of its own, about 200 bytes of objects for a few
 * bytes of text. Here a page's operators stay text, joined into one string
 * every few hundred, and become bytes once, when pdfkit writes the page: the
 * same bytes, a fraction of the objects. Even with each page written as soon
 * as it is full, the scale benchmark's peak RSS is a fifth higher without it.
 */

/** Operators joined into one string at a time: few enough objects, short enough joins. */
const JOIN_EVERY = 512;

interface ContentReference {
  write(chunk: string | Uint8Array): void;
  finalize(): void;
}

/** Makes the current page of `doc` keep its operators as text until the page is written. */
export function batchPageContent(doc: PDFKit.PDFDocument): void {
  // pdfkit's page object is not in its types: its content stream is a PDFReference.
  const content = (doc as unknown as { page: { content: ContentReference } }).page.content;
  const writeBytes = content.write.bind(content);
  const finalize = content.finalize.bind(content);
  let pending: string[] = [];
  let joined: string[] = [];
  // pdfkit ends every written string with a newline; one write of the joined text does the same.
  const flush = () => {
    if (pending.length) joined.push(pending.join('\n'));
    if (joined.length) writeBytes(Buffer.from(`${joined.join('\n')}\n`, 'latin1'));
    pending = [];
    joined = [];
  };
  content.write = (chunk) => {
    if (typeof chunk !== 'string') {
      flush();
      writeBytes(chunk);
      return;
    }
    pending.push(chunk);
    if (pending.length === JOIN_EVERY) {
      joined.push(pending.join('\n'));
      pending = [];
    }
  };
  content.finalize = () => {
    flush();
    finalize();
  };
}
