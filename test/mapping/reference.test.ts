import t from 'tap';
import { mapText } from '../../src/mapping/index.ts';

/** The suggestion for the passage of `text` (a list item's passage leaves out its number), if any. */
const suggestionFor = (document: string, text: string) => mapText(document).passages.find((p) => text.endsWith(p.text));

t.test('a pronoun stands for the journalist named just before, and the reason says so', async (t) => {
  const document = 'The investigative journalist Farid Aziz had exposed corruption in the ministry. He was arrested at his home on 4 March.';
  const arrest = suggestionFor(document, 'He was arrested at his home on 4 March.');
  t.ok(arrest?.criteria.includes('art1.1.c.v'), 'arbitrary detention of a journalist');
  t.ok(arrest?.criteria.includes('art1.1.d.iv'), 'a journalist punished');
  t.match(arrest?.why.join('\n'), /"He = .*journalist.* \(named before\)"/);
});

t.test('the same in French, and an impersonal « il » stands for no one', async (t) => {
  const document = 'La militante Leila Saadi dirige une association de femmes. Elle a été arrêtée lundi par la police.';
  t.ok(suggestionFor(document, 'Elle a été arrêtée lundi par la police.')?.criteria.includes('art1.1.c.v'));
  const impersonal = 'Le journaliste Karim Benali enquête sur la police. Il faut que les manifestants arrêtés soient jugés équitablement.';
  t.notOk(suggestionFor(impersonal, 'Il faut que les manifestants arrêtés soient jugés équitablement.')?.criteria.includes('art1.1.d.iv'));
});

t.test('a pronoun does not carry people into rules about anything but what was done to them', async (t) => {
  const document = 'The editor had received threats for months. He said that the city was calm and that the festival would go ahead.';
  t.equal(suggestionFor(document, 'He said that the city was calm and that the festival would go ahead.'), undefined);
});

t.test('"it" can stand for a court or a committee, which makes its finding a corroboration', async (t) => {
  const document = 'The Committee against Torture examined the report of Kandoria. It is further concerned at reports that detainees are beaten during interrogation.';
  const concern = suggestionFor(document, 'It is further concerned at reports that detainees are beaten during interrogation.');
  t.ok(concern?.criteria.includes('corroboration'));
  t.ok(concern?.criteria.includes('art1.1.c.i'));
});

t.test('a count with a word between the number and the people still counts ("50 Baha\'i homes")', async (t) => {
  const document = 'Police raided more than 50 Baha\'i homes and arrested the owners.';
  t.ok(suggestionFor(document, document)?.criteria.includes('art1.1.d.threshold'));
});

t.test('an operative paragraph of a resolution speaks for the parliament named at the top', async (t) => {
  const document = 'The European Parliament,\n\n1. Strongly condemns the arbitrary detention of the journalist Dmitri Koval;';
  t.ok(suggestionFor(document, '1. Strongly condemns the arbitrary detention of the journalist Dmitri Koval;')?.criteria.includes('corroboration'));
  const french = 'Le Parlement européen,\n\n1. condamne l’arrestation arbitraire du blogueur Iskander Bakirov ;';
  t.ok(suggestionFor(french, '1. condamne l’arrestation arbitraire du blogueur Iskander Bakirov ;')?.criteria.includes('corroboration'));
});

t.test('words of abuse used about sport, cooking, history or business stay quiet', async (t) => {
  for (const text of [
    'The home side suffered a 6-0 massacre against the champions.',
    'Beat the eggs with the sugar until pale, then fold in the flour.',
    'The museum’s new exhibition examines the history of the slave trade in the 18th century.',
    'The company was sold to a private equity fund for 2 billion dollars.',
    'Hackers breached the hospital’s computer systems and demanded a ransom.',
    'The government imposed sanctions on imports of steel from three countries.',
    'L’équipe locale a subi un véritable massacre face aux champions.',
    'Des pirates informatiques ont infiltré les serveurs de l’hôpital et exigé une rançon.',
    'Les annonceurs utilisent des cookies pour cibler les internautes avec des publicités.',
  ]) {
    t.same(mapText(text).passages, [], text);
  }
});

t.test('the (d) threshold qualifies a violation but is not one: alone, it does not let weak signals speak', async (t) => {
  const document = 'Abuses were widespread and systematic in the region. Dozens of abuses were recorded last year.';
  t.same(suggestionFor(document, 'Abuses were widespread and systematic in the region.')?.criteria, ['art1.1.d.threshold'], 'the threshold itself is suggested');
  t.equal(suggestionFor(document, 'Dozens of abuses were recorded last year.'), undefined, '"dozens" stays quiet without a reported violation');
  const reported = 'Journalists were arbitrarily detained in the capital. Dozens of abuses were recorded last year.';
  t.ok(suggestionFor(reported, 'Dozens of abuses were recorded last year.')?.criteria.includes('art1.1.d.threshold'), 'and speaks once one is reported');
});
