import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { nextStep } from '../../src/cases/status.ts';
import { CaseStatus } from '../../src/evidence/case-file.ts';
import { TEMPLATES_DIR } from '../../src/paths.ts';
import { ProblemsError } from '../../src/shared/problems.ts';
import { loadStrings, negotiateLanguage, translate, translateCount } from '../../src/web/i18n.ts';

const WEB_TEMPLATES = join(TEMPLATES_DIR, 'web');

function templates(dir = WEB_TEMPLATES): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.hbs'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

t.test('both languages have every string, with the same placeholders', async (t) => {
  const strings = loadStrings();
  const en = strings.get('en')!;
  const fr = strings.get('fr')!;
  t.same([...fr.keys()].sort(), [...en.keys()].sort());
  t.ok(en.size > 150);
});

t.test('every string a template asks for exists', async (t) => {
  const en = loadStrings().get('en')!;
  const asked = [...templates().matchAll(/\{\{\s*tn? "([^"]+)"/g)].map((m) => m[1]!);
  t.ok(asked.length > 100, `${asked.length} strings asked for`);
  for (const key of new Set(asked)) {
    const plural = en.has(`${key}.one`) && en.has(`${key}.other`);
    t.ok(en.has(key) || plural, key);
  }
});

t.test("the English next steps are the status machine's own words", async (t) => {
  const en = loadStrings().get('en')!;
  for (const status of CaseStatus.options) {
    t.equal(translate(en, `status.next.${status}`, { approvals: 1, required: 2 }), nextStep(status, 1, 2), status);
  }
});

t.test('a strings file with a missing key, an unknown key or other placeholders is refused, naming each', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'web-strings-'));
  cpSync(WEB_TEMPLATES, dir, { recursive: true });
  const fr = readFileSync(join(dir, 'fr.yaml'), 'utf8')
    .replace(/^  skip: .*\n/m, '')
    .replace(/^( +)too_long: .*\n/m, '$1too_long: "Écrivez moins."\n')
    .replace(/^site:\n/m, 'site:\n  slogan: En plus\n');
  writeFileSync(join(dir, 'fr.yaml'), fr);
  const error = t.throws(() => loadStrings(dir)) as unknown as ProblemsError;
  t.type(error, ProblemsError);
  t.match(error.problems, [
    { code: 'missing_string', path: 'fr.yaml:layout.skip' },
    { code: 'placeholders', path: 'fr.yaml:errors.field.too_long' },
    { code: 'unknown_string', path: 'fr.yaml:site.slogan' },
  ]);
  writeFileSync(join(dir, 'en.yaml'), 'site:\n  name: ""\n');
  t.throws(() => loadStrings(dir), ProblemsError, 'an empty string is refused');
});

t.test('translate fills placeholders and throws on a key that does not exist; plurals follow the language', async (t) => {
  const strings = loadStrings();
  const en = strings.get('en')!;
  const fr = strings.get('fr')!;
  t.equal(translate(en, 'errors.field.too_long', { max: 200 }), 'Write at most 200 characters.');
  t.throws(() => translate(en, 'no.such.key'), /no web string "no.such.key"/);
  t.equal(translateCount(en, 'en', 'case.excerpt_count', 1), '1 excerpt');
  t.equal(translateCount(en, 'en', 'case.excerpt_count', 0), '0 excerpts');
  t.equal(translateCount(fr, 'fr', 'case.excerpt_count', 0), '0 extrait', 'zero is singular in French');
  t.equal(translateCount(fr, 'fr', 'case.excerpt_count', 41), '41 extraits');
});

t.test('Accept-Language: the best language the pages speak, by quality and then order', async (t) => {
  t.equal(negotiateLanguage(undefined), undefined);
  t.equal(negotiateLanguage(''), undefined);
  t.equal(negotiateLanguage('fr-CH, fr;q=0.9, en;q=0.8'), 'fr');
  t.equal(negotiateLanguage('de-DE, en;q=0.5, fr;q=0.7'), 'fr');
  t.equal(negotiateLanguage('fr;q=0, en'), 'en', 'q=0 means "not this one"');
  t.equal(negotiateLanguage('EN-gb'), 'en');
  t.equal(negotiateLanguage('de, *;q=0.1'), undefined);
  t.equal(negotiateLanguage('fr;q=abc, en;q=0.2'), 'en', 'a malformed quality is ignored');
});
