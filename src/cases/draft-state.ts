import type { SourceEntry } from '../sources/manifest.ts';
import { requireCase, type CaseDeps } from './context.ts';
import type { CaseRecord } from './repository.ts';

/** What the draft dossier of a case is made from, read in one transaction. */
export interface DraftInput {
  record: CaseRecord;
  sources: SourceEntry[];
  /**
   * The case's stamp (CaseRepository.caseStamp) for exactly this state, or
   * undefined when it changed while it was being read (the stamp is read
   * before and after, which matters where a transaction sees other commits).
   */
  stamp: string | undefined;
}

export async function draftInput(deps: CaseDeps, caseId: string): Promise<DraftInput> {
  return deps.uow.transaction(async (repo) => {
    const before = await repo.caseStamp(caseId);
    const record = await requireCase(repo, caseId);
    const sources = (await repo.listSources()).map((s) => s.entry);
    const after = await repo.caseStamp(caseId);
    return { record, sources, stamp: before === after ? before : undefined };
  });
}

/**
 * The case's stamp as it stands (one read), undefined when there is no such
 * case: what the draft depends on (the case's row, its excerpts and signatures,
 * whose every change appends to the audit chain, and the sources) is the same
 * as when it last had this stamp.
 */
export async function draftStamp(deps: CaseDeps, caseId: string): Promise<string | undefined> {
  return deps.uow.readOnce((repo) => repo.caseStamp(caseId));
}
