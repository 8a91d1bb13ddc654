import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { UnprintableText } from '../render/unprintable-text.ts';
import { formatProblems, ProblemsError } from '../shared/problems.ts';
import { sayMissingValuesAreRequired } from '../shared/zod-messages.ts';

/** A mistake in how a command was called: its message is all the user needs. */
export class UsageError extends Error {}

/** `--help` or `-h`: the command's usage, on stdout, and success. */
class HelpRequested extends Error {}

/**
 * A command's arguments, read by node:util's parseArgs (strict: every option
 * declared). What it refuses (an unknown option, a stray argument, a missing
 * value) is a usage error: its first line, then how the command is called
 * (all of the usage, when it takes several lines).
 */
export function parseCommandLine<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) throw new HelpRequested(usage);
  try {
    return parseArgs(config);
  } catch (error) {
    // Only the command line's own mistakes; an options object parseArgs cannot read is a bug, and shows its stack.
    if (!String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS_')) throw error;
    throw new UsageError(`${(error as Error).message.split('\n')[0]}; ${usage}`);
  }
}

/** The file system's refusal to read `path`, as one line naming it and the reason (ENOENT, EISDIR…). */
export function cannotRead(path: string, error: unknown): UsageError {
  return new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
}

/** A file or folder the file system refused (ENOENT, EACCES, EISDIR…): a path the command was given, not a bug. */
function isFileError(error: unknown): error is NodeJS.ErrnoException & { code: string; path: string; syscall: string } {
  const e = error as NodeJS.ErrnoException;
  return error instanceof Error && typeof e.code === 'string' && typeof e.path === 'string' && typeof e.syscall === 'string';
}

const WRITING = new Set(['mkdir', 'rename', 'unlink', 'rmdir', 'write', 'copyfile']);

/**
 * Runs a command's body and turns every expected failure into a clear message on
 * stderr and exit code 1; only a bug prints a stack.
 */
export async function runCli(main: () => Promise<void>): Promise<void> {
  sayMissingValuesAreRequired();
  // A reader that stops early (`| head`) closes the pipe: the output it wanted is written, which is success.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  try {
    await main();
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${error.message}\n`);
      return;
    }
    if (error instanceof ProblemsError) {
      process.stderr.write(`error: ${error.what}: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}\n${formatProblems(error.problems)}\n`);
    } else if (error instanceof UsageError || error instanceof UnprintableText) {
      process.stderr.write(`error: ${error.message}\n`);
    } else if (isFileError(error)) {
      // A path no check of the command's own caught: said as the command would have said it.
      process.stderr.write(`error: cannot ${WRITING.has(error.syscall) ? 'write' : 'read'} ${error.path}: ${error.code}\n`);
    } else {
      process.stderr.write(`unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 1;
  }
}

/** The service's settings, for a command that works on its data: a bad value stops the command with one line naming it. */
export function commandConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}
