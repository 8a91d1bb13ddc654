import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/paths.ts';
// The tests' helpers: benchmarks start servers the way the tests do.
import { baseEnv as childEnv, freePort, untilReady } from '../../test/helpers/server.ts';


export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * A server in a process of its own (`node --import tsx SCRIPT`), ready once
 * `readyPath` answers 200. Both the service and the bare route start this way.
 */
export async function startServerProcess(script: string, env: Record<string, string>, readyPath: string, nodeOptions: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', script], {
    cwd: PROJECT_ROOT,
    env: childEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await untilReady(child, `${url}${readyPath}`, () => output, 120_000).catch((error: Error) => {
    throw new Error(`${script}: ${error.message}`);
  });
  return {
    child,
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Runs `node --import tsx SCRIPT ...args` to the end and parses the last line of
 * its stdout as JSON: how the benchmarks measure in a process of their own.
 */
export async function runJsonChild<T>(script: string, args: string[], env: Record<string, string> = {}, nodeOptions: string[] = []): Promise<T> {
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', script, ...args], {
    cwd: PROJECT_ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-20_000)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${code}: ${stderr}`);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}
