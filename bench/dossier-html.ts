import type { Block, ComposedDocument, FieldRow, TextStyle } from '../src/render/blocks.ts';

/**
 * The composed dossier as one HTML page for a browser to print: the same blocks
 * the PDF renderer lays out (cover, contents, every section, quote, note,
 * footnote text, the signatories and the sources annex), in the same fonts
 * (DejaVu, installed on the system) and sizes, with print CSS for A4 and the
 * PDF's margins. What a browser cannot do the same way: footnotes follow their
 * quote instead of sitting at the foot of the page, and there is no
 * evidence.json attached. The running header, "Page X of Y" and the watermark
 * come from `printOptions`.
 */
export function dossierHtml(composed: ComposedDocument): string {
  const headings = new Map<Block, string>();
  composed.body.forEach((b, i) => {
    if (b.type === 'heading' && b.toc) headings.set(b, `h${i}`);
  });
  const contents = composed.body
    .filter((b): b is Extract<Block, { type: 'heading' }> => b.type === 'heading' && b.toc)
    .map((h) => `<li class="toc${h.level}"><a href="#${headings.get(h)}">${escape(h.text)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="${composed.meta.lang}">
<head>
<meta charset="utf-8">
<title>${escape(composed.meta.title)}</title>
<meta name="author" content="${escape(composed.meta.author)}">
<meta name="description" content="${escape(composed.meta.subject)}">
<meta name="keywords" content="${escape(composed.meta.keywords)}">
<style>${CSS}</style>
</head>
<body>
${composed.watermark ? `<div class="watermark" aria-hidden="true">${escape(composed.watermark)}</div>` : ''}
<section class="cover">${composed.cover.map((b) => block(b, headings)).join('\n')}</section>
<nav class="contents"><h1>${escape(composed.contentsTitle)}</h1><ol>${contents}</ol></nav>
<main>${composed.body.map((b) => block(b, headings)).join('\n')}</main>
</body>
</html>`;
}

/** Header, footer and page format for Playwright's page.pdf, as the PDF renderer draws them. */
export function printOptions(composed: ComposedDocument): Record<string, unknown> {
  const [left, right] = composed.header;
  // The page label's wording, with the browser's page counters in place of the numbers.
  const label = escape(composed.pageLabel(900001, 900002))
    .replace('900001', '<span class="pageNumber"></span>')
    .replace('900002', '<span class="totalPages"></span>');
  const small = 'font-family: DejaVu Sans; font-size: 7.5pt; color: #666; width: 100%; margin: 0 68pt;';
  return {
    format: 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: `<div style="${small} display: flex; justify-content: space-between; border-bottom: 0.4pt solid #bbb; padding-bottom: 3pt;"><span>${escape(left)}</span><span>${escape(right)}</span></div>`,
    footerTemplate: `<div style="${small} text-align: center;">${label}</div>`,
    // The PDF's margins in points, as CSS pixels (Playwright takes px, in, cm or mm).
    margin: { top: px(80), right: px(68), bottom: px(72), left: px(68) },
    tagged: true,
    outline: true,
  };
}

const px = (points: number) => `${((points * 4) / 3).toFixed(2)}px`;

function block(b: Block, headings: Map<Block, string>): string {
  switch (b.type) {
    case 'heading': {
      const id = b.anchor ?? headings.get(b);
      return `<h${b.level}${id ? ` id="${escape(id)}"` : ''}>${escape(b.text)}</h${b.level}>`;
    }
    case 'paragraph': {
      const style = [b.indent ? `margin-left: ${b.indent}pt` : '', b.keepWithNext ? 'break-after: avoid' : ''].filter(Boolean).join('; ');
      return `<p class="${b.style}"${style ? ` style="${style}"` : ''}>${escape(b.text)}</p>`;
    }
    case 'quote':
      return `<figure class="quote">
<figcaption>${escape(b.caption)}</figcaption>
<blockquote lang="${b.lang}">${escape(b.text)}</blockquote>
${b.note ? `<p class="note">${escape(b.note)}</p>` : ''}
<p class="footnote">${b.link ? `<a href="#${escape(b.link)}">${escape(b.footnote)}</a>` : escape(b.footnote)}</p>
</figure>`;
    case 'fields':
      return `<table class="fields${b.keepTogether ? ' together' : ''}">${b.rows.map(row).join('')}</table>`;
    case 'list': {
      const tag = b.numbered ? 'ol' : 'ul';
      return `<${tag} class="${b.style}">${b.items.map((i) => `<li>${escape(i)}</li>`).join('')}</${tag}>`;
    }
    case 'space':
      return `<div style="height: ${b.height}pt"></div>`;
    case 'pageBreak':
      return '<div class="page-break"></div>';
  }
}

function row(r: FieldRow): string {
  const style: TextStyle = r.style ?? 'coverValue';
  return `<tr${r.muted ? ' class="muted"' : ''}><th>${escape(r.label)}</th><td class="${style}">${r.values.map(escape).join('<br>')}</td></tr>`;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const CSS = `
@page { size: A4; margin: 80pt 68pt 72pt 68pt; }
body { margin: 0; font-family: 'DejaVu Serif', serif; font-size: 10pt; line-height: 14.5pt; color: #111; text-align: justify; hyphens: auto; }
h1 { font-family: 'DejaVu Sans', sans-serif; font-size: 15pt; line-height: 20pt; color: #1a1a1a; margin: 18pt 0 6pt; break-after: avoid; text-align: left; }
h2 { font-family: 'DejaVu Sans', sans-serif; font-size: 11pt; line-height: 15pt; color: #1a1a1a; margin: 12pt 0 4pt; break-after: avoid; text-align: left; }
p { margin: 0 0 6pt; orphans: 2; widows: 2; }
.body { font-family: 'DejaVu Serif', serif; }
.legal { font-family: 'DejaVu Serif', serif; font-style: italic; }
.note { font-family: 'DejaVu Sans', sans-serif; font-style: oblique; font-size: 8.5pt; line-height: 12pt; color: #444; }
.small { font-family: 'DejaVu Sans', sans-serif; font-size: 8.5pt; line-height: 11.5pt; }
.mono { font-family: 'DejaVu Sans Mono', monospace; font-size: 8pt; }
.title { font-family: 'DejaVu Sans', sans-serif; font-weight: bold; font-size: 28pt; line-height: 36pt; text-align: left; }
.subtitle { font-family: 'DejaVu Sans', sans-serif; font-size: 13pt; line-height: 18pt; color: #333; text-align: left; }
.coverLabel { font-family: 'DejaVu Sans', sans-serif; font-weight: bold; font-size: 8.5pt; line-height: 12pt; color: #444; }
.coverValue { font-family: 'DejaVu Serif', serif; font-size: 10pt; line-height: 14pt; }
.cover { break-after: page; }
.contents { break-after: page; }
.contents ol { list-style: none; padding: 0; }
.contents a { color: #111; text-decoration: none; }
.toc1 { font-family: 'DejaVu Sans', sans-serif; font-weight: bold; font-size: 10.5pt; line-height: 18pt; }
.toc2 { font-family: 'DejaVu Sans', sans-serif; font-size: 9.5pt; line-height: 15pt; margin-left: 12pt; }
figure.quote { margin: 6pt 0 10pt 18pt; break-inside: avoid; }
figcaption { font-family: 'DejaVu Sans', sans-serif; font-weight: bold; font-size: 7.5pt; line-height: 11pt; color: #555; }
blockquote { margin: 2pt 0 4pt; padding-left: 8pt; border-left: 1.5pt solid #999; }
.footnote { font-family: 'DejaVu Sans', sans-serif; font-size: 7pt; line-height: 9pt; color: #333; }
.footnote a { color: #333; }
table.fields { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; text-align: left; }
table.fields.together { break-inside: avoid; }
table.fields th { font-family: 'DejaVu Sans', sans-serif; font-weight: bold; font-size: 8.5pt; line-height: 14.5pt; color: #444; width: 30%; vertical-align: top; padding: 2pt 8pt 2pt 0; }
table.fields td { vertical-align: top; padding: 2pt 0; word-break: break-word; }
tr.muted td { color: #888; font-style: italic; }
li { margin-bottom: 2pt; }
.page-break { break-after: page; }
.watermark { position: fixed; top: 45%; left: 0; right: 0; text-align: center; transform: rotate(-52deg); font-family: 'DejaVu Sans', sans-serif; font-weight: bold; font-size: 120pt; color: rgba(178, 34, 34, 0.07); z-index: -1; }
`;
