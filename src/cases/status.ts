import type { CaseStatus } from '../evidence/case-file.ts';
import { CaseError } from './errors.ts';

/**
 * draft → in_review → approved → submitted. Editors ask for review and submit;
 * approval comes from reviewers' approvals, never from an editor's request.
 */
export type StatusRequest = 'request_review' | 'submit' | 'reopen';

const MOVES: Record<StatusRequest, { from: CaseStatus[]; to: CaseStatus }> = {
  request_review: { from: ['draft'], to: 'in_review' },
  submit: { from: ['approved'], to: 'submitted' },
  reopen: { from: ['in_review', 'approved'], to: 'draft' },
};

export function requestStatus(current: CaseStatus, request: StatusRequest): CaseStatus {
  const move = MOVES[request];
  if (!move.from.includes(current)) {
    throw new CaseError('conflict', 'illegal-transition', `a case in status "${current}" cannot ${request.replace('_', ' ')}: allowed from ${move.from.join(' or ')}`, {
      caseStatus: current,
    });
  }
  return move.to;
}

/** A submitted case is frozen: nothing about it changes any more. */
export function assertEditable(status: CaseStatus): void {
  if (status === 'submitted') throw new CaseError('conflict', 'case-frozen', 'the case has been submitted and can no longer change');
}

/** The statuses a case file may bring in; the others are reached through the service's reviews. */
const IMPORTABLE: readonly CaseStatus[] = ['draft', 'in_review'];

/** Approval freezes a version through reviews a case file does not carry: a file so marked would be approved by no one. */
export function assertImportable(caseId: string, status: CaseStatus): void {
  if (!IMPORTABLE.includes(status)) {
    throw new CaseError(
      'unprocessable',
      'status-not-importable',
      `case "${caseId}" says status "${status}": a case is approved and submitted through reviews in the service, which a case file does not carry; import it as ${IMPORTABLE.join(' or ')}`,
    );
  }
}

/** After a change of content, an approved case goes back to review: approvals were for what it said before. */
export function statusAfterChange(status: CaseStatus): CaseStatus {
  return status === 'approved' ? 'in_review' : status;
}

/** The status once a reviewer approves, given how many approvals the current revision now has. */
export function statusAfterApproval(status: CaseStatus, approvals: number, required: number): CaseStatus {
  return status === 'in_review' && approvals >= required ? 'approved' : status;
}

export function nextStep(status: CaseStatus, approvals: number, required: number): string {
  switch (status) {
    case 'draft':
      return 'editors request a review';
    case 'in_review':
      return `reviewers approve (${approvals} of ${required} approvals)`;
    case 'approved':
      return 'editors submit the approved version';
    case 'submitted':
      return 'none: the case is submitted';
  }
}
