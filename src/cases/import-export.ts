import { CaseFile } from '../evidence/case-file.ts';
import type { SourceDocument } from '../sources/source-document.ts';
import { newId } from '../shared/ids.ts';
import { stateHash } from './audit-chain.ts';
import { appendAudit, assertValidCase, requireCase, type Actor, type CaseDeps } from './context.ts';
import { CaseError } from './errors.ts';
import { signerKey } from './signatures.ts';
import { assertImportable } from './status.ts';

/**
 * Imports a checked case file with the sources it quotes: sources already stored
 * (same hash) are kept, the others added; each signatory becomes a live signature.
 */
export async function importCase(deps: CaseDeps, actor: Actor, file: CaseFile, sources: Iterable<SourceDocument>): Promise<void> {
  assertImportable(file.id, file.status);
  await deps.uow.transaction(async (repo) => {
    if (await repo.getCase(file.id)) throw new CaseError('conflict', 'case-exists', `a case "${file.id}" already exists`);
    const at = deps.now().toISOString();
    for (const source of sources) {
      if (!(await repo.findSourceBySha256(source.entry.sha256))) await repo.insertSource({ entry: source.entry, text: source.text, createdAt: at });
    }
    await assertValidCase(repo, file, deps.catalogue);
    await repo.insertCase({ file: { ...file, signatories: [] }, revision: 1, createdAt: at, updatedAt: at });
    for (const signatory of file.signatories) {
      await repo.insertSignature({ id: newId('sig'), caseId: file.id, signerKey: signerKey(signatory.category, signatory.name), signatory, tokenId: null, createdAt: at, withdrawnAt: null });
    }
    await appendAudit(repo, { caseId: file.id, actor: actor.label, action: 'case.import', at, beforeHash: stateHash(null), afterHash: stateHash(file), detail: { excerpts: file.excerpts.length, signatories: file.signatories.length } });
  });
}

/** The case in the case-file format, as `evidence/<case>/case.yaml` holds it. */
export async function exportCase(deps: CaseDeps, id: string): Promise<CaseFile> {
  const record = await deps.uow.transaction((repo) => requireCase(repo, id));
  return CaseFile.parse(record.file);
}
