import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { dossierInputOf, loadProject } from '../../src/cli/load-project.ts';
import { formatDate } from '../../src/render/compose-dossier.ts';
import { buildDossierPdf } from '../../src/render/dossier-pdf.ts';
import { flatten, readOutline, readPdf } from '../helpers/pdf.ts';

const project = await loadProject('nso-group');
const input = dossierInputOf(project, 'en', new Date('2026-11-23T00:00:00Z'));
const { pdf, model } = await buildDossierPdf(input);
const text = await readPdf(pdf);

t.test('the dossier names the target, the regime and its status', async (t) => {
  t.ok(text.pageCount >= 12, `${text.pageCount} pages`);
  t.match(text.all, 'NSO Group Technologies Ltd');
  t.match(text.all, 'Decision (CFSP) 2020/1999');
  t.match(text.all, 'Regulation (EU) 2020/1998');
  t.match(text.all, 'DRAFT');
  t.match(text.all, '23 November 2026', 'the date, formatted');
  t.match(text.all, `Page 1 of ${text.pageCount}`);
  t.match(text.all, `Page ${text.pageCount} of ${text.pageCount}`);
});

t.test('every section is there, in order', async (t) => {
  const headings = ['Contents', 'Statement of reasons', 'Identifying information', 'Legal basis', 'Evidence by criterion', 'Threshold of Art. 1(1)(d)', 'Involvement of the target (Art. 3(1))', 'Corroborating measures of other authorities', 'Exculpatory information', 'Annex A: Signatories', 'Annex B: Sources'];
  let from = text.body.indexOf('Contents') + 300;
  for (const heading of headings.slice(1)) {
    const at = text.body.indexOf(heading, from);
    t.ok(at > 0, `${heading} after the previous section`);
    from = at;
  }
});

t.test('the outline and the contents lead to the page of each heading', async (t) => {
  const outline = await readOutline(pdf);
  const [contents, ...sections] = outline;
  t.equal(contents?.title, 'Contents');
  t.ok(text.pages[contents!.page]?.startsWith('Contents'), 'the contents entry leads to the contents');
  const headings = sections.flatMap((s) => [s, ...s.children]);
  t.ok(headings.length >= 10, `${headings.length} headings in the outline`);
  t.ok(sections.some((s) => s.children.length), 'second-level headings sit under their section');
  const contentsText = text.pages.slice(contents!.page, sections[0]!.page).join(' ');
  for (const heading of headings) {
    t.ok(text.pages[heading.page]?.includes(flatten(heading.title)), `${heading.title}: on page ${heading.page + 1}`);
    // The contents may shorten a long title; what it shows is followed by its own row of dots and the page number.
    const shown = flatten(heading.title).slice(0, 24).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    t.match(contentsText, new RegExp(`${shown}(?:(?!\\.{3})[^])*\\.{3,}[. ]*${heading.page + 1}\\b`), `${heading.title}: page ${heading.page + 1} in the contents`);
  }
});

t.test('every claimed criterion has its heading, and every quote is there exactly', async (t) => {
  for (const section of model.criterionSections) {
    t.match(text.body, `${section.criterion.citation}: ${section.criterion.label}`);
  }
  for (const excerpt of project.file.excerpts) {
    t.ok(text.body.includes(flatten(excerpt.quote.exact)), `quote of ${excerpt.id}`);
  }
});

t.test('every signatory is listed as written', async (t) => {
  for (const s of project.file.signatories) {
    t.ok(text.body.includes(flatten(s.affiliation ? `${s.name}, ${s.affiliation}` : s.name)), s.name);
  }
});

t.test('unknown identifying facts say "not established"; unverified legal text says so', async (t) => {
  t.match(text.body, /Registration number not established/);
  t.match(text.body, 'Unverified wording');
});

t.test('every source is listed with its full SHA-256', async (t) => {
  for (const s of model.sources) t.match(text.body, s.sha256);
});

t.test('document metadata', async (t) => {
  t.match(text.info, {
    Title: 'Proposal for a listing: NSO Group Technologies Ltd',
    Subject: /EU Global Human Rights Sanctions Regime/,
    Keywords: /NSO Group Technologies Ltd/,
    Author: /82 civil society organisations/,
  });
});

t.test('every font is embedded; no standard font is referenced', async (t) => {
  const raw = pdf.toString('latin1');
  const descriptors = raw.match(/\/Type \/FontDescriptor/g) ?? [];
  const files = raw.match(/\/FontFile2 \d+ 0 R/g) ?? [];
  t.ok(descriptors.length >= 4);
  t.equal(files.length, descriptors.length, 'one embedded TrueType program per font');
  t.notMatch(raw, /\/Subtype \/Type1/);
});

t.test('the same case and date give the same bytes', async (t) => {
  const again = await buildDossierPdf(input);
  t.ok(again.pdf.equals(pdf));
});

const hasQpdf = await promisify(execFile)('qpdf', ['--version']).then(() => true, () => false);

t.test(
  'qpdf finds no structural error',
  { skip: hasQpdf ? false : 'qpdf is not installed here (Debian package qpdf; .ci/run installs it)' },
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'dossier-qpdf-'));
    await writeFile(join(dir, 'd.pdf'), pdf);
    const { stdout } = await promisify(execFile)('qpdf', ['--check', join(dir, 'd.pdf')]);
    t.match(stdout, 'No syntax or stream encoding errors found');
  },
);

