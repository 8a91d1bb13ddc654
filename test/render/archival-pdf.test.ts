import t from 'tap';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { dossierInputOf, loadProject } from '../../src/cli/load-project.ts';
import { EvidencePackage } from '../../src/dossier/evidence-package.ts';
import { buildDossierPdf } from '../../src/render/dossier-pdf.ts';
import { flatten, readPdf } from '../helpers/pdf.ts';

const project = await loadProject('nso-group');
const at = new Date('2026-11-23T00:00:00Z');
const english = await buildDossierPdf(dossierInputOf(project, 'en', at));
const french = await buildDossierPdf(dossierInputOf(project, 'fr', at));

t.test('the French dossier has French headings, labels and dates; quotes stay in their language', async (t) => {
  const text = await readPdf(french.pdf);
  for (const heading of ['Table des matières', 'Exposé des motifs', "Informations d'identification", 'Base juridique', 'Éléments de preuve par critère', 'Éléments à décharge', 'Annexe A : Signataires', 'Annexe B : Sources']) {
    t.match(text.all, heading);
  }
  t.match(text.all, '23 novembre 2026');
  t.match(text.all, /Page 1 sur \d+/);
  t.match(text.all, 'PROJET');
  t.match(text.body, 'non établi');
  t.match(text.body, 'Texte non vérifié', 'the French wording of the act is unverified and says so');
  t.match(text.body, "L'exposé des motifs a été rédigé en anglais et n'est pas traduit");
  for (const excerpt of project.file.excerpts) t.ok(text.body.includes(flatten(excerpt.quote.exact)), `quote of ${excerpt.id}`);
});

t.test('PDF/A-3b: XMP identification, sRGB output intent, embedded fonts, no modify date that the XMP lacks', async (t) => {
  const raw = english.pdf.toString('latin1');
  t.match(raw, '<pdfaid:part>3</pdfaid:part>');
  t.match(raw, '<pdfaid:conformance>B</pdfaid:conformance>');
  t.match(raw, /\/OutputIntents \[\d+ 0 R\]/);
  t.match(raw, '/S /GTS_PDFA1');
  const info = (await readPdf(english.pdf)).info;
  t.ok(info.CreationDate, 'a creation date');
  t.notOk(info.ModDate, 'no modification date in the document info');
  t.equal((raw.match(/\/FontFile2 /g) ?? []).length, (raw.match(/\/Type \/FontDescriptor/g) ?? []).length);
});

t.test('tagged: a structure tree with headings, lists, tables and quotes marked with their language', async (t) => {
  const raw = english.pdf.toString('latin1');
  t.match(raw, '/Marked true');
  t.match(raw, '/Type /StructTreeRoot');
  t.match(raw, '/Lang (en)');
  for (const type of ['H1', 'H2', 'P', 'L', 'LI', 'Table', 'TR', 'TH', 'TD', 'BlockQuote', 'Note', 'TOC', 'TOCI', 'Link']) t.match(raw, `/S /${type}`, `${type} elements`);
  t.match(raw, /\/S \/P\s*\/P \d+ 0 R\s*\/Lang \(fr\)|\/Lang \(fr\)/, 'French quotes carry their language');

  // The French dossier of this English case against that of the same case written in French: the
  // statement's paragraphs and the legal team's notes are the only other differences, and carry the language they were written in.
  const frenchCase = await buildDossierPdf(dossierInputOf({ ...project, file: { ...project.file, language: 'fr' } }, 'fr', at));
  const taggedEnglish = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Lang \(en\)/g) ?? []).length;
  const notes = ((await readPdf(french.pdf)).all.match(/Note de l'équipe juridique \(anglais\)/g) ?? []).length;
  t.ok(notes >= project.file.excerpts.length, `every excerpt's note is printed (${notes} notes)`);
  t.equal(taggedEnglish(french.pdf) - taggedEnglish(frenchCase.pdf), french.model.statement.length + notes, 'each paragraph of an untranslated statement, and each note, is marked with its language');
  const doc = await getDocument({ data: new Uint8Array(english.pdf), verbosity: 0 }).promise;
  const content = await (await doc.getPage(3)).getTextContent({ includeMarkedContent: true });
  await doc.destroy();
  const tags = content.items.filter((i) => 'type' in i && String(i.type).startsWith('beginMarkedContent')).map((i) => ('tag' in i ? i.tag : ''));
  t.ok(tags.includes('Artifact'), 'page furniture is marked as artifact');
});

t.test('evidence.json is attached as a PDF/A-3 associated file and holds every excerpt as a Web Annotation', async (t) => {
  const raw = english.pdf.toString('latin1');
  t.match(raw, '/AFRelationship /Data');
  t.match(raw, /\/AF \[\d+ 0 R\]/);
  const doc = await getDocument({ data: new Uint8Array(english.pdf), verbosity: 0 }).promise;
  const attachments = (await doc.getAttachments()) as Record<string, { content: Uint8Array }>;
  await doc.destroy();
  const pkg = EvidencePackage.parse(JSON.parse(Buffer.from(attachments['evidence.json']!.content).toString('utf8')));
  t.equal(pkg.case, 'nso-group');
  t.equal(pkg.excerpts.length, project.file.excerpts.length);
  t.equal(pkg.signatures.length, 88);
  t.same(pkg.claims, project.file.claims);
  const first = pkg.excerpts[0]!;
  t.equal(first['@context'], 'http://www.w3.org/ns/anno.jsonld');
  t.equal(first.target.source, `urn:sha256:${project.file.excerpts[0]!.sha256}`);
  t.same(first.target.selector.map((s) => s.type), ['TextQuoteSelector', 'TextPositionSelector']);
});

t.test('the same case and moment give byte-identical PDFs in both languages', async (t) => {
  t.ok((await buildDossierPdf(dossierInputOf(project, 'en', at))).pdf.equals(english.pdf));
  t.ok((await buildDossierPdf(dossierInputOf(project, 'fr', at))).pdf.equals(french.pdf));
  t.notOk((await buildDossierPdf(dossierInputOf(project, 'en', new Date('2026-11-24T00:00:00Z')))).pdf.equals(english.pdf), 'another moment, other bytes');
});
