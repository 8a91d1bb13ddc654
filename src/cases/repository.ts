import type { CaseFile, CaseStatus, Excerpt, Signatory } from '../evidence/case-file.ts';
import type { SourceEntry } from '../sources/manifest.ts';
import type { AuditEntry } from './audit-chain.ts';

/**
 * What the case rules need from persistence. The store implements it; the rules
 * never see a driver or a query.
 */
export interface CaseRecord {
  file: CaseFile;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface CaseSummary {
  id: string;
  title: string;
  /** The language the case is written in (its title's). */
  language: string;
  status: CaseStatus;
  revision: number;
  updatedAt: string;
}

export interface SignatureRecord {
  id: string;
  caseId: string;
  signerKey: string;
  signatory: Signatory;
  tokenId: string | null;
  createdAt: string;
  withdrawnAt: string | null;
}

export interface SourceRecord {
  entry: SourceEntry;
  text: string;
  createdAt: string;
}

export interface ExcerptRecord {
  excerpt: Excerpt;
  withdrawnAt: string | null;
}

/** A mapper suggestion an editor rejected: not suggested again for that source. */
export interface Rejection {
  sourceId: string;
  suggestionId: string;
  start: number;
  end: number;
  rejectedBy: string;
  reason: string | null;
  at: string;
}

export type ReviewKind = 'comment' | 'approve' | 'request_changes';

export interface ReviewRecord {
  id: string;
  caseId: string;
  tokenId: string;
  /** Who reviewed, as the audit log names them (`reviewer:Jane Doe`): approvals count once per reviewer. */
  reviewer: string;
  kind: ReviewKind;
  excerptId: string | null;
  text: string | null;
  revision: number;
  createdAt: string;
}

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: string;
  headers: Record<string, string>;
}

export interface VersionRecord {
  caseId: string;
  n: number;
  revision: number;
  sha256: string;
  createdAt: string;
}

export interface CaseRepository {
  /**
   * Runs part of a transaction as a nested unit (a savepoint): when `work`
   * fails, what it wrote is undone and the transaction goes on without it.
   */
  nested<T>(work: () => Promise<T>): Promise<T>;
  listCases(): Promise<CaseSummary[]>;
  /**
   * Locks the case's row until the transaction ends: every change of a case takes
   * this first, so that two writers (in one process or several) change a case one
   * after the other and its audit chain cannot fork. Nothing happens for a case
   * that does not exist.
   */
  lockCase(id: string): Promise<void>;
  /** The case with its live excerpts and signatures, in order. */
  getCase(id: string): Promise<CaseRecord | undefined>;
  /**
   * A short value that changes whenever the end of the case's audit chain, its
   * status, revision or times, or the number of sources do: two equal stamps
   * mean that no change was made to the case through the service in between
   * (every change appends to the chain) and no source was added; read under the
   * case's lock, that nothing changed until the lock is let go.
   */
  caseStamp(id: string): Promise<string | undefined>;
  insertCase(record: CaseRecord): Promise<void>;
  /** Saves everything of the case but its excerpts and signatures. */
  saveCase(record: CaseRecord): Promise<void>;

  listSources(): Promise<SourceRecord[]>;
  getSource(id: string): Promise<SourceRecord | undefined>;
  findSourceBySha256(sha256: string): Promise<SourceRecord | undefined>;
  insertSource(record: SourceRecord): Promise<void>;

  listExcerpts(caseId: string): Promise<ExcerptRecord[]>;
  insertExcerpt(caseId: string, excerpt: Excerpt): Promise<void>;
  updateExcerpt(caseId: string, excerpt: Excerpt): Promise<void>;
  withdrawExcerpt(caseId: string, id: string, at: string): Promise<void>;

  listSignatures(caseId: string): Promise<SignatureRecord[]>;
  getSignature(caseId: string, id: string): Promise<SignatureRecord | undefined>;
  findLiveSignature(caseId: string, signerKey: string): Promise<SignatureRecord | undefined>;
  /** Fails with a uniqueness error when the signer already has a live signature. */
  insertSignature(record: SignatureRecord): Promise<void>;
  withdrawSignature(caseId: string, id: string, at: string): Promise<void>;

  getStoredResponse(tokenId: string, key: string): Promise<StoredResponse | undefined>;
  storeResponse(tokenId: string, key: string, response: StoredResponse, at: string): Promise<void>;

  listRejections(sourceId: string): Promise<Rejection[]>;
  insertRejection(rejection: Rejection): Promise<void>;

  listReviews(caseId: string): Promise<ReviewRecord[]>;
  insertReview(record: ReviewRecord): Promise<void>;

  listAudit(caseId: string): Promise<AuditEntry[]>;
  lastAuditHash(caseId: string): Promise<string | undefined>;
  appendAudit(entry: Omit<AuditEntry, 'seq'>): Promise<void>;

  listVersions(caseId: string): Promise<VersionRecord[]>;
  getVersionPdf(caseId: string, n: number): Promise<{ version: VersionRecord; pdf: Uint8Array } | undefined>;
  insertVersion(version: VersionRecord, pdf: Uint8Array): Promise<void>;
}

/** What a read outside a transaction may ask: one query each. */
export type CaseReader = Pick<CaseRepository, 'caseStamp' | 'getCase' | 'listCases' | 'getSource' | 'listSources'>;

/**
 * Runs work in one transaction: it all happens, or none of it does. When the
 * store refuses a write because another writer stored the same thing first
 * (a UniqueViolation), the transaction is rolled back and the work runs again,
 * so it must not act outside the repository before it returns.
 */
export interface UnitOfWork {
  transaction<T>(work: (repo: CaseRepository) => Promise<T>): Promise<T>;
  /**
   * Runs one read outside a transaction (a single query sees one state on its
   * own): no BEGIN and COMMIT to pay for. The repository it lends can only read;
   * it is shared by every such read.
   */
  readOnce<T>(work: (repo: CaseReader) => Promise<T>): Promise<T>;
}
