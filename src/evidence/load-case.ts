import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Catalogue } from '../criteria/catalogue.ts';
import { ProblemsError, sortProblems, zodProblems, type Problem } from '../shared/problems.ts';
import type { SourceDocument } from '../sources/source-document.ts';
import { CaseFile, CaseId } from './case-file.ts';
import { checkCase } from './check-case.ts';

export const CASE_FILE_NAME = 'case.yaml';

export function caseFilePath(evidenceDir: string, caseId: string): string {
  return join(evidenceDir, caseId, CASE_FILE_NAME);
}

export interface LoadedCase {
  file: CaseFile;
  warnings: Problem[];
}

/**
 * A YAML text as plain data. What the parser cannot take apart is a problem of
 * the file, never a crash: a syntax error (at its line and column), nesting so
 * deep that the parser runs out of stack, aliases that expand without end (a
 * "billion laughs").
 */
function yamlData(text: string, what: string): unknown {
  const refused = (error: unknown): ProblemsError => new ProblemsError(what, [{ code: 'yaml_structure', path: '', message: `the YAML cannot be read as data: ${(error as Error).message}` }]);
  let document;
  try {
    document = parseDocument(text, { uniqueKeys: true });
  } catch (error) {
    throw refused(error);
  }
  if (document.errors.length) {
    throw new ProblemsError(what, document.errors.map((e) => ({
      code: 'yaml_syntax',
      path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '',
      message: e.message.split('\n')[0]!,
    })));
  }
  try {
    return document.toJS();
  } catch (error) {
    throw refused(error);
  }
}

/** Parses, validates and checks a case file's text; every problem is reported together. */
export function parseCase(
  text: string,
  what: string,
  sources: ReadonlyMap<string, SourceDocument>,
  catalogue: Catalogue,
): LoadedCase {
  const raw = yamlData(text, what);
  const parsed = CaseFile.safeParse(raw);
  if (!parsed.success) throw new ProblemsError(what, sortProblems(zodProblems(parsed.error)));
  const check = checkCase(parsed.data, sources, catalogue);
  if (check.problems.length) throw new ProblemsError(what, check.problems);
  return { file: check.corrected, warnings: check.warnings };
}

export async function loadCase(
  evidenceDir: string,
  caseId: string,
  sources: ReadonlyMap<string, SourceDocument>,
  catalogue: Catalogue,
): Promise<LoadedCase> {
  if (!CaseId.safeParse(caseId).success) {
    throw new ProblemsError(`case "${caseId}"`, [{ code: 'bad_case_id', path: 'case', message: `"${caseId}" is not a case id: lower-case letters, digits and hyphens` }]);
  }
  const path = caseFilePath(evidenceDir, caseId);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProblemsError(`case "${caseId}"`, [{
      code: code === 'ENOENT' ? 'unknown_case' : 'unreadable',
      path,
      message: code === 'ENOENT' ? `there is no case "${caseId}" (no file ${path})` : `cannot read ${path}: ${code}`,
    }]);
  }
  return parseCase(text, `case file ${path}`, sources, catalogue);
}
