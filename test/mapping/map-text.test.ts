import t from 'tap';
import { mapText, MappingResult } from '../../src/mapping/index.ts';
import type { CriterionId } from '../../src/criteria/schema.ts';

/** The criteria suggested for a text of one passage. */
function criteria(text: string, lang?: 'en' | 'fr'): CriterionId[] {
  const result = mapText(text, lang ? { lang } : {});
  return [...new Set(result.passages.flatMap((p) => p.criteria))];
}

t.test('offsets are code points of the text, also after emoji and accents', async (t) => {
  const text = '🙂 Été 2023 🙂\n\nLes forces de sécurité ont arrêté arbitrairement des journalistes 📰 et des militants.\n\n😀 Fin.';
  const result = mapText(text);
  t.equal(result.source.language, 'fr');
  t.equal(result.passages.length, 1);
  const passage = result.passages[0]!;
  const codePoints = [...text];
  t.equal(codePoints.slice(passage.start, passage.end).join(''), passage.text);
  t.equal(passage.text, 'Les forces de sécurité ont arrêté arbitrairement des journalistes 📰 et des militants.');
  t.ok(passage.start < text.indexOf('Les'), 'code points come before UTF-16 units when astral characters precede');
});

t.test('the result has the documented shape and is the same for the same text', async (t) => {
  const text = 'Security forces tortured detainees and shot dead 30 protesters. The weather was fine.';
  const result = mapText(text);
  t.ok(MappingResult.safeParse(result).success);
  t.same(mapText(text), result, 'pure');
  const [passage] = result.passages;
  t.ok(passage);
  t.ok(passage!.score > 0.5 && passage!.score <= 1);
  t.ok(passage!.why.every((w) => /^art|^corroboration/.test(w)), 'each reason names its criterion');
  t.match(passage!.why.join('\n'), /\[en:torture [\d.]+\]: "tortured"/, 'the rule and the words that fired');
  t.equal(result.passages.length, 1, 'the off-topic sentence is left out');
});

t.test('a given language is used as given', async (t) => {
  t.equal(mapText('Des journalistes ont été arrêtés.', { lang: 'fr' }).source.language, 'fr');
  t.equal(mapText('Des journalistes ont été arrêtés.', { lang: 'en' }).source.language, 'en');
});

t.test('boilerplate is never suggested, even when it has evidence words', async (t) => {
  const text = 'Skip to main content\nYour tax deductible gift can help stop human rights violations and save lives around the world.\n\nPolice tortured the prisoners.';
  const result = mapText(text);
  t.same(result.passages.map((p) => p.text), ['Police tortured the prisoners.']);
});

t.test('list items and headings are passages that can carry suggestions', async (t) => {
  const text = 'CRACKDOWN ON JOURNALISTS\n\nThe report documents:\n- the arbitrary detention of 40 bloggers\n- the torture of detainees in police custody';
  const result = mapText(text);
  t.same(result.passages.map((p) => [p.kind, p.text]), [
    ['heading', 'CRACKDOWN ON JOURNALISTS'],
    ['bullet', 'the arbitrary detention of 40 bloggers'],
    ['bullet', 'the torture of detainees in police custody'],
  ]);
  t.ok(result.passages[1]!.criteria.includes('art1.1.c.v'));
  t.ok(result.passages[2]!.criteria.includes('art1.1.c.i'));
});

const EXAMPLES: { criterion: CriterionId; en: string; fr: string }[] = [
  { criterion: 'art1.1.a', en: 'The commission found that the killings were committed with intent to destroy the group, amounting to genocide.', fr: 'La commission a conclu que les massacres constituaient un génocide.' },
  { criterion: 'art1.1.b', en: 'These acts form part of a widespread and systematic attack against the civilian population and amount to crimes against humanity.', fr: 'Ces actes constituent des crimes contre l’humanité.' },
  { criterion: 'art1.1.c.i', en: 'Detainees were tortured with electric shocks during interrogation.', fr: 'Les détenus ont été torturés à l’électricité pendant les interrogatoires.' },
  { criterion: 'art1.1.c.ii', en: 'Workers were held in servitude and subjected to forced labour on the plantations.', fr: 'Des ouvriers ont été soumis au travail forcé dans les plantations.' },
  { criterion: 'art1.1.c.iii', en: 'Soldiers summarily executed eleven villagers.', fr: 'Des soldats ont exécuté sommairement onze villageois.' },
  { criterion: 'art1.1.c.iv', en: 'The activist was forcibly disappeared and his whereabouts remain unknown.', fr: 'Le militant a été victime de disparition forcée.' },
  { criterion: 'art1.1.c.v', en: 'The authorities arbitrarily detained the lawyer without charge.', fr: 'Les autorités ont détenu arbitrairement l’avocat sans inculpation.' },
  { criterion: 'art1.1.d.i', en: 'Women were trafficked across the border for sexual exploitation by a trafficking network.', fr: 'Des femmes ont été victimes de la traite des êtres humains.' },
  { criterion: 'art1.1.d.ii', en: 'Soldiers raped women during the raids.', fr: 'Des soldats ont commis des viols et d’autres violences sexuelles.' },
  { criterion: 'art1.1.d.iii', en: 'Police violently dispersed a peaceful demonstration and arrested the organisers.', fr: 'La police a violemment dispersé la manifestation pacifique.' },
  { criterion: 'art1.1.d.iv', en: 'The journalist was jailed for criticising the president.', fr: 'Le journaliste a été emprisonné pour avoir critiqué le président.' },
  { criterion: 'art1.1.d.v', en: 'Authorities demolished churches and arrested pastors.', fr: 'Les autorités ont démoli des mosquées et arrêté des imams.' },
  { criterion: 'art1.1.d.other', en: 'Spyware was used to hack the phones of journalists.', fr: 'Le logiciel espion a été utilisé pour pirater les téléphones de journalistes.' },
  { criterion: 'art1.1.d.threshold', en: 'Torture in detention is widespread and systematic.', fr: 'La torture en détention est généralisée et systématique.' },
  { criterion: 'art3.1.a', en: 'The general ordered the killings of protesters.', fr: 'Le général a ordonné le meurtre des manifestants.' },
  { criterion: 'art3.1.b', en: 'The company sold spyware to governments that used it to target journalists.', fr: 'L’entreprise a vendu des logiciels espions à des gouvernements qui s’en servent pour cibler des journalistes.' },
  { criterion: 'corroboration', en: 'The US Department of Commerce added the company to the Entity List.', fr: 'Le département du Commerce des États-Unis a ajouté le groupe à la liste des entités.' },
];

t.test('each criterion has an English and a French example', async (t) => {
  for (const { criterion, en, fr } of EXAMPLES) {
    t.ok(criteria(en, 'en').includes(criterion), `${criterion} (en): ${en}`);
    t.ok(criteria(fr, 'fr').includes(criterion), `${criterion} (fr): ${fr}`);
  }
});

t.test('association (Art. 3(1)(c)) is suggested in a document that reports abuses, not in business news', async (t) => {
  const report = 'Security forces tortured detainees in the prison.\n\nThe prison is run by Vektor Security, a subsidiary of Orrin Holdings.';
  const suggested = mapText(report).passages.find((p) => p.text.startsWith('The prison'));
  t.same(suggested?.criteria, ['art3.1.c']);
  t.match(suggested?.why[0], /the document reports abuses elsewhere/);
  const news = 'Orrin Holdings said its subsidiary Vektor sold more units this quarter.\n\nThe shares rose by 4 per cent.';
  t.same(mapText(news).passages, []);
});