t.test('text the fonts cannot show is refused, naming each character, rather than printed as empty boxes', async (t) => {
  const file = { ...project.file, target: { ...project.file.target, aliases: [...project.file.target.aliases, { value: 'NSO 北京', sources: [] }] } };
  const refused = buildDossierPdf({ ...input, file });
  await t.rejects(refused, { name: 'UnprintableText', message: /U\+5317 北, U\+4EAC 京 in "北京"/ });
  const greek = { ...project.file, target: { ...project.file.target, aliases: [...project.file.target.aliases, { value: 'Ωμέγα Äåé', sources: [] }] } };
  const printed = await readPdf((await buildDossierPdf({ ...input, file: greek })).pdf);
  t.match(printed.all, 'Ωμέγα Äåé', 'Greek and accented Latin are in the fonts, and print');
});

t.test('a dossier in another language than its case says that the statement and the notes are the legal team\'s, untranslated', async (t) => {
  const french = { ...project.file, language: 'fr' as const };
  const english = await readPdf((await buildDossierPdf({ ...input, file: french })).pdf);
  t.match(english.body, flatten('The statement of reasons was written in French and is not translated.'));
  t.match(english.body, flatten("Legal team's note (French):"), "each note names the language it was written in");
  t.match(english.body, flatten('The values and the descriptions of related entities are in French, as the legal team wrote them, untranslated; so is "Submitted by" on the title page.'));
  t.notMatch(text.body, 'is not translated', 'an English case in English says nothing of the kind');
  t.notMatch(text.body, 'as the legal team wrote them, untranslated');
  const frenchDossier = await readPdf((await buildDossierPdf(dossierInputOf(project, 'fr', new Date('2026-11-23T00:00:00Z')))).pdf);
  t.match(frenchDossier.body, flatten("Les valeurs et les descriptions des entités liées sont écrites en anglais, comme l'équipe juridique les a rédigées, et ne sont pas traduites"));
  t.match(frenchDossier.all, /Amnesty International, « [^»]+ », /, 'a French footnote quotes a title with guillemets');
  t.match(text.all, /Amnesty International, “[^”]+”, /, 'an English one with curly quotes');
  t.match(text.body, flatten("Legal team's note (English):"));
});

t.test('counts agree with their nouns by each language\'s rule: French puts 0 in the singular', async (t) => {
  const organisationsOnly = { ...project.file, signatories: project.file.signatories.filter((s) => s.category === 'organisation') };
  const at = new Date('2026-11-23T00:00:00Z');
  const french = await readPdf((await buildDossierPdf({ ...dossierInputOf(project, 'fr', at), file: organisationsOnly })).pdf);
  t.match(french.body, flatten(`${organisationsOnly.signatories.length} organisations et 0 expert indépendant figurent sur cette liste.`));
  const english = await readPdf((await buildDossierPdf({ ...input, file: organisationsOnly })).pdf);
  t.match(english.body, flatten(`${organisationsOnly.signatories.length} organisations and 0 independent experts are listed.`));
});

t.test('the annex says who signed what: the joint letter\'s signatories signed it, not this proposal; a partner who signs through the service signed this proposal', async (t) => {
  const letter = model.sources.find((s) => s.id === 'joint-letter-nso-2021')!.label;
  t.match(text.body, flatten(`82 organisations and 6 independent experts are listed. 88 of them are named as signatories of ${letter} (Annex B), as it writes their names: what they signed is that source, not this proposal.`));
  t.notMatch(text.body, 'support this proposal', 'nobody is said to support a proposal they did not sign');
  t.notMatch(text.body, `Access Now (${letter})`, 'with one origin for all, the names carry no mark');

  const withPartner = { ...project.file, signatories: [...project.file.signatories, { name: 'Zyxwv Rights Network', category: 'organisation' as const, signed_by: { name: 'Jane Doe', role: 'Director' } }] };
  const mixed = await readPdf((await buildDossierPdf({ ...input, file: withPartner })).pdf);
  t.match(mixed.body, flatten(`83 organisations and 6 independent experts are listed. 88 of them are named as signatories of ${letter} (Annex B), as it writes their names: what they signed is that source, not this proposal. 1 signed this proposal itself, through the service. A name followed by a source's label is that source's signatory.`));
  t.match(mixed.body, `Access Now (${letter})`);
  t.match(mixed.body, /Zyxwv Rights Network(?! \()/, 'the partner who signed this proposal carries no source');
  const french = await readPdf((await buildDossierPdf({ ...dossierInputOf(project, 'fr', new Date('2026-11-23T00:00:00Z')), file: withPartner })).pdf);
  t.match(french.body, flatten(`88 d'entre eux sont nommés comme signataires de ${letter} (annexe B), qui écrit leurs noms ainsi : c'est cette source qu'ils ont signée, non la présente proposition. 1 a signé la présente proposition elle-même, par le service.`));
});

t.test('every copy is marked DRAFT until the case is approved: the copy reviewers review too', async (t) => {
  const at = (status: 'in_review' | 'approved' | 'submitted') => buildDossierPdf({ ...input, file: { ...project.file, status } }).then(({ pdf }) => readPdf(pdf));
  t.match((await at('in_review')).all, 'DRAFT', 'in review');
  for (const status of ['approved', 'submitted'] as const) t.notMatch((await at(status)).all, 'DRAFT', status);
});

t.test("dates are written as each language writes them: French makes the first of the month an ordinal", async (t) => {
  t.equal(formatDate('2026-01-01', 'fr'), '1er janvier 2026');
  t.equal(formatDate('2026-01-02', 'fr'), '2 janvier 2026');
  t.equal(formatDate('2026-01-01', 'en'), '1 January 2026');
  const french = await readPdf((await buildDossierPdf(dossierInputOf(project, 'fr', new Date('2026-12-01T00:00:00Z')))).pdf);
  t.match(french.all, '1er décembre 2026');
});
