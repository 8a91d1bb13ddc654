import t from 'tap';
import { mapText } from '../../src/mapping/index.ts';

const criteriaOf = (text: string, lang?: 'en' | 'fr') => [...new Set(mapText(text, lang ? { lang } : {}).passages.flatMap((p) => p.criteria))];

t.test('what a text asks for is not evidence; what it reports is', async (t) => {
  t.same(criteriaOf('EU member states must adopt a moratorium on the sale of spyware used to hack journalists.', 'en'), []);
  t.ok(criteriaOf('Spyware was used to hack the phones of journalists.', 'en').includes('art1.1.d.other'));
  t.same(criteriaOf('Les États doivent mettre fin à la détention arbitraire des journalistes.', 'fr'), []);
  t.ok(criteriaOf('Les autorités ont détenu arbitrairement des journalistes.', 'fr').includes('art1.1.c.v'));
});

t.test('a report inside a request still counts: "who have been detained"', async (t) => {
  const found = criteriaOf('The authorities must release the human rights lawyers who have been detained without charge since July.', 'en');
  t.ok(found.includes('art1.1.c.v'));
});

t.test('list items after a lead-in that asks are asked for', async (t) => {
  const text = 'We urge the government to:\n- end the torture of detainees\n- release the journalists held without charge';
  t.same(mapText(text, { lang: 'en' }).passages, []);
  const reported = 'The report documents:\n- the torture of detainees\n- journalists held without charge';
  t.equal(mapText(reported, { lang: 'en' }).passages.length, 2);
});

t.test('negation cancels', async (t) => {
  t.same(criteriaOf('The detainees were not tortured.', 'en'), []);
  t.same(criteriaOf("Les détenus n'ont pas été torturés.", 'fr'), []);
  t.ok(criteriaOf('The detainees were tortured.', 'en').includes('art1.1.c.i'));
});

t.test('hedges lower the score and say so; what is only possible lowers it more', async (t) => {
  const plain = mapText('Detainees were tortured in the prison.', { lang: 'en' }).passages[0]!;
  const alleged = mapText('Detainees were allegedly tortured in the prison.', { lang: 'en' }).passages[0]!;
  t.ok(alleged.score < plain.score);
  t.match(alleged.why[0], /hedged: "allegedly"/);
  t.same(criteriaOf('Spyware may facilitate extrajudicial killings.', 'en'), [], 'a possibility is not a report');
  t.same(criteriaOf('Les logiciels espions peuvent faciliter les exécutions extrajudiciaires.', 'fr'), []);
});

t.test('a denial lowers the whole passage', async (t) => {
  t.same(criteriaOf('The ministry denied that any protester had been tortured.', 'en'), []);
});

t.test('a statement of the law is no report of its breach', async (t) => {
  t.same(criteriaOf('Torture is prohibited under international law.', 'en'), []);
  t.same(criteriaOf('La torture est interdite en toutes circonstances.', 'fr'), []);
});

t.test('names of organisations and treaties are no evidence', async (t) => {
  t.same(criteriaOf('Signed by the World Organisation Against Torture and the Committee to Protect Journalists.', 'en'), []);
  t.same(criteriaOf('Organisation mondiale contre la torture (OMCT)', 'fr'), []);
});

t.test('off-topic texts stay quiet', async (t) => {
  const texts = [
    'Rovers beat City 2-1 on Saturday; police said two supporters were arrested after a scuffle, and the club was fined by the league.',
    'Roast the lamb for four hours, basting every hour, and serve with potatoes.',
    'Shares rose 12 per cent after the company sold 14 million units; its subsidiary in Taiwan supplies carmakers.',
    'Flooding killed two people last winter and widespread disruption is expected from the storm.',
    "Le PSG s'est imposé 2-1 ; la commission de discipline a sanctionné le club d'une amende.",
    'Faites mariner la viande dans le vin rouge pendant une nuit.',
    "Le groupe, détenu majoritairement par la famille fondatrice, a vendu 3 millions d'appareils.",
    'Des orages violents sont attendus avec un risque de crues dans six départements.',
  ];
  for (const text of texts) t.same(mapText(text).passages, [], text);
});
