import { z } from 'zod';
import { CaseFile, CaseId, LegalPersonIdentity, Paragraph, type CaseStatus } from '../evidence/case-file.ts';
import { CriterionId } from '../criteria/schema.ts';
import { Language } from '../sources/manifest.ts';
import { appendAudit, assertRevision, RevisionRead, assertValidCase, changeCase, requireCase, type Actor, type CaseDeps } from './context.ts';
import { CaseError } from './errors.ts';
import type { CaseRecord, CaseSummary } from './repository.ts';
import { approvalsOf } from './reviews.ts';
import { nextStep, requestStatus, type StatusRequest } from './status.ts';
import { stateHash } from './audit-chain.ts';

export const CaseCreate = z.strictObject({
  id: CaseId,
  title: z.string().trim().min(1).max(300),
  language: Language,
  submitted_by: z.array(z.string().trim().min(1).max(300)).min(1).max(200),
  target: LegalPersonIdentity,
  claims: z.strictObject({ criteria: z.array(CriterionId).min(1), involvement: CriterionId }),
  statement_of_reasons: z.array(Paragraph).default([]),
});
export type CaseCreate = z.infer<typeof CaseCreate>;

/** What editors may change after creation; every field optional, unknown fields refused. */
export const CaseUpdate = z
  .strictObject({
    title: z.string().trim().min(1).max(300),
    submitted_by: z.array(z.string().trim().min(1).max(300)).min(1).max(200),
    target: LegalPersonIdentity,
    claims: z.strictObject({ criteria: z.array(CriterionId).min(1), involvement: CriterionId }),
    statement_of_reasons: z.array(Paragraph),
    revision: RevisionRead,
  })
  .partial()
  .refine((u) => Object.keys(u).some((key) => key !== 'revision'), 'an update changes at least one field');
export type CaseUpdate = z.infer<typeof CaseUpdate>;

export interface CaseView {
  id: string;
  title: string;
  status: CaseStatus;
  revision: number;
  language: string;
  submitted_by: string[];
  target: CaseFile['target'];
  claims: CaseFile['claims'];
  statement_of_reasons: CaseFile['statement_of_reasons'];
  excerpts: number;
  signatures: number;
  approvals: number;
  approvalsRequired: number;
  nextStep: string;
  createdAt: string;
  updatedAt: string;
}

export async function listCases(deps: CaseDeps): Promise<CaseSummary[]> {
  return deps.uow.transaction((repo) => repo.listCases());
}

/** Reviewers' approvals of the case's current revision, one per reviewer. */
async function currentApprovals(deps: CaseDeps, record: CaseRecord): Promise<number> {
  return deps.uow.transaction(async (repo) => approvalsOf(await repo.listReviews(record.file.id), record.revision));
}

export async function caseView(deps: CaseDeps, record: CaseRecord): Promise<CaseView> {
  const { file } = record;
  const approvals = await currentApprovals(deps, record);
  return {
    id: file.id,
    title: file.title,
    status: file.status,
    revision: record.revision,
    language: file.language,
    submitted_by: file.submitted_by,
    target: file.target,
    claims: file.claims,
    statement_of_reasons: file.statement_of_reasons,
    excerpts: file.excerpts.length,
    signatures: file.signatories.length,
    approvals,
    approvalsRequired: deps.approvalsRequired,
    nextStep: nextStep(file.status, approvals, deps.approvalsRequired),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export async function getCase(deps: CaseDeps, id: string): Promise<CaseRecord> {
  return deps.uow.transaction((repo) => requireCase(repo, id));
}

export async function createCase(deps: CaseDeps, actor: Actor, input: CaseCreate): Promise<CaseRecord> {
  return deps.uow.transaction(async (repo) => {
    if (await repo.getCase(input.id)) throw new CaseError('conflict', 'case-exists', `a case "${input.id}" already exists`, { location: `/cases/${input.id}` });
    const file = CaseFile.parse({ ...input, status: 'draft', excerpts: [], signatories: [] });
    await assertValidCase(repo, file, deps.catalogue);
    const at = deps.now().toISOString();
    const record: CaseRecord = { file, revision: 1, createdAt: at, updatedAt: at };
    await repo.insertCase(record);
    await appendAudit(repo, { caseId: file.id, actor: actor.label, action: 'case.create', at, beforeHash: stateHash(null), afterHash: stateHash(file), detail: { title: file.title } });
    return record;
  });
}

export async function updateCase(deps: CaseDeps, actor: Actor, id: string, update: CaseUpdate): Promise<CaseRecord> {
  const { revision, ...fields } = update;
  return changeCase(deps, id, actor, 'case.update', async (record, repo) => {
    assertRevision(record, revision, 'change');
    const file = CaseFile.parse({ ...record.file, ...fields });
    await assertValidCase(repo, file, deps.catalogue);
    return { file, result: undefined, content: true, detail: { fields: Object.keys(fields).sort() } };
  }).then(() => getCase(deps, id));
}

export async function changeStatus(deps: CaseDeps, actor: Actor, id: string, request: StatusRequest): Promise<CaseRecord> {
  await changeCase(deps, id, actor, `status.${request}`, async (record) => {
    const status = requestStatus(record.file.status, request);
    // Back to draft, the review starts again from nothing when the case is put to review next.
    return { file: { ...record.file, status }, result: undefined, content: false, detail: { from: record.file.status, to: status } };
  });
  return getCase(deps, id);
}
