import t from 'tap';
import { assembleDossier, sortSignatories } from '../../src/dossier/assemble.ts';
import { dossierInputOf, loadProject } from '../../src/cli/load-project.ts';
import { composeDossier } from '../../src/render/compose-dossier.ts';
import { loadDossierText } from '../../src/render/text/dossier-text.ts';

const project = await loadProject('nso-group');
const input = { ...dossierInputOf(project, 'en', new Date('2026-11-23')), date: '2026-11-23' };

t.test('the model is a pure function of the case', async (t) => {
  t.same(assembleDossier(input), assembleDossier(input));
});

t.test('one evidence section per claimed criterion, in the order of the act', async (t) => {
  const model = assembleDossier(input);
  t.same(model.criterionSections.map((s) => s.criterion.id), ['art1.1.c.iii', 'art1.1.c.iv', 'art1.1.d.iii', 'art1.1.d.iv', 'art1.1.d.other']);
  t.same(model.threshold.map((s) => s.criterion.id), ['art1.1.d.threshold']);
  t.equal(model.involvementSection.criterion.id, 'art3.1.b');
  for (const section of [...model.criterionSections, ...model.threshold, model.involvementSection, ...model.corroboration]) {
    t.ok(section.excerpts.length > 0, `${section.criterion.id} has evidence`);
    t.ok(section.excerpts.every((e) => e.criteria.includes(section.criterion.id)));
  }
  t.ok(model.exculpatory.length >= 2);
  t.ok(model.legalBasis.find((l) => l.id === 'art3.1.b')?.verified === false, 'Art. 3(1) is marked unverified');
  t.ok(model.legalBasis.find((l) => l.id === 'art1.1.d.iv')?.verified === true);
});

t.test('every excerpt label cited by the statement of reasons exists', async (t) => {
  const model = assembleDossier(input);
  const labels = new Set(project.file.excerpts.map((_, i) => `E${i + 1}`));
  for (const sentence of model.statement.flat()) t.ok(sentence.references.every((r) => labels.has(r)), sentence.text.slice(0, 40));
});

t.test('identity fields without a source say so by being empty', async (t) => {
  const model = assembleDossier(input);
  const registration = model.target.identity.find((f) => f.field === 'registration_number')!;
  t.same(registration.facts, []);
  t.equal(model.target.name, project.file.target.names[0]!.value);
});

t.test('signatories are sorted with a locale-aware collator', async (t) => {
  const sorted = sortSignatories(
    [
      { name: 'Zeta', category: 'organisation' },
      { name: 'Élan', category: 'organisation' },
      { name: 'eagle', category: 'organisation' },
      { name: '11.11.11.', category: 'organisation' },
      { name: 'Ana', category: 'expert', affiliation: 'X' },
    ],
    'fr',
  );
  t.same(sorted.organisation.map((s) => s.name), ['11.11.11.', 'eagle', 'Élan', 'Zeta']);
  t.same(sorted.expert, [{ name: 'Ana', affiliation: 'X' }]);
  const model = assembleDossier(input);
  t.equal(model.signatories.organisation.length, 82);
  t.equal(model.signatories.expert.length, 6);
});

t.test('an excerpt whose criteria no section shows (another limb of involvement) is shown among further excerpts, not dropped', async (t) => {
  t.same(assembleDossier(input).furtherExcerpts, [], 'none in the NSO case: every excerpt has its section');
  const excerpt = project.file.excerpts.find((e) => !e.exculpatory && e.criteria.length > 0)!;
  const file = { ...project.file, excerpts: project.file.excerpts.map((e) => (e.id === excerpt.id ? { ...e, criteria: ['art3.1.a' as const] } : e)) };
  const model = assembleDossier({ ...input, file });
  t.same(model.furtherExcerpts.map((e) => e.id), [excerpt.id]);
  const everyShown = [...model.criterionSections, ...model.threshold, model.involvementSection, ...model.corroboration].flatMap((s) => s.excerpts);
  t.notOk(everyShown.some((e) => e.id === excerpt.id), 'no section shows it');
  const blocks = composeDossier(model, loadDossierText('en')).body;
  t.ok(blocks.some((b) => b.type === 'heading' && b.text === 'Further excerpts'), 'a section of its own');
  t.ok(blocks.some((b) => b.type === 'quote' && b.text.includes(excerpt.quote.exact)), 'with its quote');
});
