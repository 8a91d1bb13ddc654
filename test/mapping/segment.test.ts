import t from 'tap';
import { loadLexicon } from '../../src/mapping/lexicon.ts';
import type { MappingLanguage } from '../../src/mapping/schema.ts';
import { segmentText } from '../../src/mapping/segment.ts';

function passages(text: string, lang: MappingLanguage = 'en') {
  return [...segmentText(text, lang, loadLexicon(lang).abbreviations)].map((p) => ({ kind: p.kind, text: text.slice(p.start, p.end), leadIn: p.leadIn, first: p.first }));
}

t.test('sentences of a paragraph are passages; abbreviations do not end them', async (t) => {
  const found = passages('Mr. Castex met Dr. Smith on 2 May. They discussed art. 7 of the treaty. Nothing was agreed.');
  t.same(
    found.map((p) => p.text),
    ['Mr. Castex met Dr. Smith on 2 May.', 'They discussed art. 7 of the treaty.', 'Nothing was agreed.'],
  );
  t.same(found.map((p) => p.kind), ['sentence', 'sentence', 'sentence']);
  t.same(found.map((p) => p.first), [true, false, false]);
});

t.test('list items and headings are passages of their own', async (t) => {
  const text = 'RECOMMENDATIONS\n\nWe urge the government to:\n- release all detainees\n• end torture in custody\n2) repeal the law\n\nSignatories\nAccess Now';
  const found = passages(text);
  t.same(found, [
    { kind: 'heading', text: 'RECOMMENDATIONS', leadIn: false, first: true },
    { kind: 'sentence', text: 'We urge the government to:', leadIn: true, first: true },
    { kind: 'bullet', text: 'release all detainees', leadIn: false, first: true },
    { kind: 'bullet', text: 'end torture in custody', leadIn: false, first: true },
    { kind: 'bullet', text: 'repeal the law', leadIn: false, first: true },
    { kind: 'heading', text: 'Signatories', leadIn: false, first: true },
    { kind: 'heading', text: 'Access Now', leadIn: false, first: true },
  ]);
});

t.test('a list item of several sentences gives one passage per sentence', async (t) => {
  const found = passages('- **Member states must act.** Given the scale of the findings, a moratorium is needed.\n- Second item.');
  t.same(found.map((p) => [p.kind, p.text, p.first]), [
    ['bullet', '**Member states must act.**', true],
    ['bullet', 'Given the scale of the findings, a moratorium is needed.', false],
    ['bullet', 'Second item.', true],
  ]);
});

t.test('boilerplate lines are never passages', async (t) => {
  const found = passages('Skip to main content\n\nJournalists were detained.\nYour tax deductible gift can help stop human rights violations and save lives around the world.\n\nRegion / Country');
  t.same(found.map((p) => p.text), ['Journalists were detained.']);
});

t.test('hard-wrapped lines and page breaks inside a sentence are joined; one paragraph per line is kept apart', async (t) => {
  const wrapped = passages('Security forces arrested more than three hundred students in the\ncapital and held them without charge for weeks.');
  t.same(wrapped.map((p) => p.text), ['Security forces arrested more than three hundred students in the\ncapital and held them without charge for weeks.']);
  const pageBreak = passages(`${'word '.repeat(30)}which emerged from the\n-\n\nProject, and more words follow here.`);
  t.equal(pageBreak.length, 1, 'the page break does not cut the sentence');
  const lines = passages('Une année après les révélations.\nAppel aussi au grand public\nAmnesty invite le public à signer.', 'fr');
  t.same(lines.map((p) => [p.kind, p.text]), [
    ['sentence', 'Une année après les révélations.'],
    ['heading', 'Appel aussi au grand public'],
    ['sentence', 'Amnesty invite le public à signer.'],
  ]);
});

t.test('French abbreviations and closing marks stay with their sentence', async (t) => {
  const found = passages("M. Dupont a vu l'affaire Zakharov c. Russie.** Puis il est parti.", 'fr');
  t.same(found.map((p) => p.text), ["M. Dupont a vu l'affaire Zakharov c. Russie.**", 'Puis il est parti.']);
});

t.test('a very long paragraph is cut into sentences all the same', async (t) => {
  const text = 'Police detained a journalist. '.repeat(400).trim();
  const found = passages(text);
  t.equal(found.length, 400);
  t.ok(found.every((p) => p.text === 'Police detained a journalist.'));
});

t.test('a block too long for one piece of work is never cut inside a surrogate pair', async (t) => {
  // 1999 letters, then an emoji across the 2000th unit, with no space or stop to cut at instead; then sentences.
  const text = `${'a'.repeat(1999)}😀${'b'.repeat(600)}. Then a sentence. And another one.`;
  const found = [...segmentText(text, 'en', loadLexicon('en').abbreviations)];
  for (const p of found) {
    const slice = text.slice(p.start, p.end);
    t.ok(slice.isWellFormed(), `passage ${p.start}-${p.end} holds whole characters`);
  }
});
