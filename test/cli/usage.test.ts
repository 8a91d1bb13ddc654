import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { baseEnv } from '../helpers/server.ts';
import { runCommand } from '../helpers/command.ts';

/** Every command, called with an option it does not have: `npm run NAME` and the arguments before the bad one. */
const COMMANDS: Array<[script: string, name: string, args: string[]]> = [
  ['dossier', 'dossier', []],
  ['check', 'check', []],
  ['export', 'export', []],
  ['excerpt', 'excerpt', []],
  ['verify', 'verify', []],
  ['map', 'map', []],
  ['eval-mapper', 'eval:mapper', []],
  ['backup', 'backup', []],
  ['token', 'token', ['list']],
];

for (const [script, name, args] of COMMANDS) {
  t.test(`npm run ${name} with an unknown option says so, with how it is called, before it opens anything`, async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dossier-usage-'));
    t.teardown(() => rm(dataDir, { recursive: true, force: true }));
    const run = await runCommand(script, [...args, '--bogus'], { env: baseEnv({ DATA_DIR: dataDir }) });
    t.equal(run.code, 1);
    t.match(run.stderr, new RegExp(`^error: Unknown option '--bogus'.*; usage: npm run (-s |--silent )?${name.replace(':', '\\:')} `));
    t.notMatch(run.stderr, /unexpected error|\n\s+at /, 'a usage mistake, not a bug: no stack');
    t.same(await readdir(dataDir), [], 'no database was opened');
  });
}

for (const [script, name, args] of COMMANDS) {
  t.test(`npm run ${name} -- --help prints how it is called, on stdout, and succeeds without opening anything`, async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dossier-usage-'));
    t.teardown(() => rm(dataDir, { recursive: true, force: true }));
    const run = await runCommand(script, [...args, '--help'], { env: baseEnv({ DATA_DIR: dataDir }) });
    t.equal(run.code, 0, run.stderr);
    t.match(run.stdout, new RegExp(`^usage: npm run (-s |--silent )?${name.replace(':', '\\:')} `));
    t.equal(run.stderr, '');
    t.same(await readdir(dataDir), [], 'no database was opened');
  });
}

t.test('the dossier command names every option it takes', async (t) => {
  const run = await runCommand('dossier', ['-h']);
  for (const option of ['--case', '--out', '--lang', '--date', '--sources', '--evidence']) t.match(run.stdout, option);
});

t.test('a file or folder a command is pointed at that cannot be read is one line naming it, not a stack', async (t) => {
  const nowhere = join(tmpdir(), 'dossier-no-such-folder');
  const fixtures = await runCommand('eval-mapper', ['--fixtures', nowhere]);
  t.equal(fixtures.code, 1);
  t.equal(fixtures.stderr, `error: cannot read ${join(nowhere, 'dev.jsonl')}: ENOENT\n`);
});
