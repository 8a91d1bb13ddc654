import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { SEEDS_DIR } from '../../src/paths.ts';
import { ProblemsError } from '../../src/shared/problems.ts';
import { loadSources } from '../../src/sources/load-sources.ts';
import { problemsOf } from '../helpers/problems.ts';
import { copyProject } from '../helpers/project.ts';

t.test('the five seeds load with their manifest and hashes', async (t) => {
  const sources = await loadSources(SEEDS_DIR);
  t.same([...sources.keys()], [
    'ai-french-presidency-2021', 'hrw-ayrault-china', 'ai-surveillance-briefing-fr', 'joint-letter-nso-2021', 'ai-luxembourg-2022',
  ]);
  const languages = [...sources.values()].map((s) => s.entry.language);
  t.same(languages, ['en', 'en', 'fr', 'fr', 'fr']);
  t.ok(sources.get('joint-letter-nso-2021')!.text.includes('Pegasus'));
});

t.test('a changed byte in a seed stops loading, naming the file and both hashes', async (t) => {
  const { sources } = await copyProject();
  const file = join(sources, '003_48b37dcab1a69050.txt');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('Pegasus', 'Pegasos'));
  const error = await loadSources(sources).then(() => undefined, (e: unknown) => e);
  t.type(error, ProblemsError);
  const message = (error as Error).message;
  t.match(message, '003_48b37dcab1a69050.txt');
  t.match(message, 'dbbf1a53b076cef3e22ae4e9e085fd4de684d1f859d1fee52d2dc63100ad0f26', 'the recorded hash');
  t.match(message, /hashes to [0-9a-f]{64}/, 'the actual hash');
});

t.test('a missing file and a bad manifest entry are all reported', async (t) => {
  const { sources } = await copyProject();
  const manifest = JSON.parse(await readFile(join(sources, 'manifest.json'), 'utf8'));
  manifest[0].file = 'gone.txt';
  await writeFile(join(sources, 'manifest.json'), JSON.stringify(manifest));
  t.match(await problemsOf(() => loadSources(sources)), [{ code: 'missing_file' }]);
  manifest[1].language = 'de';
  manifest[2].sha256 = 'abc';
  await writeFile(join(sources, 'manifest.json'), JSON.stringify(manifest));
  const error = (await loadSources(sources).catch((e: unknown) => e)) as ProblemsError;
  t.same(error.problems.map((p) => p.path).sort(), ['[1].language', '[2].sha256']);
});

t.test('a source that is not UTF-8 is refused', async (t) => {
  const { sources } = await copyProject();
  const manifest = JSON.parse(await readFile(join(sources, 'manifest.json'), 'utf8'));
  const bytes = Buffer.from([0x61, 0xff, 0xfe, 0x62]);
  await writeFile(join(sources, manifest[0].file), bytes);
  const { createHash } = await import('node:crypto');
  manifest[0].sha256 = createHash('sha256').update(bytes).digest('hex');
  await writeFile(join(sources, 'manifest.json'), JSON.stringify(manifest));
  t.match(await problemsOf(() => loadSources(sources)), [{ code: 'not_utf8' }]);
});
