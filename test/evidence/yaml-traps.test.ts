import t from 'tap';
import { loadCatalogue } from '../../src/criteria/catalogue.ts';
import { parseCase } from '../../src/evidence/load-case.ts';
import { SEEDS_DIR } from '../../src/paths.ts';
import { loadSources } from '../../src/sources/load-sources.ts';
import { problemsOf } from '../helpers/problems.ts';

/** YAML that attacks the parser: found by test/fuzz/case-file.test.ts, kept here as plain examples. */

const catalogue = loadCatalogue();
const sources = await loadSources(SEEDS_DIR);
const load = (text: string) => () => parseCase(text, 'case file', sources, catalogue);

t.test('aliases that expand without end (a "billion laughs") are a problem of the file, not a ReferenceError', async (t) => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [i, c] of [...'bcdefghi'].entries()) lines.push(`${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`);
  const problems = await problemsOf(load(lines.join('\n')));
  t.match(problems, [{ code: 'yaml_structure', path: '', message: /alias/ }]);
});

t.test('nesting deep enough to exhaust the parser’s stack is a problem of the file, not a RangeError', async (t) => {
  // Three thousand nested sequences, then another line: the parser's stack overflows where it does not catch it.
  const problems = await problemsOf(load(`${'- '.repeat(3000)}x\ntitle: after the nesting\n`));
  t.match(problems, [{ code: 'yaml_structure', path: '', message: /call stack/ }]);
});
