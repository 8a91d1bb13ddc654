import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.ts';
import { PROJECT_ROOT } from '../src/paths.ts';

t.test('loadConfig with an empty environment gives the defaults', async (t) => {
  const config = loadConfig({});
  t.same(config, {
    PORT: 3000,
    HOST: '127.0.0.1',
    DATA_DIR: './data',
    DATABASE_POOL_SIZE: 10,
    LOG_LEVEL: 'info',
    REVIEW_APPROVALS: 2,
    BODY_LIMIT: 1024 * 1024,
    SOURCE_LIMIT: 5 * 1024 * 1024,
    AUTH_FAILURES_PER_MINUTE: 30,
    SEED_CASE: 'nso-group',
    RENDER_WORKERS: Math.max(1, availableParallelism()),
    RENDER_HEAP_MB: 160,
    RENDER_QUEUE: 16,
    PDF_CACHE_ENTRIES: 200,
  });
  t.notOk('DATABASE_URL' in config, 'no DATABASE_URL: SQLite in DATA_DIR');
});

t.test('loadConfig reads numbers, levels and URLs from strings', async (t) => {
  const config = loadConfig({ PORT: '8080', REVIEW_APPROVALS: '3', LOG_LEVEL: 'warn', DATABASE_URL: 'sqlite:/tmp/x.sqlite', DATA_DIR: '/srv/data', SOURCE_LIMIT: '2048' });
  t.match(config, { PORT: 8080, REVIEW_APPROVALS: 3, LOG_LEVEL: 'warn', DATABASE_URL: 'sqlite:/tmp/x.sqlite', DATA_DIR: '/srv/data', SOURCE_LIMIT: 2048 });
  t.equal(loadConfig({ PORT: '' }).PORT, 3000, 'an empty value counts as unset');
  t.equal(loadConfig({ PORT: '0' }).PORT, 0, 'port 0 is allowed');
  t.equal(loadConfig({ PATH: '/usr/bin', HOME: '/root' }).PORT, 3000, 'unrelated variables are ignored');
});

const BAD: Array<[string, string]> = [
  ['PORT', 'abc'],
  ['PORT', '70000'],
  ['PORT', '-1'],
  ['PORT', '80.5'],
  ['REVIEW_APPROVALS', '0'],
  ['REVIEW_APPROVALS', 'two'],
  ['LOG_LEVEL', 'loud'],
  ['SOURCE_LIMIT', '10'],
  ['BODY_LIMIT', 'big'],
  ['AUTH_FAILURES_PER_MINUTE', '0'],
  ['RENDER_WORKERS', '0'],
  ['RENDER_HEAP_MB', '47'],
  ['RENDER_HEAP_MB', 'lots'],
  ['RENDER_QUEUE', '-1'],
  ['RENDER_QUEUE', '2.5'],
  ['DATABASE_POOL_SIZE', '0'],
  ['PDF_CACHE_ENTRIES', 'many'],
];

for (const [name, value] of BAD) {
  t.test(`${name}=${value} is refused with a ConfigError naming ${name}`, async (t) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    t.ok(error instanceof ConfigError, 'a ConfigError');
    const message = (error as Error).message;
    t.match(message, new RegExp(`^\\s*${name}:`, 'm'), 'a line starts with the variable');
    t.match(message, `(got "${value}")`, 'and quotes the value');
  });
}

t.test('a bad secret is refused naming the variable, never echoing the value', async (t) => {
  for (const [name, value] of [['SESSION_SECRET', 'too-short-to-sign-cookies'], ['DATABASE_URL', 'mysql://dossier:hunter2@db/dossier']] as const) {
    let message = '';
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      message = (e as Error).message;
    }
    t.match(message, new RegExp(`^\\s*${name}:`, 'm'), `${name} is named`);
    t.notMatch(message, value, `${name}'s value is not in the message`);
    t.match(message, `(got ${value.length} characters)`);
  }
});

t.test('every bad value is reported at once', async (t) => {
  let message = '';
  try {
    loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', REVIEW_APPROVALS: '0' });
  } catch (e) {
    t.ok(e instanceof ConfigError);
    message = (e as Error).message;
  }
  t.match(message, /PORT:/);
  t.match(message, /LOG_LEVEL:/);
  t.match(message, /REVIEW_APPROVALS:/);
});

t.test('TRUST_PROXY takes hops, true or false, and addresses and ranges; a host name is refused naming the variable', async (t) => {
  t.equal(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY, 2);
  t.equal(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY, false);
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16, ::1, fd00::/8, loopback' }).TRUST_PROXY, ['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8', 'loopback']);
  t.throws(() => loadConfig({ TRUST_PROXY: '10.0.0.1,lb.internal' }), { message: /TRUST_PROXY: "lb.internal" is not an IP address, a CIDR range, loopback, linklocal or uniquelocal/ });
});

t.test('the server process with PORT=abc exits 1 with a message naming PORT', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'dossier-config-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: 'abc', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  t.equal(code, 1, 'exit code 1');
  t.match(stderr, /invalid configuration/);
  t.match(stderr, /PORT: .*\(got "abc"\)/);
  t.notMatch(stderr, /at .*\.ts:\d+/, 'no stack trace');
  t.equal(stdout, '', 'nothing on stdout');
});

t.test('a PostgreSQL URL is shown without its password, wherever the URL holds it', async (t) => {
  const { redactUrl } = await import('../src/store/database.ts');
  t.equal(redactUrl('postgres://dossier:s3cret@db:5432/dossier'), 'postgres://dossier:***@db:5432/dossier');
  const inQuery = redactUrl('postgres://db:5432/dossier?user=dossier&password=s3cret&sslmode=require');
  t.notMatch(inQuery, 's3cret');
  t.match(inQuery, 'sslmode=require');
  t.equal(redactUrl('not a url'), 'postgres://…');
});
