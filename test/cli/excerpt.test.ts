import t from 'tap';
import { parse } from 'yaml';
import { Excerpt } from '../../src/evidence/case-file.ts';
import { SEEDS_DIR } from '../../src/paths.ts';
import { loadSources } from '../../src/sources/load-sources.ts';
import { runCommand } from '../helpers/command.ts';

const excerpt = (...args: string[]) => runCommand('excerpt', args);
const QUOTE = 'Ces droits ont été violés à plusieurs reprises à l’aide de la technologie de NSO.';

t.test('prints a case-file entry whose selectors the source bears out, ready to paste', async (t) => {
  const run = await excerpt('--source', 'joint-letter-nso-2021', '--id', 'ex-jl-rights-violated', '--quote', QUOTE, '--criteria', 'art1.1.d.iv, art1.1.d.iii', '--note', 'Repeated violations.');
  t.equal(run.code, 0, run.stderr);
  const [entry] = parse(run.stdout) as unknown[];
  const parsed = Excerpt.parse(entry);
  t.match(parsed, { id: 'ex-jl-rights-violated', source: 'joint-letter-nso-2021', quote: { exact: QUOTE }, criteria: ['art1.1.d.iv', 'art1.1.d.iii'], note: 'Repeated violations.' });
  const source = (await loadSources(SEEDS_DIR)).get('joint-letter-nso-2021')!;
  t.equal(parsed.sha256, source.entry.sha256);
  t.equal(source.index.slice(parsed.position.start, parsed.position.end), QUOTE, 'the position holds the quote, in code points');
});

t.test('mistakes are refused with one line naming them, and nothing printed', async (t) => {
  const base = ['--source', 'joint-letter-nso-2021', '--quote', QUOTE, '--note', 'n'];
  const cases: Array<[string[], string]> = [
    [[...base, '--id', 'BAD ID'], '--id "BAD ID": an excerpt id starts with "ex-" followed by lower-case letters, digits and hyphens'],
    [[...base, '--id', 'ex-ok', '--criteria', 'art9'], 'unknown criteria: art9'],
    [['--source', 'no-such-source', '--quote', QUOTE, '--note', 'n', '--id', 'ex-ok'], 'no source "no-such-source"'],
    [['--source', 'joint-letter-nso-2021', '--quote', 'words the letter never wrote', '--note', 'n', '--id', 'ex-ok'], 'the quote does not occur in source joint-letter-nso-2021'],
  ];
  for (const [args, says] of cases) {
    const run = await excerpt(...args);
    t.equal(run.code, 1, args.join(' '));
    t.match(run.stderr, says);
    t.equal(run.stdout, '');
    t.notMatch(run.stderr, /\n\s+at /, 'no stack');
  }
});
