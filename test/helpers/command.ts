import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/paths.ts';

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  /** The command's whole environment; this process's by default. */
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (the tests run as root: a file it may not write). */
  uid?: number;
  gid?: number;
}

/**
 * Runs `npm run NAME` as a user would, without npm's own noise: `src/cli/NAME.ts`
 * under tsx, from the project's folder. A command that fails is a run with its
 * exit code, not an exception, so that a test reads what it said on stderr.
 */
export async function runCommand(script: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024, ...options });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as Partial<CommandRun>;
    // Not an exit code: the command could not be run or read (a spawn error, output past maxBuffer).
    if (typeof code !== 'number') throw error;
    return { code, stdout: stdout ?? '', stderr: stderr ?? '' };
  }
}
