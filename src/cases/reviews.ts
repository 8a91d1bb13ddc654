import { z } from 'zod';
import { ExcerptId, type CaseFile, type CaseStatus } from '../evidence/case-file.ts';
import type { SourceEntry } from '../sources/manifest.ts';
import { sha256Hex } from '../shared/hash.ts';
import { newId } from '../shared/ids.ts';
import { nameKey } from '../shared/text-units.ts';
import { stateHash, verifyChain, type AuditEntry, type ChainCheck } from './audit-chain.ts';
import { assertRevision, commitChange, RevisionRead, conflict, requireCase, requireCaseForChange, type Actor, type CaseDeps } from './context.ts';
import { CaseError, notFound } from './errors.ts';
import type { ReviewKind, ReviewRecord, VersionRecord } from './repository.ts';
import { assertEditable, statusAfterApproval } from './status.ts';

export const ReviewRequest = z.strictObject({
  kind: z.enum(['comment', 'approve', 'request_changes']),
  text: z.string().trim().min(1).max(10000).optional(),
  excerpt: ExcerptId.optional(),
  revision: RevisionRead.optional(),
}).refine((r) => r.kind === 'approve' || r.text !== undefined, { message: 'a comment or a request for changes needs a text', path: ['text'] });
export type ReviewRequest = z.infer<typeof ReviewRequest>;

/** The statuses in which a case takes each kind of review (a submitted case takes none): the rule addReview applies and the pages offer. */
const OPEN_TO: Record<ReviewKind, readonly CaseStatus[]> = {
  comment: ['draft', 'in_review', 'approved'],
  approve: ['in_review'],
  request_changes: ['in_review', 'approved'],
};

export const reviewOpen = (kind: ReviewKind, status: CaseStatus): boolean => OPEN_TO[kind].includes(status);

/** How many reviewers approved `revision`: each reviewer (the person a token names, or else the token; compared by nameKey) counts once. */
export const approvalsOf = (reviews: readonly ReviewRecord[], revision: number): number =>
  new Set(reviews.filter((r) => r.kind === 'approve' && r.revision === revision).map((r) => nameKey(r.reviewer))).size;

/** The approval `reviewer` (as the audit log names them) gave the case's `revision`, if any: a reviewer approves a revision once. */
export const approvalBy = (reviews: readonly ReviewRecord[], reviewer: string, revision: number): ReviewRecord | undefined =>
  reviews.find((r) => r.kind === 'approve' && r.revision === revision && nameKey(r.reviewer) === nameKey(reviewer));

export interface ReviewOutcome {
  review: ReviewRecord;
  /** Set when this approval completed the approvals and froze a version. */
  version?: VersionRecord;
}

/** What an approval's frozen PDF is rendered from, outside the case's transaction. */
interface VersionToRender {
  /** The case's stamp (CaseRepository.caseStamp) when it was read for the render: any change since moves it. */
  stamp: string | undefined;
  at: Date;
  file: CaseFile;
  sources: SourceEntry[];
}

/** The frozen PDF of an approval, rendered outside a transaction, and the stamp of the case it was rendered from. */
interface RenderedVersion extends Pick<VersionToRender, 'stamp' | 'at'> {
  pdf: Uint8Array;
}

/** Renders outside the case's transaction before the last one rendered inside it, when the case kept changing meanwhile. */
const RENDERS_OUTSIDE = 3;

/**
 * A reviewer comments, approves or requests changes, optionally on one excerpt.
 * The approval that reaches the required count approves the case and freezes
 * its PDF as a numbered version; a request for changes sends it back to draft.
 *
 * The frozen PDF is rendered outside the case's transaction: a render takes a
 * tenth of a second or more (longer when it waits for a render thread), and on
 * SQLite a transaction holds the only write lock, which signatures need too. So
 * the approval that completes the count is decided twice: once to learn that a
 * version is due (nothing is written), then, with the PDF, for good, provided
 * the case's stamp shows that nothing changed it since it was read for the
 * render. If something did (a partner signed), it is rendered again; past
 * RENDERS_OUTSIDE attempts, inside the transaction.
 *
 * A review is about the revision its reviewer read: the request's `revision`
 * when it names one, else the revision its first attempt found. A case whose
 * content changed meanwhile (an editor's change during the render) is refused
 * with revision-changed, rather than approved for text its reviewer never saw.
 */
