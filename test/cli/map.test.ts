import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { MappingResult } from '../../src/mapping/index.ts';
import { SEEDS_DIR } from '../../src/paths.ts';
import { sha256Hex } from '../../src/shared/hash.ts';
import { runCommand, type CommandRun } from '../helpers/command.ts';


const map = (...args: string[]) => runCommand('map', args);

const tmp = () => mkdtemp(join(tmpdir(), 'map-cli-'));

t.test('--json prints one JSON object: the source hash and language, and passages whose text is the code points start..end', async (t) => {
  const dir = await tmp();
  const file = join(dir, 'report.txt');
  const text = '\uFEFF🙂 Rapport\n\nLes forces de sécurité ont arrêté arbitrairement des journalistes 📰 et torturé des détenus.\n';
  await writeFile(file, text);
  const run = await map('--json', file);
  t.equal(run.code, 0, run.stderr);
  t.equal(run.stdout.trim().split('\n').length, 1, 'one line');
  const output = JSON.parse(run.stdout) as { source: { sha256: string; language: string }; passages: MappingResult['passages'] };
  t.equal(output.source.sha256, sha256Hex(Buffer.from(text)));
  t.equal(output.source.language, 'fr');
  t.ok(MappingResult.safeParse({ source: { language: output.source.language }, passages: output.passages }).success);
  t.equal(output.passages.length, 1);
  const codePoints = [...text];
  for (const p of output.passages) t.equal(codePoints.slice(p.start, p.end).join(''), p.text, 'offsets count code points, the byte order mark included');
  t.same(output.passages[0]!.criteria, ['art1.1.c.i', 'art1.1.c.v', 'art1.1.d.iv']);
});

t.test('--lang overrides detection; a seed maps in English and French', async (t) => {
  const english = await map('--json', join(SEEDS_DIR, '001_d5706ac876b368e0.txt'));
  t.equal(english.code, 0, english.stderr);
  t.equal(JSON.parse(english.stdout).source.language, 'en');
  t.ok(JSON.parse(english.stdout).passages.some((p: { criteria: string[] }) => p.criteria.includes('art1.1.c.iv')), 'the forcible disappearances');
  const forced = await map('--json', '--lang', 'fr', join(SEEDS_DIR, '001_d5706ac876b368e0.txt'));
  t.equal(JSON.parse(forced.stdout).source.language, 'fr');
});

t.test('without --json it prints a readable table', async (t) => {
  const run = await map(join(SEEDS_DIR, '003_48b37dcab1a69050.txt'));
  t.equal(run.code, 0, run.stderr);
  const lines = run.stdout.split('\n');
  t.match(lines[0], /003_48b37dcab1a69050\.txt\s+language fr\s+sha256 dbbf1a53/);
  t.match(lines[1], /^\d+ passages with suggestions$/);
  t.match(run.stdout, /start-end\s+score\s+criteria\s+text/);
  t.match(run.stdout, /corroboration [\d.]+: /, 'reasons under each passage');
});

t.test('a text without any suggestion gives an empty list', async (t) => {
  const dir = await tmp();
  const file = join(dir, 'recipe.txt');
  await writeFile(file, 'Roast the lamb for four hours and serve it with potatoes.\n');
  const run = await map('--json', file);
  t.equal(run.code, 0, run.stderr);
  t.same(JSON.parse(run.stdout).passages, []);
});

t.test('bad inputs are refused with one line and exit 1', async (t) => {
  const dir = await tmp();
  const empty = join(dir, 'empty.txt');
  await writeFile(empty, '');
  const blank = join(dir, 'blank.txt');
  await writeFile(blank, ' \n\t\n');
  const latin1 = join(dir, 'latin1.txt');
  await writeFile(latin1, Buffer.from([0x44, 0xe9, 0x74, 0x65, 0x6e, 0x75, 0x73, 0x0a])); // "Détenus" in Latin-1
  const binary = join(dir, 'binary.txt');
  await writeFile(binary, Buffer.from('PK\u0003\u0004\u0000\u0000binary', 'latin1'));
  const huge = join(dir, 'huge.txt');
  await writeFile(huge, Buffer.alloc(5 * 1024 * 1024 + 1, 'a'));
  const folder = join(dir, 'folder');
  await mkdir(folder);

  /** A refused input: one line on stderr, nothing on stdout, exit 1, no stack. */
  const refused = (run: CommandRun, pattern: RegExp): void => {
    t.equal(run.code, 1, 'exit code 1');
    t.equal(run.stdout, '', 'nothing on stdout');
    t.match(run.stderr, /^error: [^\n]+\n$/, 'one line on stderr');
    t.match(run.stderr, pattern);
    t.notMatch(run.stderr, /\n\s+at /, 'no stack trace');
  };

  refused(await map('--json', join(dir, 'missing.txt')), /cannot map ".*missing\.txt": no such file/);
  refused(await map('--json', empty), /the file is empty/);
  refused(await map('--json', blank), /no text/);
  refused(await map('--json', latin1), /not UTF-8 text/);
  refused(await map('--json', binary), /binary file/);
  refused(await map('--json', huge), /more than the limit of 5242880 \(5 MiB\)/);
  refused(await map('--json', folder), /it is a folder/);
  refused(await map('--json'), /usage: npm run --silent map/);
  refused(await map('--json', empty, blank), /one file at a time/);
  refused(await map('--json', '--lang', 'de', latin1), /--lang "de" is not supported: use en or fr/);
  refused(await map('--jsn', latin1), /Unknown option '--jsn'/);
});
