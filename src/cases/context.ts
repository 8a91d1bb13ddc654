import { z } from 'zod';
import type { Catalogue } from '../criteria/catalogue.ts';
import type { CaseFile } from '../evidence/case-file.ts';
import { checkCase } from '../evidence/check-case.ts';
import { SourceDocument } from '../sources/source-document.ts';
import type { SourceEntry } from '../sources/manifest.ts';
import { ProblemsError } from '../shared/problems.ts';
import { GENESIS_HASH, chainHash, stateHash, type AuditFields } from './audit-chain.ts';
import { CaseError, notFound } from './errors.ts';
import type { CaseRecord, CaseRepository, UnitOfWork } from './repository.ts';
import { assertEditable, statusAfterChange } from './status.ts';

/** Who acts: recorded in the audit log by label, never by token. */
export interface Actor {
  tokenId: string;
  label: string;
}

export interface CaseDeps {
  uow: UnitOfWork;
  catalogue: Catalogue;
  now: () => Date;
  approvalsRequired: number;
  /** Renders the frozen PDF of an approved case (the domain does not know how). */
  renderVersion: (file: CaseFile, sources: SourceEntry[], at: Date) => Promise<Uint8Array>;
  /** The characters of a signatory's name the dossier cannot print (the domain does not know its fonts). */
  unprintableName: (name: string) => string[];
}

export async function requireCase(repo: CaseRepository, id: string): Promise<CaseRecord> {
  const record = await repo.getCase(id);
  if (!record) throw notFound('case', id);
  return record;
}

/**
 * The case, locked for the rest of the transaction: what every change of a case
 * reads first, so that concurrent writers (in any process) take turns and each
 * sees the state the previous one committed.
 */
export async function requireCaseForChange(repo: CaseRepository, id: string): Promise<CaseRecord> {
  await repo.lockCase(id);
  return requireCase(repo, id);
}

/** The case's sources, as verified documents. */
export async function sourceDocuments(repo: CaseRepository): Promise<Map<string, SourceDocument>> {
  return new Map((await repo.listSources()).map((s) => [s.entry.id, new SourceDocument(s.entry, s.text)]));
}

/** Checks a whole case as the case-file loader does; problems become a 422 with every path. */
export async function assertValidCase(repo: CaseRepository, file: CaseFile, catalogue: Catalogue): Promise<void> {
  const check = checkCase(file, await sourceDocuments(repo), catalogue);
  if (check.problems.length) throw new ProblemsError(`case ${file.id}`, check.problems);
}

export interface Change<T> {
  /** The case after the change. */
  file: CaseFile;
  /** What the caller gets back. */
  result: T;
  /** False for changes that do not touch what reviewers approved (signatures, reviews). */
  content: boolean;
  detail: unknown;
}

/**
 * Every change of a case goes through here, in one transaction: lock and load,
 * refuse if frozen, apply, bump the revision, and append a hash-chained audit
 * entry recording the state's hash before and after.
 */
export async function changeCase<T>(
  deps: CaseDeps,
  caseId: string,
  actor: Actor,
  action: string,
  apply: (record: CaseRecord, repo: CaseRepository) => Promise<Change<T>>,
  options: { frozenOk?: boolean } = {},
): Promise<T> {
  return deps.uow.transaction(async (repo) => {
    const record = await requireCaseForChange(repo, caseId);
    if (!options.frozenOk) assertEditable(record.file.status);
    return commitChange(deps, repo, record, actor, action, await apply(record, repo));
  });
}

/**
 * Saves a change computed inside an open transaction and records it in the audit
 * log. The transaction must hold the case's lock (requireCaseForChange), so that
 * the last audit hash it reads is still the last when it appends.
 */
export async function commitChange<T>(deps: CaseDeps, repo: CaseRepository, record: CaseRecord, actor: Actor, action: string, change: Change<T>): Promise<T> {
  return (await appendChange(deps, repo, await headOf(repo, record), actor, action, change)).result;
}

/**
 * A case as a transaction that holds its lock sees it: its record, the hash of
 * its state and the last hash of its audit chain. Several changes in one
 * transaction pass it from one to the next, so that the case is read and
 * hashed once, and the audit entries form one chain in the order they commit.
 */
export interface CaseHead {
  record: CaseRecord;
  stateHash: string;
  auditHash: string;
}