export async function addReview(deps: CaseDeps, reviewer: Actor, caseId: string, request: ReviewRequest): Promise<ReviewOutcome> {
  let rendered: RenderedVersion | undefined;
  let reviewedRevision = request.revision;
  for (let attempt = 1; ; attempt++) {
    const decided = await deps.uow.transaction(async (repo): Promise<ReviewOutcome | { render: VersionToRender }> => {
      const record = await requireCaseForChange(repo, caseId);
      assertEditable(record.file.status);
      assertRevision(record, reviewedRevision, 'review');
      reviewedRevision = record.revision;
      if (request.excerpt && !record.file.excerpts.some((e) => e.id === request.excerpt)) throw notFound('excerpt', request.excerpt);
      const reviews = await repo.listReviews(caseId);
      if (!reviewOpen(request.kind, record.file.status)) {
        const what = request.kind === 'approve' ? 'only a case in review can be approved' : 'changes can be requested of a case in review';
        throw conflict('not-in-review', `${what}; this one is "${record.file.status}"`, { caseStatus: record.file.status });
      }
      // A reviewer is who the token names (its label), so that a second token of the same person approves nothing more.
      const mine = request.kind === 'approve' ? approvalBy(reviews, reviewer.label, record.revision) : undefined;
      if (mine) throw conflict('already-approved', 'you have already approved this revision of the case', { review: mine.id });
      const at = rendered?.at ?? deps.now();
      const review: ReviewRecord = {
        id: newId('rev'),
        caseId,
        tokenId: reviewer.tokenId,
        reviewer: reviewer.label,
        kind: request.kind,
        excerptId: request.excerpt ?? null,
        text: request.text ?? null,
        revision: record.revision,
        createdAt: at.toISOString(),
      };
      const approvals = approvalsOf([...reviews, review], record.revision);
      let status = record.file.status;
      if (request.kind === 'approve') status = statusAfterApproval(status, approvals, deps.approvalsRequired);
      if (request.kind === 'request_changes') status = 'draft';
      const file = { ...record.file, status };
      let version: VersionRecord | undefined;
      let pdf: Uint8Array | undefined;
      if (status === 'approved' && record.file.status !== 'approved') {
        const stamp = await repo.caseStamp(caseId);
        if (rendered && rendered.stamp === stamp) pdf = rendered.pdf;
        else {
          // The sources' texts are read only for a render, not for the attempt that stores a PDF rendered already.
          const sources = (await repo.listSources()).map((s) => s.entry);
          if (attempt <= RENDERS_OUTSIDE) return { render: { file, sources, at, stamp } };
          pdf = await deps.renderVersion(file, sources, at);
        }
        version = { caseId, n: (await repo.listVersions(caseId)).length + 1, revision: record.revision, sha256: sha256Hex(pdf), createdAt: at.toISOString() };
      }
      await repo.insertReview(review);
      if (version && pdf) await repo.insertVersion(version, pdf);
      await commitChange(deps, repo, record, reviewer, `review.${request.kind}`, {
        file,
        result: undefined,
        content: false,
        detail: { review: review.id, excerpt: review.excerptId, status: { from: record.file.status, to: status }, ...(version ? { version: version.n, sha256: version.sha256 } : {}) },
      });
      return { review, ...(version ? { version } : {}) };
    });
    if (!('render' in decided)) return decided;
    const { file, sources, at, stamp } = decided.render;
    rendered = { stamp, at, pdf: await deps.renderVersion(file, sources, at) };
  }
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
  // The log and the case read together, in one transaction: the state the last entry left is the case's.
  return deps.uow.transaction(async (repo) => {
    const record = await requireCase(repo, caseId);
    return verifyChain(await repo.listAudit(caseId), stateHash(record.file));
  });
}
