import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runCommand } from '../helpers/command.ts';
import { startServer } from '../helpers/server.ts';

/** `npm run token` against the SQLite database in `dataDir`. */
const token = (dataDir: string, ...args: string[]) => runCommand('token', args, { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } });

const dataDir = () => mkdtemp(join(tmpdir(), 'token-cli-'));

/** `npm run token -- ...args` refused: exit 1, each of `says` on stderr, nothing on stdout, no stack. */
async function refused(t: Test, dir: string, args: string[], ...says: string[]): Promise<void> {
  const run = await token(dir, ...args);
  t.equal(run.code, 1, `${args.join(' ')}: exit 1`);
  for (const words of says) t.match(run.stderr, words);
  t.equal(run.stdout, '', 'nothing on stdout');
  t.notMatch(run.stderr, /\n\s+at /, 'no stack trace');
}

t.test('create prints the token alone on stdout, once, and says so on stderr', async (t) => {
  const dir = await dataDir();
  const run = await token(dir, 'create', '--role', 'partner', '--org', 'Access Now');
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /^dsr_[A-Za-z0-9_-]{43}\n$/, 'one line: the token');
  t.match(run.stderr, /shown once/);
  t.match(run.stderr, /tok_[0-9a-f]{12}/, 'names its id');
  t.match(run.stderr, 'partner');
  t.notMatch(run.stderr, run.stdout.trim(), 'the token is not repeated on stderr');

  const editor = await token(dir, 'create', '--role', 'editor');
  t.equal(editor.code, 0, editor.stderr);
  t.match(editor.stdout, /^dsr_/);
  t.not(editor.stdout, run.stdout);
});

t.test('list shows the tokens without their secrets', async (t) => {
  const dir = await dataDir();
  const empty = await token(dir, 'list');
  t.equal(empty.code, 0, empty.stderr);
  t.match(empty.stdout, 'no tokens');

  const partner = await token(dir, 'create', '--role', 'partner', '--person', 'Jane Expert');
  const reviewer = await token(dir, 'create', '--role', 'reviewer');
  const named = await token(dir, 'create', '--role', 'reviewer', '--person', 'Jane Doe');
  t.equal(named.code, 0, named.stderr);
  t.match(named.stderr, 'role reviewer, person: Jane Doe');
  const run = await token(dir, 'list');
  t.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  t.equal(lines.length, 4, 'a header and three tokens');
  t.match(lines[0], /id\s+role\s+organisation\/person\s+created\s+revoked/);
  t.match(lines[1], /^tok_[0-9a-f]{12}\s+partner\s+person: Jane Expert\s+\d{4}-\d{2}-\d{2}T\S+\s+-$/);
  t.match(lines[2], /^tok_[0-9a-f]{12}\s+reviewer\s+-\s+\d{4}-\d{2}-\d{2}T\S+\s+-$/);
  t.match(lines[3], /^tok_[0-9a-f]{12}\s+reviewer\s+person: Jane Doe\s+\d{4}-\d{2}-\d{2}T\S+\s+-$/);
  for (const created of [partner, reviewer, named]) {
    t.notMatch(run.stdout + run.stderr, created.stdout.trim(), 'no token text');
  }
  t.notMatch(run.stdout, /dsr_|[0-9a-f]{64}/, 'neither a secret nor a hash');
});

t.test('name gives an unnamed editor or reviewer token its holder, once', async (t) => {
  const dir = await dataDir();
  const created = await token(dir, 'create', '--role', 'reviewer');
  const id = /tok_[0-9a-f]{12}/.exec(created.stderr)?.[0] ?? '';
  const named = await token(dir, 'name', id, '--person', 'Jane Doe');
  t.equal(named.code, 0, named.stderr);
  t.equal(named.stdout, `${id} now names Jane Doe\n`);
  t.match((await token(dir, 'list')).stdout, new RegExp(`${id}\\s+reviewer\\s+person: Jane Doe`));

  await refused(t, dir, ['name', id, '--person', 'Someone Else'], 'already names Jane Doe; a name is given once');
  await refused(t, dir, ['name', id], 'name needs --person NAME');
  await refused(t, dir, ['name', id, '--person', '   '], '--person: the name is empty');
  await refused(t, dir, ['name', 'tok_000000000000', '--person', 'Jane Doe'], 'there is no token "tok_000000000000"');
});

