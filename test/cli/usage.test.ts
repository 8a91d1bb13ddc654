import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { baseEnv } from '../helpers/server.ts';

/** Every command, called with an option it does not have: `npm run NAME` and the arguments before the bad one. */
const COMMANDS: Array<[script: string, name: string, args: string[]]> = [
  ['dossier.ts', 'dossier', []],
  ['check.ts', 'check', []],
  ['export.ts', 'export', []],
  ['excerpt.ts', 'excerpt', []],
  ['verify.ts', 'verify', []],
  ['map.ts', 'map', []],
  ['eval-mapper.ts', 'eval:mapper', []],
  ['backup.ts', 'backup', []],
  ['token.ts', 'token', ['list']],
];

for (const [script, name, args] of COMMANDS) {
  t.test(`npm run ${name} with an unknown option says so, with how it is called, before it opens anything`, async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dossier-usage-'));
    t.teardown(() => rm(dataDir, { recursive: true, force: true }));
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', `src/cli/${script}`, ...args, '--bogus'], { cwd: PROJECT_ROOT, env: baseEnv({ DATA_DIR: dataDir }) }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    t.equal(run.code, 1);
    t.match(run.stderr, new RegExp(`^error: Unknown option '--bogus'.*; usage: npm run (-s |--silent )?${name.replace(':', '\\:')} `));
    t.notMatch(run.stderr, /unexpected error|\n\s+at /, 'a usage mistake, not a bug: no stack');
    t.same(await readdir(dataDir), [], 'no database was opened');
  });
}
