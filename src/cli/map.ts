import { open, stat } from 'node:fs/promises';
import { mapText, MappingLanguage, type MappingResult } from '../mapping/index.ts';
import { sha256Hex } from '../shared/hash.ts';
import { parseCommandLine, runCli, UsageError } from './run.ts';

const USAGE = 'usage: npm run --silent map -- [--json] [--lang en|fr] FILE';
/** The same limit as the service's SOURCE_LIMIT default. */
export const MAX_BYTES = 5 * 1024 * 1024;

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
};

/** The file's bytes, refused with a one-line reason unless it is a UTF-8 text file of 1 byte to 5 MiB. */
async function readTextFile(path: string): Promise<{ text: string; bytes: Uint8Array }> {
  const fail = (why: string): never => {
    throw new UsageError(`cannot map "${path}": ${why}`);
  };
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) fail(READ_ERRORS.EISDIR!);
    if (!info.isFile()) fail('it is not a regular file');
    size = info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return fail(READ_ERRORS[(error as NodeJS.ErrnoException).code ?? ''] ?? (error as Error).message);
  }
  if (size === 0) fail('the file is empty');
  if (size > MAX_BYTES) fail(`the file has ${size} bytes, more than the limit of ${MAX_BYTES} (5 MiB)`);
  let bytes: Uint8Array;
  try {
    const handle = await open(path, 'r');
    try {
      bytes = new Uint8Array(size);
      const { bytesRead } = await handle.read(bytes, 0, size, 0);
      bytes = bytes.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return fail(READ_ERRORS[(error as NodeJS.ErrnoException).code ?? ''] ?? (error as Error).message);
  }
  if (bytes.includes(0)) fail('it is a binary file (it has NUL bytes), not text');
  let text: string;
  try {
    // ignoreBOM keeps a byte order mark in the text, so that offsets count it as the file has it.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return fail('it is not UTF-8 text');
  }
  if (!/[\p{L}\p{N}]/u.test(text)) fail('the file has no text (only white space or punctuation)');
  return { text, bytes };
}

/** One line per passage: where, what, how sure; then why, indented. */
function table(result: MappingResult & { source: { sha256: string } }, file: string): string {
  const lines = [`${file}  language ${result.source.language}  sha256 ${result.source.sha256}`, `${result.passages.length} passage${result.passages.length === 1 ? '' : 's'} with suggestions`, ''];
  if (result.passages.length) lines.push(`${'start-end'.padEnd(13)} ${'score'.padEnd(5)} ${'criteria'.padEnd(36)} text`);
  for (const p of result.passages) {
    const text = p.text.replace(/\s+/g, ' ');
    lines.push(`${`${p.start}-${p.end}`.padEnd(13)} ${p.score.toFixed(2).padEnd(5)} ${p.criteria.join(',').padEnd(36)} ${text.length > 100 ? `${text.slice(0, 99)}…` : text}`);
    for (const why of p.why) lines.push(`${' '.repeat(20)}${why}`);
  }
  return `${lines.join('\n')}\n`;
}

await runCli(async () => {
  const { values, positionals } = parseCommandLine(
    { allowPositionals: true, options: { json: { type: 'boolean', default: false }, lang: { type: 'string' } } },
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one file at a time; ${USAGE}` : USAGE);
  let lang: MappingLanguage | undefined;
  if (values.lang !== undefined) {
    const checked = MappingLanguage.safeParse(values.lang);
    if (!checked.success) throw new UsageError(`--lang "${values.lang}" is not supported: use en or fr`);
    lang = checked.data;
  }
  const file = positionals[0]!;
  const { text, bytes } = await readTextFile(file);
  const mapped = mapText(text, lang ? { lang } : {});
  const result = { source: { sha256: sha256Hex(bytes), language: mapped.source.language }, passages: mapped.passages };
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : table(result, file));
});
