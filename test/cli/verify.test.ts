import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
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
  t.match(result.stdout, /nso-group: 39 of 39 quotes verified/);
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

/** A PDF carrying `evidence` as its evidence.json, as a dossier changed by hand would. */
async function pdfCarrying(evidence: string): Promise<string> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => doc.on('end', resolve));
  doc.text('Not a dossier.');
  doc.file(Buffer.from(evidence), { name: 'evidence.json', type: 'application/json' });
  doc.end();
  await ended;
  const path = join(dir, `carrying-${chunks.length}-${evidence.length}.pdf`);
  await writeFile(path, Buffer.concat(chunks));
  return path;
}

t.test('a dossier whose evidence.json was broken gets a one-line error, not a stack', async (t) => {
  const broken = await run('verify', await pdfCarrying('{"case": "nso-group", '));
  t.equal(broken.code, 1);
  t.match(broken.stderr, 'evidence.json of');
  t.match(broken.stderr, 'is not JSON');
  t.notMatch(broken.stderr, /\n\s+at /, 'no stack trace');
  const wrongShape = await run('verify', await pdfCarrying('{"case": 1}'));
  t.equal(wrongShape.code, 1);
  t.match(wrongShape.stderr, 'is not in the expected format');
});

t.test('a sources folder holding a .txt that cannot be read: one line naming it', async (t) => {
  const folder = await mkdtemp(join(tmpdir(), 'dossier-sources-'));
  // A folder named like a source: listed as one, and refused by the file system when read.
  await mkdir(join(folder, 'looks-like-a-source.txt'));
  const result = await run('verify', pdf, '--sources', folder);
  t.equal(result.code, 1);
  t.equal(result.stderr, `error: cannot read ${join(folder, 'looks-like-a-source.txt')}: EISDIR\n`);
});
