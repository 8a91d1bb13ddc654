import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import type { Test } from 'tap';
import { PROJECT_ROOT } from '../../src/paths.ts';

const run = promisify(execFile);

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** What a server or command of the tests sees of the environment: the database settings and little else. */
export const baseEnv = (env: Record<string, string>) => ({ PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env });

export interface Server {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/**
 * The real server process, as `npm start` runs it, on a port of its own, ready
 * when GET /ready answers 200. `env` holds DATA_DIR (and DATABASE_URL); it is
 * killed when the test ends if it still runs.
 */
export async function startServer(t: Test, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...baseEnv(env), PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const url = `http://127.0.0.1:${port}`;
  await untilReady(child, `${url}/ready`, () => output, 90_000);
  return {
    child,
    url,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * Waits until `readyUrl` answers 200; throws with the child's output if it
 * exits first or `timeoutMs` pass (then it is killed). The tests' servers and
 * the benchmarks' start this way.
 */
export async function untilReady(child: ChildProcess, readyUrl: string, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${output()}`);
    try {
      if ((await fetch(readyUrl)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not become ready: ${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A token from the token CLI, on the database `env` names: the first line of its stdout. */
export async function cliToken(env: Record<string, string>, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', 'create', ...args], { cwd: PROJECT_ROOT, env: baseEnv(env) });
  const token = stdout.split('\n')[0]!;
  if (!token.startsWith('dsr_')) throw new Error(`not a token: ${stdout}`);
  return token;
}