/**
 * The head of a case, read in a transaction that holds the case's lock.
 * `hashOf` computes the state hash when the caller has its own way to.
 */
export async function readHead(repo: CaseRepository, caseId: string, hashOf: (file: CaseFile) => string = stateHash): Promise<CaseHead> {
  return headOf(repo, await requireCase(repo, caseId), hashOf);
}

async function headOf(repo: CaseRepository, record: CaseRecord, hashOf: (file: CaseFile) => string = stateHash): Promise<CaseHead> {
  return { record, stateHash: hashOf(record.file), auditHash: await lastAuditHash(repo, record.file.id) };
}

const lastAuditHash = async (repo: CaseRepository, caseId: string) => (await repo.lastAuditHash(caseId)) ?? GENESIS_HASH;

export interface AppendOptions {
  /** The state hash of the changed case, when the caller knows it already. */
  afterHash?: string;
  /**
   * False when the caller saves the case's row itself after a series of changes
   * (its updatedAt, once): a change that touches only rows of its own
   * (signatures) need not rewrite the case's row each time.
   */
  saveCase?: boolean;
}

/** Saves a change on top of `head` and appends its audit entry; returns the result and the head after the change. */
export async function appendChange<T>(
  deps: CaseDeps,
  repo: CaseRepository,
  head: CaseHead,
  actor: Actor,
  action: string,
  change: Change<T>,
  options: AppendOptions = {},
): Promise<{ result: T; head: CaseHead }> {
  const { record } = head;
  // A change of content that leaves the case as it was (a form saved unchanged, a retried PATCH) is none:
  // no new revision, no audit entry, and an approved case keeps its approvals.
  if (change.content && stateHash(change.file) === head.stateHash) return { result: change.result, head };
  const at = deps.now().toISOString();
  const file = change.content ? { ...change.file, status: statusAfterChange(change.file.status) } : change.file;
  // A case back to draft from review (reopened, or changes requested) starts a new round: approvals are
  // counted per revision, so those given so far no longer count once the revision moves on.
  const newRound = file.status === 'draft' && record.file.status !== 'draft';
  const afterHash = options.afterHash ?? stateHash(file);
  // The case's time is when its state last changed, the date its dossier bears: a comment, or an approval that
  // moves no status, is in the audit log and leaves the case, its time and its draft PDF as they were.
  const moved = afterHash !== head.stateHash;
  const next: CaseRecord = { file, revision: record.revision + (change.content || newRound ? 1 : 0), createdAt: record.createdAt, updatedAt: moved ? at : record.updatedAt };
  if (options.saveCase !== false && moved) await repo.saveCase(next);
  const fields = { caseId: file.id, actor: actor.label, action, at, beforeHash: head.stateHash, afterHash, detail: change.detail };
  const hash = await chainAudit(repo, head.auditHash, fields);
  return { result: change.result, head: { record: next, stateHash: fields.afterHash, auditHash: hash } };
}

/** Appends an audit entry after the case's last one (for changes that have no head: a case created or imported). */
export async function appendAudit(repo: CaseRepository, fields: AuditFields): Promise<void> {
  await chainAudit(repo, await lastAuditHash(repo, fields.caseId), fields);
}

/** Appends an audit entry chained to `prevHash`; returns the entry's hash. */
async function chainAudit(repo: CaseRepository, prevHash: string, fields: AuditFields): Promise<string> {
  const hash = chainHash(prevHash, fields);
  await repo.appendAudit({ ...fields, prevHash, hash });
  return hash;
}

export function conflict(code: string, message: string, extra: Record<string, unknown> = {}): CaseError {
  return new CaseError('conflict', code, message, extra);
}

/** The revision a request was written against, as the case view showed it: held to it by `assertRevision`. */
export const RevisionRead = z
  .number()
  .int()
  .positive()
  .describe("the revision the request was written against (the case view's `revision`); when the case is at another one by then, nothing is changed and the answer is 409 revision-changed");

/** Refuses a request made about revision `expected` of a case now at another: what it was about has changed since. */
export function assertRevision(record: CaseRecord, expected: number | undefined, what: string): void {
  if (expected !== undefined && record.revision !== expected) {
    throw conflict('revision-changed', `the case is now at revision ${record.revision}, not revision ${expected}, which this ${what} is about: read what changed, then send it again`, {
      revision: record.revision,
    });
  }
}
