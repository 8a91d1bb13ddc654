import { readFile } from 'node:fs/promises';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { loadCatalogue } from '../../src/criteria/catalogue.ts';
import { caseFilePath, loadCase, parseCase } from '../../src/evidence/load-case.ts';
import { EVIDENCE_DIR, SEEDS_DIR } from '../../src/paths.ts';
import { loadSources } from '../../src/sources/load-sources.ts';
import { problemsOf } from '../helpers/problems.ts';

const catalogue = loadCatalogue();
const sources = await loadSources(SEEDS_DIR);
const nsoText = await readFile(caseFilePath(EVIDENCE_DIR, 'nso-group'), 'utf8');

t.test('the NSO Group case loads, every quote verified against its source', async (t) => {
  const { file, warnings } = await loadCase(EVIDENCE_DIR, 'nso-group', sources, catalogue);
  t.same(warnings, [], 'no drift, no gap, no unused excerpt');
  t.ok(file.excerpts.length >= 30, `${file.excerpts.length} excerpts`);
  const covered = new Set(file.excerpts.filter((e) => !e.exculpatory).flatMap((e) => e.criteria));
  for (const id of ['art1.1.d.iv', 'art1.1.d.iii', 'art1.1.d.other', 'art1.1.c.iii', 'art1.1.c.iv', 'art1.1.d.threshold', 'art3.1.b', 'corroboration']) {
    t.ok(covered.has(id as never), `some excerpt supports ${id}`);
  }
  t.same(file.claims, { criteria: ['art1.1.d.iii', 'art1.1.d.iv', 'art1.1.d.other', 'art1.1.c.iii', 'art1.1.c.iv'], involvement: 'art3.1.b' });
  t.ok(file.excerpts.some((e) => e.exculpatory), 'the denials are kept as exculpatory information');
  for (const e of file.excerpts) {
    const source = sources.get(e.source)!;
    t.equal(source.index.slice(e.position.start, e.position.end), e.quote.exact, `${e.id} is exact`);
  }
});

t.test('the signatories are the 82 organisations and 6 experts of the joint letter, as written', async (t) => {
  const { file } = await loadCase(EVIDENCE_DIR, 'nso-group', sources, catalogue);
  t.equal(file.signatories.filter((s) => s.category === 'organisation').length, 82);
  const experts = file.signatories.filter((s) => s.category === 'expert');
  t.equal(experts.length, 6);
  t.match(experts[0], { name: 'Siena Anstis', affiliation: /^conseil juridique senior, The Citizen Lab/ });
});

t.test('fields that no source gives stay empty', async (t) => {
  const { file } = await loadCase(EVIDENCE_DIR, 'nso-group', sources, catalogue);
  t.same(file.target.registration_number, []);
  t.same(file.target.date_of_registration, []);
  const facts = [...file.target.names, ...file.target.aliases, ...file.target.legal_form, ...file.target.place_of_business];
  t.ok(facts.every((f) => f.sources.length > 0), 'every fact names its source');
});

t.test('a changed quote is refused with the excerpt id, expected and found text', async (t) => {
  const raw = parse(nsoText);
  const excerpt = raw.excerpts[3];
  excerpt.quote.exact = excerpt.quote.exact.replace(/\p{L}/u, 'X');
  const problems = await problemsOf(() => parseCase(stringify(raw), 'test', sources, catalogue));
  t.equal(problems.length, 1);
  t.equal(problems[0]!.path, 'excerpts[3].quote.exact');
  t.match(problems[0]!.message, excerpt.id);
  t.match(problems[0]!.message, `expected "${excerpt.quote.exact.slice(0, 40)}`);
});

