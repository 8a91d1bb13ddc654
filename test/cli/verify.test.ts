import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { copyProject } from '../helpers/project.ts';
import { runCommand } from '../helpers/command.ts';

const run = (script: string, ...args: string[]) => runCommand(script, args);

const { dir, sources } = await copyProject();
const pdf = join(dir, 'nso.pdf');
t.before(async () => {
  const made = await run('dossier', '--out', pdf, '--date', '2026-11-23');
  if (made.code !== 0) throw new Error(made.stderr);
});

t.test('npm run verify passes on a fresh dossier: every quote OK', async (t) => {
  const result = await run('verify', pdf);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, /nso-group: 41 of 41 quotes verified/);
  t.notMatch(result.stdout, 'MISMATCH');
});

t.test('it fails, naming each quote and the changed file, when a seed was changed', async (t) => {
  const file = join(sources, '004_e8402d20844e34cf.txt');
  await writeFile(file, (await readFile(file, 'utf8')).replace('NSO Group', 'NSO Groupe'));
  const result = await run('verify', pdf, '--sources', sources);
  t.equal(result.code, 1);
  t.match(result.stdout, /MISMATCH ex-[\w-]+: source ai-luxembourg-2022 \(004_e8402d20844e34cf\.txt\) has changed/);
  t.match(result.stderr, /\d+ quotes? could not be verified/);
});

t.test('a file that is not a dossier gets a one-line error', async (t) => {
  const notPdf = await run('verify', join(PROJECT_ROOT, 'README.md'));
  t.equal(notPdf.code, 1);
  t.match(notPdf.stderr, 'is not a readable PDF');
  const missing = await run('verify', join(dir, 'nothing.pdf'));
  t.equal(missing.code, 1);
  t.match(missing.stderr, 'cannot read');
  const usage = await run('verify');
  t.match(usage.stderr, 'usage: npm run verify');
});
