import t from 'tap';
import { loadProject } from '../../src/cli/load-project.ts';
import { toFollowTheMoney, toJsonLines } from '../../src/evidence/ftm.ts';

const project = await loadProject('nso-group');
const entities = toFollowTheMoney(project.file, project.catalogue);
const byId = new Map(entities.map((e) => [e.id, e]));

t.test('the target is a Company with its names, aliases and legal form, and nothing no source gives', async (t) => {
  const target = entities[0]!;
  t.match(target, { schema: 'Company', properties: { name: ['NSO Group Technologies Ltd'], legalForm: ['Israeli limited liability company'] } });
  t.ok(target.properties.alias!.includes('NSO Group'));
  t.notOk('registrationNumber' in target.properties, 'no registration number: not established');
  t.notOk('incorporationDate' in target.properties);
});

t.test('a fact seen only in secondary material is not exported: the entities cannot mark it unverified', async (t) => {
  const target = entities[0]!;
  t.same(target.properties.address, ['Luxembourg'], 'Luxembourg, from an excerpt and a verified citation; not Herzliya, unverified');
  const unverified = { ...project.file.target, related_entities: [...project.file.target.related_entities, { name: 'Rumoured Holding SA', relationship: 'said to hold shares', link: 'owner' as const, sources: [{ citation: 'a news report', verified: false }] }] };
  const exported = toFollowTheMoney({ ...project.file, target: unverified }, project.catalogue);
  t.notOk(JSON.stringify(exported).includes('Rumoured Holding'), 'nor a related entity only secondary material gives');
});

t.test('a Sanction with status "proposed" points at the target', async (t) => {
  const sanction = entities.find((e) => e.schema === 'Sanction')!;
  t.same(sanction.properties.entity, [entities[0]!.id]);
  t.same(sanction.properties.status, ['proposed']);
  t.same(sanction.properties.program, ['EU Global Human Rights Sanctions Regime']);
  t.same(sanction.properties.authority, ['Council of the European Union']);
  t.match(sanction.properties.reason![0], 'NSO Group is a cyber-surveillance company');
  t.ok(sanction.properties.provisions!.includes('Art. 3(1)(b)'));
});

t.test('the owner is linked by Ownership, associates by UnknownLink, every link resolves', async (t) => {
  const ownership = entities.filter((e) => e.schema === 'Ownership');
  t.equal(ownership.length, 1);
  t.same(byId.get(ownership[0]!.properties.owner![0]!)!.properties.name, ['Q Cyber Technologies Ltd']);
  t.same(ownership[0]!.properties.asset, [entities[0]!.id]);
  for (const link of entities.filter((e) => e.schema === 'UnknownLink' || e.schema === 'Ownership')) {
    for (const ref of [...(link.properties.subject ?? []), ...(link.properties.object ?? []), ...(link.properties.owner ?? []), ...(link.properties.asset ?? [])]) {
      t.ok(byId.has(ref), `${link.id} → ${ref}`);
    }
  }
});

t.test('one valid JSON entity per line', async (t) => {
  const lines = toJsonLines(entities).trimEnd().split('\n');
  t.equal(lines.length, entities.length);
  for (const line of lines) t.match(JSON.parse(line), { id: String, schema: String, properties: Object });
});

t.test('related entities keep distinct ids whatever their names: another script, or two spellings of one name', async (t) => {
  const [first] = project.file.target.related_entities;
  const related = ['Группа НСО', 'Группа ОСН', 'Société Générale', 'Societe Generale'].map((name) => ({ ...first!, name }));
  const file = { ...project.file, target: { ...project.file.target, related_entities: related } };
  const ids = toFollowTheMoney(file, project.catalogue).map((e) => e.id);
  t.equal(new Set(ids).size, ids.length, 'no two entities share an id');
});
