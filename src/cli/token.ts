import type { ParseArgsConfig } from 'node:util';
import { bindingProblems, cleanName, Role, type TokenBinding } from '../auth/tokens.ts';
import { databaseSettings } from '../config.ts';
import { unprintableInSignatoryName } from '../render/signatory-names.ts';
import { UnprintableText } from '../render/unprintable-text.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { createToken, listTokens, nameToken, revokeToken, type TokenRecord } from '../store/token-store.ts';
import { commandConfig, parseCommandLine, runCli, UsageError } from './run.ts';

const USAGE = [
  'usage: npm run token -- create --role partner (--org NAME | --person NAME)',
  '       npm run token -- create --role editor|reviewer [--person NAME]',
  '       npm run token -- list',
  '       npm run token -- name ID --person NAME',
  '       npm run token -- revoke ID',
].join('\n');

const parse = <T extends ParseArgsConfig['options']>(args: string[], options: T) => parseCommandLine({ args, options, allowPositionals: true }, USAGE);

/** Names typed by people may hold anything; a table cell holds one line. */
const cell = (text: string) => text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ');

function boundTo(r: TokenRecord): string {
  if (r.organisation !== undefined) return `organisation: ${cell(r.organisation)}`;
  if (r.person !== undefined) return `person: ${cell(r.person)}`;
  return '-';
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** A partner's name is printed in the dossier's annex once it signs: a name the fonts cannot show would stop every PDF of the case. */
function assertPrintable(option: string, name: string): void {
  const missing = unprintableInSignatoryName(name);
  if (missing.length) {
    throw new UsageError(`${option}: ${UnprintableText.of(missing, cell(name)).message}, and a partner's name is printed in the dossier once it signs; write the name in a script the dossier prints, such as Latin`);
  }
}

/** The store's own rules for a token's role and names, checked before the database is opened; each problem names its option. */
function assertBinding(asked: TokenBinding): void {
  const problems = bindingProblems(asked);
  if (problems.length) throw new UsageError(problems.map((p) => `${p.path === 'organisation' ? '--org' : `--${p.path}`}: ${p.message}`).join('\n'));
}

/** A subcommand: its arguments are read and checked first; the database is opened only for a well-formed command. */
type Command = (args: string[]) => (db: Db) => Promise<void>;

const create: Command = (args) => {
  const { values, positionals } = parse(args, {
    role: { type: 'string' },
    org: { type: 'string' },
    person: { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\n${USAGE}`);
  if (values.role === undefined) throw new UsageError(`create needs --role (${Role.options.join(', ')})\n${USAGE}`);
  const role = Role.safeParse(values.role);
  if (!role.success) throw new UsageError(`--role "${values.role}" is not a role: use ${Role.options.join(', ')}`);
  const asked = { role: role.data, organisation: values.org, person: values.person };
  assertBinding(asked);
  if (role.data === 'partner') assertPrintable(values.org === undefined ? '--person' : '--org', cleanName(values.org ?? values.person)!);
  return async (db) => {
    const { token, record } = await createToken(db, { ...asked, now: new Date() });
    process.stdout.write(`${token}\n`);
    const binding = boundTo(record);
    process.stderr.write(
      `This token is shown once and cannot be shown again: id ${record.id}, role ${record.role}${binding === '-' ? '' : `, ${binding}`}. Revoke it with: npm run token -- revoke ${record.id}\n`,
    );
  };
};

const list: Command = (args) => {
  const { positionals } = parse(args, {});
  if (positionals.length) throw new UsageError(`list takes no arguments\n${USAGE}`);
  return async (db) => {
    const records = await listTokens(db);
    if (!records.length) {
      process.stdout.write('no tokens yet; create one with: npm run token -- create --role editor\n');
      return;
    }
    const rows = [
      ['id', 'role', 'organisation/person', 'created', 'revoked'],
      ...records.map((r) => [r.id, r.role, boundTo(r), r.createdAt, r.revokedAt ?? '-']),
    ];
    process.stdout.write(`${table(rows)}\n`);
  };
};

const revoke: Command = (args) => {
  const { positionals } = parse(args, {});
  const [id, ...rest] = positionals;
  if (id === undefined || rest.length) throw new UsageError(`revoke takes one token id\n${USAGE}`);
  return async (db) => {
    const known = (await listTokens(db)).find((r) => r.id === id);
    if (!known) throw new UsageError(`there is no token "${id}"; npm run token -- list shows them`);
    if (!(await revokeToken(db, id, new Date()))) throw new UsageError(`token ${id} was already revoked at ${known.revokedAt ?? 'an earlier moment'}`);
    process.stdout.write(`revoked ${id}\n`);
  };
};

const name: Command = (args) => {
  const { values, positionals } = parse(args, { person: { type: 'string' } });
  const [id, ...rest] = positionals;
  if (id === undefined || rest.length) throw new UsageError(`name takes one token id\n${USAGE}`);
  if (values.person === undefined) throw new UsageError(`name needs --person NAME\n${USAGE}`);
  const person = values.person;
  // Only editors' and reviewers' tokens are named, and a name follows the same rules for both.
  assertBinding({ role: 'reviewer', person });
  return async (db) => {
    const { record, reviews } = await nameToken(db, id, person);
    process.stdout.write(`${id} now names ${cell(record.person!)}${reviews ? `; its ${reviews} earlier review${reviews === 1 ? ' is' : 's are'} theirs` : ''}\n`);
  };
};

const COMMANDS: Record<string, Command> = { create, list, name, revoke };

/** Creates, lists and revokes the bearer tokens of the service. */
await runCli(async () => {
  const [command, ...args] = process.argv.slice(2);
  if (command === undefined || command === '--help' || command === 'help') {
    if (command === undefined) throw new UsageError(USAGE);
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const subcommand = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!subcommand) throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  const run = subcommand(args);
  const config = commandConfig();
  let db: Db;
  try {
    db = await openDatabase(databaseSettings(config));
  } catch (error) {
    throw new UsageError(`cannot open the database: ${(error as Error).message}`);
  }
  try {
    await run(db);
  } finally {
    await db.destroy();
  }
});
