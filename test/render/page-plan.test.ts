import t from 'tap';
import type { Block, ComposedDocument } from '../../src/render/blocks.ts';
import { renderPdf } from '../../src/render/pdf/render-pdf.ts';
import { readOutline, readPdf } from '../helpers/pdf.ts';

/**
 * Pages are written as soon as they are full, so the contents and every
 * "page n of N" come from a planning pass. A document with more headings than
 * one contents page holds shows whether plan and pages agree.
 */
const SECTIONS = 40;
const body: Block[] = [];
for (let s = 1; s <= SECTIONS; s++) {
  body.push({ type: 'heading', level: 1, text: `Section ${s}`, toc: true });
  body.push({ type: 'paragraph', style: 'body', text: `Opening words of section ${s}. `.repeat(40 + (s % 7) * 15) });
  for (let p = 1; p <= 2; p++) {
    body.push({ type: 'heading', level: 2, text: `Part ${s}.${p}`, toc: true });
    body.push({ type: 'paragraph', style: 'body', text: `Words of part ${s}.${p}. `.repeat(20 + ((s * p) % 5) * 30) });
  }
}
const composed: ComposedDocument = {
  meta: { title: 'Plan', author: 'Test', subject: 'Pages', keywords: '', lang: 'en', date: '2026-11-23' },
  attachments: [],
  header: ['Left', 'Right'],
  pageLabel: (page, pages) => `Page ${page} of ${pages}`,
  contentsTitle: 'Contents',
  cover: [{ type: 'paragraph', style: 'title', text: 'A long document' }],
  body,
};

const pdf = await renderPdf(composed, { createdAt: new Date('2026-11-23T00:00:00Z') });
const text = await readPdf(pdf);
const [contents, ...sections] = await readOutline(pdf);

t.test('the contents take the pages they need, and every entry gives the page its heading is on', async (t) => {
  t.equal(contents?.title, 'Contents');
  t.equal(contents?.page, 1, 'the contents follow the cover');
  t.equal(sections.length, SECTIONS);
  const headings = sections.flatMap((s) => [s, ...s.children]);
  t.equal(headings.length, SECTIONS * 3);
  const contentsPages = text.pages.slice(1, sections[0]!.page);
  t.ok(contentsPages.length >= 3, `${contentsPages.length} pages of contents`);
  const listed = [...contentsPages.join(' ').matchAll(/(Section \d+|Part \d+\.\d+)[ .]*(\d+)/g)].map((m) => [m[1], Number(m[2])]);
  t.same(
    listed,
    headings.map((h) => [h.title, h.page + 1]),
    'each entry, in order, with its page',
  );
  // "Section 1" must not be found in "Section 10", nor "Part 1.1" in "Part 1.10".
  for (const h of headings) t.match(text.pages[h.page], new RegExp(`${h.title.replace('.', '\\.')}(?![\\d.])`), `${h.title} is on page ${h.page + 1}`);
});

t.test('every page is numbered out of the whole', async (t) => {
  t.ok(text.pageCount > 40, `${text.pageCount} pages`);
  text.pages.forEach((page, i) => t.ok(page.includes(`Page ${i + 1} of ${text.pageCount}`), `page ${i + 1}`));
  t.notOk(text.pages[0]?.includes('Left'), 'no running header on the cover');
  t.ok(text.pages.slice(1).every((page) => page.includes('Left Right')), 'the running header on every other page');
});