t.test('drifted positions give a warning with the corrected positions', async (t) => {
  const raw = parse(nsoText);
  const { start, end } = raw.excerpts[0].position;
  raw.excerpts[0].position = { start: start + 5, end: end + 5 };
  const { file, warnings } = parseCase(stringify(raw), 'test', sources, catalogue);
  t.match(warnings, [{ code: 'position_drift', path: 'excerpts[0].position', message: new RegExp(`found once at ${start}-${end}`) }]);
  t.same(file.excerpts[0]!.position, { start, end });
});

t.test('an invalid case file reports every problem with its path, not just the first', async (t) => {
  const raw = parse(nsoText);
  raw.excerpts[0].criteria = ['art1.1.z'];
  delete raw.excerpts[1].note;
  raw.target.names = [];
  raw.surprise = true;
  const problems = await problemsOf(() => parseCase(stringify(raw), 'test', sources, catalogue));
  t.same(problems.map((p) => p.path), ['', 'excerpts[0].criteria[0]', 'excerpts[1].note', 'target.names']);
});

t.test('references that go nowhere are all reported', async (t) => {
  const raw = parse(nsoText);
  raw.statement_of_reasons[0].sentences[0].excerpts = ['ex-nowhere'];
  raw.excerpts[2].source = 'no-such-source';
  raw.claims.criteria.push('art3.1.a');
  raw.signatories[0].name = 'Invented Org';
  raw.excerpts[5].id = raw.excerpts[4].id;
  const problems = await problemsOf(() => parseCase(stringify(raw), 'test', sources, catalogue));
  t.same([...new Set(problems.map((p) => p.code))].sort(), ['duplicate_id', 'not_a_violation', 'signatory_not_in_source', 'unknown_excerpt', 'unknown_source']);
});

t.test('a signatory written twice in one list is refused; an organisation and an expert of the same name are two signatories', async (t) => {
  const raw = parse(nsoText);
  const organisation = raw.signatories.find((s: { category: string }) => s.category === 'organisation');
  raw.signatories.push({ ...organisation });
  const problems = await problemsOf(() => parseCase(stringify(raw), 'test', sources, catalogue));
  t.same(problems.map((p) => [p.code, p.path]), [['duplicate_signatory', `signatories[${raw.signatories.length - 1}]`]]);
  t.match(problems[0]!.message, `"${organisation.name}" also signs as an organisation at signatories[`);

  raw.signatories.pop();
  raw.signatories.push({ name: organisation.name, category: 'expert' });
  const { file } = parseCase(stringify(raw), 'test', sources, catalogue);
  t.equal(file.signatories.filter((s) => s.name === organisation.name).length, 2, 'the expert of the same name is kept beside the organisation');
});

t.test('blank facts and citations and a criterion listed twice are refused, each at its path', async (t) => {
  const raw = parse(nsoText);
  raw.target.legal_form = [{ value: '   ', sources: [{ citation: ' ', verified: false }] }];
  raw.excerpts[0].criteria = [raw.excerpts[0].criteria[0], raw.excerpts[0].criteria[0]];
  const problems = await problemsOf(() => parseCase(stringify(raw), 'test', sources, catalogue));
  t.same(problems.map((p) => [p.path, p.message]).sort(), [
    ['excerpts[0].criteria', 'a criterion is listed once'],
    ['target.legal_form[0].sources[0].citation', 'is blank'],
    ['target.legal_form[0].value', 'is blank'],
  ]);
});

t.test('YAML syntax errors name their line', async (t) => {
  const problems = await problemsOf(() => parseCase('id: [unclosed\n', 'test', sources, catalogue));
  t.match(problems, [{ code: 'yaml_syntax', path: /^line \d+, column \d+$/ }]);
});

t.test('an unknown case and a case id that is a path are refused', async (t) => {
  t.match(await problemsOf(() => loadCase(EVIDENCE_DIR, 'no-such-case', sources, catalogue)), [{ code: 'unknown_case', message: /no case "no-such-case"/ }]);
  t.match(await problemsOf(() => loadCase(EVIDENCE_DIR, '../seeds', sources, catalogue)), [{ code: 'bad_case_id' }]);
});
