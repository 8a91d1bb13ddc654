import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { PROJECT_ROOT } from '../../src/paths.ts';

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
  t.test(`npm run ${name} with an unknown option says so in one line, with how it is called`, async (t) => {
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', `src/cli/${script}`, ...args, '--bogus'], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, DATA_DIR: '/nonexistent/usage-test' } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    t.equal(run.code, 1);
    t.match(run.stderr, new RegExp(`^error: Unknown option '--bogus'.*; usage: npm run (-s |--silent )?${name.replace(':', '\\:')} `));
    t.notMatch(run.stderr, /unexpected error|\n\s+at /, 'a usage mistake, not a bug: no stack');
  });
}
