import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { EvidencePackage } from '../dossier/evidence-package.ts';
import { verifyPackage, type FoundSource } from '../evidence/verify-package.ts';
import { SEEDS_DIR } from '../paths.ts';
import { sha256Hex } from '../shared/hash.ts';
import { cannotRead, parseCommandLine, runCli, UsageError } from './run.ts';

const USAGE = 'usage: npm run verify -- FILE.pdf [--sources DIR]';

/** The evidence.json a dossier carries, read with pdf.js. */
async function readEvidence(path: string): Promise<EvidencePackage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw cannotRead(path, error);
  }
  let attachments: Record<string, { content: Uint8Array }> | null;
  try {
    const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
    attachments = (await doc.getAttachments()) as Record<string, { content: Uint8Array }> | null;
    await doc.destroy();
  } catch {
    throw new UsageError(`${path} is not a readable PDF`);
  }
  const file = attachments?.['evidence.json'];
  if (!file) throw new UsageError(`${path} carries no evidence.json: it was not made by this dossier builder`);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(file.content).toString('utf8'));
  } catch {
    throw new UsageError(`the evidence.json of ${path} is not JSON: the file was changed after it was made`);
  }
  const parsed = EvidencePackage.safeParse(json);
  if (!parsed.success) throw new UsageError(`the evidence.json of ${path} is not in the expected format: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Every .txt file of the folder with its actual hash, and its id where a manifest names it. */
async function findSources(dir: string): Promise<FoundSource[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.txt'));
  } catch (error) {
    throw cannotRead(`the sources folder ${dir}`, error);
  }
  const manifest = await readFile(join(dir, 'manifest.json'), 'utf8').then((t) => JSON.parse(t) as Array<{ id?: string; file?: string }>, () => []);
  const idOf = new Map(manifest.filter((m) => m.file && m.id).map((m) => [m.file!, m.id!]));
  return Promise.all(
    names.map(async (file) => {
      const bytes = await readFile(join(dir, file)).catch((error: unknown) => Promise.reject(cannotRead(join(dir, file), error)));
      const id = idOf.get(file);
      return { file, sha256: sha256Hex(bytes), text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), ...(id ? { id } : {}) };
    }),
  );
}

await runCli(async () => {
  const { values, positionals } = parseCommandLine({ options: { sources: { type: 'string', default: SEEDS_DIR } }, allowPositionals: true }, USAGE);
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const pkg = await readEvidence(positionals[0]!);
  const checks = verifyPackage(pkg, await findSources(values.sources));
  for (const check of checks) process.stdout.write(`${check.ok ? 'OK      ' : 'MISMATCH'} ${check.excerpt}: ${check.message}\n`);
  const failed = checks.filter((c) => !c.ok).length;
  process.stdout.write(`${pkg.case}: ${checks.length - failed} of ${checks.length} quotes verified against ${values.sources}\n`);
  if (failed) {
    process.stderr.write(`error: ${failed} quote${failed === 1 ? '' : 's'} could not be verified\n`);
    process.exitCode = 1;
  }
});
