import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../shared/hash.ts';
import { ProblemsError, zodProblems, type Problem } from '../shared/problems.ts';
import { Manifest } from './manifest.ts';
import { SourceDocument } from './source-document.ts';

export const MANIFEST_FILE = 'manifest.json';

/**
 * Reads the manifest and every source it lists, checking each file against its
 * SHA-256. Every problem (schema, missing file, changed bytes, not UTF-8) is
 * collected and raised together.
 */
export async function loadSources(dir: string): Promise<Map<string, SourceDocument>> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    throw new ProblemsError(`source manifest ${manifestPath}`, [
      { code: 'unreadable', path: manifestPath, message: (error as Error).message },
    ]);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) throw new ProblemsError(`source manifest ${manifestPath}`, zodProblems(parsed.error));

  const problems: Problem[] = [];
  const sources = new Map<string, SourceDocument>();
  for (const entry of parsed.data) {
    const path = join(dir, entry.file);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      problems.push({ code: 'missing_file', path, message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== entry.sha256) {
      problems.push({
        code: 'hash_mismatch',
        path,
        message: `source ${entry.file} has changed: the manifest records SHA-256 ${entry.sha256} but the file hashes to ${actual}`,
      });
      continue;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      problems.push({ code: 'not_utf8', path, message: `${entry.file} is not valid UTF-8 text` });
      continue;
    }
    sources.set(entry.id, new SourceDocument(entry, text));
  }
  if (problems.length) throw new ProblemsError(`sources in ${dir}`, problems);
  return sources;
}
