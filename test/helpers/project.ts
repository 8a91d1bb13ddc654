import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVIDENCE_DIR, SEEDS_DIR } from '../../src/paths.ts';

/** A private copy of the seeds and case files that a test may break. */
export async function copyProject(): Promise<{ dir: string; sources: string; evidence: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'dossier-test-'));
  const sources = join(dir, 'seeds');
  const evidence = join(dir, 'evidence');
  await cp(SEEDS_DIR, sources, { recursive: true });
  await cp(EVIDENCE_DIR, evidence, { recursive: true });
  return { dir, sources, evidence };
}
