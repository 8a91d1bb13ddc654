import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { CATALOGUE_PATH, loadCatalogue, parseCatalogue } from '../../src/criteria/catalogue.ts';
import { CRITERION_IDS, isLegal } from '../../src/criteria/schema.ts';
import { ProblemsError } from '../../src/shared/problems.ts';
import { problemsOf } from '../helpers/problems.ts';

const catalogue = loadCatalogue();

t.test('the shipped catalogue loads with exactly the identifiers of the design', async (t) => {
  t.same(catalogue.criteria.map((c) => c.id), [...CRITERION_IDS]);
  t.equal(catalogue.act('dec-2020-1999').eli, 'http://data.europa.eu/eli/dec/2020/1999/oj');
  t.equal(catalogue.act('reg-2020-1998').eli, 'http://data.europa.eu/eli/reg/2020/1998/oj');
});

t.test('every entry has English and French text and labels', async (t) => {
  for (const c of catalogue.criteria) {
    const text = isLegal(c) ? c.text : c.description;
    t.ok(text.en && text.fr && c.label.en && c.label.fr, c.id);
  }
});

t.test('verified flags follow the legal notes', async (t) => {
  const art1 = catalogue.criteria.filter((c) => c.id.startsWith('art1.1.'));
  t.ok(art1.every((c) => isLegal(c) && c.verified.en && !c.verified.fr), 'Art. 1(1): English verified, French not');
  const art3 = catalogue.ofKind('involvement');
  t.same(art3.map((c) => c.id), ['art3.1.a', 'art3.1.b', 'art3.1.c']);
  t.ok(art3.every((c) => isLegal(c) && !c.verified.en && !c.verified.fr), 'Art. 3(1) is unverified wording');
  t.ok(isLegal(catalogue.get('art1.1.d.iv')) && catalogue.get('art1.1.d.iv').label.en.includes('expression'));
});

t.test('what differs between criteria is declared: every (d) violation requires the threshold', async (t) => {
  for (const c of catalogue.ofKind('violation')) {
    const inD = isLegal(c) && c.group === 'art1.1.d';
    t.same(c.requires, inD ? ['art1.1.d.threshold'] : [], c.id);
  }
  t.equal(catalogue.get('art1.1.d.threshold').kind, 'threshold');
  t.equal(catalogue.get('corroboration').kind, 'corroboration');
});

t.test('a broken catalogue is refused with every problem and its path', async (t) => {
  const raw = parse(readFileSync(CATALOGUE_PATH, 'utf8'));
  raw.criteria[0].label = { en: 'Genocide' };
  raw.criteria[3].group = 'art9';
  raw.criteria[9].requires = ['art1.1.a'];
  raw.criteria.pop();
  const error = (() => {
    try {
      parseCatalogue(raw);
    } catch (e) {
      return e as ProblemsError;
    }
  })();
  t.type(error, ProblemsError);
  t.same(error!.problems.map((p) => p.path), ['criteria[0].label.fr']);
  delete raw.criteria[0].label;
  raw.criteria[0].label = { en: 'Genocide', fr: 'Génocide' };
  t.match(await problemsOf(() => parseCatalogue(raw)), [
      { code: 'unknown_group', path: 'criteria[3].group' },
      { code: 'bad_requirement', path: 'criteria[9].requires[0]' },
      { code: 'missing_criterion', path: 'criteria' },
  ]);
});