t.test('revoke marks the token revoked; a second revoke and an unknown id fail', async (t) => {
  const dir = await dataDir();
  const created = await token(dir, 'create', '--role', 'editor');
  const id = /tok_[0-9a-f]{12}/.exec(created.stderr)?.[0] ?? '';
  t.ok(id, 'the id is on stderr');

  const run = await token(dir, 'revoke', id);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, `revoked ${id}`);
  const list = await token(dir, 'list');
  t.match(list.stdout, new RegExp(`${id}\\s+editor\\s+-\\s+\\S+\\s+\\d{4}-\\d{2}-\\d{2}T`), 'the list shows when');

  await refused(t, dir, ['revoke', id], 'already revoked');
  await refused(t, dir, ['revoke', 'tok_000000000000'], 'there is no token "tok_000000000000"');
});

t.test('a token revoked by the command while the service runs is refused at its next request, the cached draft too', async (t) => {
  const dir = await dataDir();
  const server = await startServer(t, { DATA_DIR: dir, DATABASE_URL: '', RENDER_WORKERS: '1' });
  const created = await token(dir, 'create', '--role', 'reviewer');
  const secret = created.stdout.trim();
  const id = /tok_[0-9a-f]{12}/.exec(created.stderr)?.[0] ?? '';
  const draft = (etag?: string) =>
    fetch(`${server.url}/cases/nso-group/dossier.pdf`, { headers: { authorization: `Bearer ${secret}`, ...(etag ? { 'if-none-match': etag } : {}) } });
  const first = await draft();
  await first.arrayBuffer();
  t.equal(first.status, 200, 'the reviewer downloads the draft');
  const etag = first.headers.get('etag')!;
  t.equal((await draft(etag)).status, 304, 'and is answered 304 for its ETag');

  t.equal((await token(dir, 'revoke', id)).code, 0, 'revoked by the command, in another process');
  const after = await draft(etag);
  t.equal(after.status, 401, 'the next request is refused');
  t.match(await after.json(), { type: /unauthenticated/ }, 'as problem+json');
  t.equal((await draft()).status, 401);
});

t.test('mistakes are refused with a message and exit 1, and create nothing', async (t) => {
  const dir = await dataDir();
  await refused(t, dir, ['create', '--role', 'partner'], '--org: a partner token needs an organisation or a person (exactly one)');
  await refused(t, dir, ['create', '--role', 'partner', '--org', 'Access Now', '--person', 'Jane Expert'], 'not both');
  await refused(t, dir, ['create', '--role', 'editor', '--org', 'Access Now'], '--org: editor tokens are bound to no organisation');
  await refused(t, dir, ['create', '--role', 'reviewer', '--person', 'tok_0123456789ab'], '--person: "tok_0123456789ab" is a token id, not a name');
  await refused(t, dir, ['create', '--role', 'partner', '--org', '人权观察'], '--org: the dossier\'s fonts cannot show U+4EBA 人, U+6743 权, U+89C2 观, U+5BDF 察 in "人权观察"', 'such as Latin');
  await refused(t, dir, ['create', '--role', 'partner', '--person', 'Li 北京'], '--person: the dossier\'s fonts cannot show U+5317 北, U+4EAC 京 in "Li 北京"');
  await refused(t, dir, ['create', '--role', 'admin'], '--role "admin"', 'editor, reviewer, partner');
  await refused(t, dir, ['create', '--role', 'editor', '--person', '  '], '--person: the name is empty');
  await refused(t, dir, ['create', '--role', 'partner', '--org', ''], '--org: the name is empty');
  await refused(t, dir, ['create'], '--role');
  await refused(t, dir, ['create', '--role', 'editor', '--bogus'], '--bogus');
  await refused(t, dir, ['mint'], 'unknown command "mint"', 'usage:');

  const list = await token(dir, 'list');
  t.match(list.stdout, 'no tokens', 'nothing was created');

  const greek = await token(dir, 'create', '--role', 'partner', '--org', 'Ένωση Δικαιωμάτων — Право человека');
  t.equal(greek.code, 0, `a name in Greek and Cyrillic script is printable: ${greek.stderr}`);
  const reviewer = await token(dir, 'create', '--role', 'reviewer', '--person', '王芳');
  t.equal(reviewer.code, 0, `a reviewer's name is never printed in the dossier: ${reviewer.stderr}`);
});
