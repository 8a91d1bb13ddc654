import t from 'tap';
import { detectLanguage } from '../../src/mapping/language.ts';

t.test('English and French are told apart by their function words', async (t) => {
  t.equal(detectLanguage('The security forces arrested the journalists and held them for a week.'), 'en');
  t.equal(detectLanguage('Les forces de sécurité ont arrêté les journalistes et les ont détenus une semaine.'), 'fr');
  t.equal(detectLanguage('Le logiciel espion Pegasus du groupe NSO a été utilisé contre des défenseurs des droits humains (Human Rights Watch, Amnesty International).'), 'fr', 'English names in French text');
});

t.test('a text without evidence either way is English', async (t) => {
  t.equal(detectLanguage('1234 — 5678'), 'en');
  t.equal(detectLanguage(''), 'en');
});
