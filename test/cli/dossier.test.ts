import { access, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { copyProject } from '../helpers/project.ts';
import { runCommand } from '../helpers/command.ts';


const dossier = (...args: string[]) => runCommand('dossier', args);

const exists = (path: string) => access(path).then(() => true, () => false);

t.test('writes the NSO Group dossier where asked', async (t) => {
  const { dir } = await copyProject();
  const out = join(dir, 'out', 'nso.pdf');
  const run = await dossier('--out', out, '--date', '2026-11-23');
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, `wrote ${out}`);
  t.equal((await readFile(out)).subarray(0, 5).toString(), '%PDF-');
});

t.test('an unknown case: a clear message, non-zero exit, no PDF', async (t) => {
  const { dir } = await copyProject();
  const out = join(dir, 'x.pdf');
  const run = await dossier('--case', 'acme', '--out', out);
  t.equal(run.code, 1);
  t.match(run.stderr, 'there is no case "acme"');
  t.notMatch(run.stderr, /\n\s+at /, 'no stack trace');
  t.notOk(await exists(out));
});

t.test('a changed seed: the message names the file and both hashes, no PDF', async (t) => {
  const { dir, sources } = await copyProject();
  const file = join(sources, '002_756feff41aa54bf4.txt');
  await writeFile(file, (await readFile(file, 'utf8')).replace('Pegasus', 'Pegasvs'));
  const out = join(dir, 'x.pdf');
  const run = await dossier('--sources', sources, '--out', out);
  t.equal(run.code, 1);
  t.match(run.stderr, '002_756feff41aa54bf4.txt');
  t.match(run.stderr, '0518d49a4407adf19facc989169e704334cec4ee0602fad3866ac0f56dc03e88');
  t.notOk(await exists(out));
});

t.test('a changed quote: the message names the excerpt, no PDF', async (t) => {
  const { dir, evidence } = await copyProject();
  const path = join(evidence, 'nso-group', 'case.yaml');
  const raw = parse(await readFile(path, 'utf8'));
  raw.excerpts[7].quote.exact = raw.excerpts[7].quote.exact.replace(/e/, 'é');
  await writeFile(path, stringify(raw));
  const out = join(dir, 'x.pdf');
  const run = await dossier('--evidence', evidence, '--out', out);
  t.equal(run.code, 1);
  t.match(run.stderr, raw.excerpts[7].id);
  t.match(run.stderr, 'excerpts[7].quote.exact');
  t.notOk(await exists(out));
});

t.test('an invalid case file: every problem with its path', async (t) => {
  const { dir, evidence } = await copyProject();
  const path = join(evidence, 'nso-group', 'case.yaml');
  const raw = parse(await readFile(path, 'utf8'));
  raw.claims.involvement = 'art9';
  raw.excerpts[0].position.start = -1;
  await writeFile(path, stringify(raw));
  const run = await dossier('--evidence', evidence, '--out', join(dir, 'x.pdf'));
  t.equal(run.code, 1);
  t.match(run.stderr, '2 problems');
  t.match(run.stderr, 'claims.involvement');
  t.match(run.stderr, 'excerpts[0].position.start');
});

t.test('an unwritable output path: a clear message and no partial file', async (t) => {
  const { dir } = await copyProject();
  const locked = join(dir, 'locked');
  await mkdir(locked);
  await writeFile(join(dir, 'a-file'), 'x');
  const asDir = await dossier('--out', join(dir, 'a-file', 'x.pdf'));
  t.equal(asDir.code, 1);
  t.match(asDir.stderr, /cannot write .*a-file\/x\.pdf/);
  await chmod(locked, 0o500);
  // root ignores directory permissions, so this half only runs as an ordinary user.
  if (process.getuid?.() !== 0) {
    const run = await dossier('--out', join(locked, 'x.pdf'));
    t.equal(run.code, 1);
    t.match(run.stderr, 'permission denied');
  }
});

t.test('bad options are refused with their name', async (t) => {
  t.match(await dossier('--date', '2026-13-45'), { code: 1, stderr: /--date "2026-13-45"/ });
  for (const day of ['2026-02-31', '2026-02-29', '2026-04-31', '26-01-01']) {
    t.match(await dossier('--date', day), { code: 1, stderr: `--date "${day}" is not a day of the calendar written YYYY-MM-DD` }, `${day} is refused, not rolled over`);
  }
  t.match(await dossier('--lang', 'de'), { code: 1, stderr: /--lang "de"/ });
  t.match(await dossier('--bogus'), { code: 1, stderr: /^error: Unknown option '--bogus'/ });
  const stray = await dossier('nso-group');
  t.match(stray, { code: 1, stderr: /^error: Unexpected argument 'nso-group'/ });
  t.notMatch(stray.stderr, /unexpected error|\n\s+at /, 'a usage mistake, not a bug: no stack');
});
