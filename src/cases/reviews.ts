import { z } from 'zod';
import { ExcerptId } from '../evidence/case-file.ts';
import { sha256Hex } from '../shared/hash.ts';
import { newId } from '../shared/ids.ts';
import { verifyChain, type AuditEntry, type ChainCheck } from './audit-chain.ts';
import { commitChange, conflict, requireCase, requireCaseForChange, type Actor, type CaseDeps } from './context.ts';
import { CaseError, notFound } from './errors.ts';
import type { ReviewRecord, VersionRecord } from './repository.ts';
import { assertEditable, statusAfterApproval } from './status.ts';

export const ReviewRequest = z.strictObject({
  kind: z.enum(['comment', 'approve', 'request_changes']),
  text: z.string().trim().min(1).max(10000).optional(),
  excerpt: ExcerptId.optional(),
}).refine((r) => r.kind === 'approve' || r.text !== undefined, { message: 'a comment or a request for changes needs a text', path: ['text'] });
export type ReviewRequest = z.infer<typeof ReviewRequest>;

export interface ReviewOutcome {
  review: ReviewRecord;
  /** Set when this approval completed the approvals and froze a version. */
  version?: VersionRecord;
}

/**
 * A reviewer comments, approves or requests changes, optionally on one excerpt.
 * The approval that reaches the required count approves the case and freezes
 * its PDF as a numbered version; a request for changes sends it back to draft.
 */
export async function addReview(deps: CaseDeps, reviewer: Actor, caseId: string, request: ReviewRequest): Promise<ReviewOutcome> {
  return deps.uow.transaction(async (repo) => {
    const record = await requireCaseForChange(repo, caseId);
    assertEditable(record.file.status);
    if (request.excerpt && !record.file.excerpts.some((e) => e.id === request.excerpt)) throw notFound('excerpt', request.excerpt);
    const reviews = await repo.listReviews(caseId);
    if (request.kind === 'approve') {
      if (record.file.status !== 'in_review') throw conflict('not-in-review', `only a case in review can be approved; this one is "${record.file.status}"`, { caseStatus: record.file.status });
      const mine = reviews.find((r) => r.kind === 'approve' && r.revision === record.revision && r.tokenId === reviewer.tokenId);
      if (mine) throw conflict('already-approved', 'you have already approved this revision of the case', { review: mine.id });
    }
    if (request.kind === 'request_changes' && !['in_review', 'approved'].includes(record.file.status)) {
      throw conflict('not-in-review', `changes can be requested of a case in review; this one is "${record.file.status}"`, { caseStatus: record.file.status });
    }
    const at = deps.now();
    const review: ReviewRecord = {
      id: newId('rev'),
      caseId,
      tokenId: reviewer.tokenId,
      kind: request.kind,
      excerptId: request.excerpt ?? null,
      text: request.text ?? null,
      revision: record.revision,
      createdAt: at.toISOString(),
    };
    await repo.insertReview(review);
    const approvals = new Set([...reviews, review].filter((r) => r.kind === 'approve' && r.revision === record.revision).map((r) => r.tokenId)).size;
    let status = record.file.status;
    if (request.kind === 'approve') status = statusAfterApproval(status, approvals, deps.approvalsRequired);
    if (request.kind === 'request_changes') status = 'draft';
    const file = { ...record.file, status };
    let version: VersionRecord | undefined;
    if (status === 'approved' && record.file.status !== 'approved') {
      const pdf = await deps.renderVersion(file, (await repo.listSources()).map((s) => s.entry), at);
      version = { caseId, n: (await repo.listVersions(caseId)).length + 1, revision: record.revision, sha256: sha256Hex(pdf), createdAt: at.toISOString() };
      await repo.insertVersion(version, pdf);
    }
    await commitChange(deps, repo, record, reviewer, `review.${request.kind}`, {
      file,
      result: undefined,
      content: false,
      detail: { review: review.id, excerpt: review.excerptId, status: { from: record.file.status, to: status }, ...(version ? { version: version.n, sha256: version.sha256 } : {}) },
    });
    return { review, ...(version ? { version } : {}) };
  });
}

export async function listReviews(deps: CaseDeps, caseId: string): Promise<ReviewRecord[]> {
  return deps.uow.transaction(async (repo) => {
    await requireCase(repo, caseId);
    return repo.listReviews(caseId);
  });
}

export async function listVersions(deps: CaseDeps, caseId: string): Promise<VersionRecord[]> {
  return deps.uow.transaction(async (repo) => {
    await requireCase(repo, caseId);
    return repo.listVersions(caseId);
  });
}

export async function versionPdf(deps: CaseDeps, caseId: string, n: number): Promise<{ version: VersionRecord; pdf: Uint8Array }> {
  return deps.uow.transaction(async (repo) => {
    await requireCase(repo, caseId);
    const found = await repo.getVersionPdf(caseId, n);
    if (!found) throw new CaseError('not_found', 'version-not-found', `case ${caseId} has no frozen version ${n}`);
    return found;
  });
}

export async function auditLog(deps: CaseDeps, caseId: string): Promise<AuditEntry[]> {
  return deps.uow.transaction(async (repo) => {
    await requireCase(repo, caseId);
    return repo.listAudit(caseId);
  });
}

export async function verifyAudit(deps: CaseDeps, caseId: string): Promise<ChainCheck> {
  return verifyChain(await auditLog(deps, caseId));
}
