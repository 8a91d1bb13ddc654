import type { Generated } from 'kysely';

/** The tables as Kysely sees them. JSON columns hold text, the same on SQLite and PostgreSQL; bytes are a blob on one and bytea on the other. */
export interface Tables {
  cases: {
    id: string;
    /** JSON: the case file without its excerpts and signatories. */
    doc: string;
    status: string;
    /** Bumped by every change of the case's content; approvals count for one revision. */
    revision: number;
    created_at: string;
    updated_at: string;
  };
  sources: {
    id: string;
    sha256: string;
    /** JSON: the manifest entry. */
    entry: string;
    text: string;
    /** Order of arrival: the manifest's order for imported sources. */
    position: number;
    created_at: string;
  };
  excerpts: {
    case_id: string;
    id: string;
    source_id: string;
    /** JSON: the excerpt as in the case file. */
    data: string;
    position: number;
    withdrawn_at: string | null;
  };
  signatures: {
    id: string;
    case_id: string;
    /** Who signs: "organisation:<name>" or "expert:<name>", lower-cased; unique among a case's live signatures. */
    signer_key: string;
    category: string;
    name: string;
    affiliation: string | null;
    signatory: string | null;
    role: string | null;
    comment: string | null;
    token_id: string | null;
    position: number;
    created_at: string;
    withdrawn_at: string | null;
  };
  idempotency_keys: {
    token_id: string;
    key: string;
    request_hash: string;
    status: number;
    body: string;
    headers: string;
    created_at: string;
  };
  tokens: {
    id: string;
    sha256: string;
    role: string;
    organisation: string | null;
    person: string | null;
    created_at: string;
    revoked_at: string | null;
  };
  reviews: {
    id: string;
    case_id: string;
    token_id: string;
    reviewer: string;
    kind: string;
    excerpt_id: string | null;
    text: string | null;
    revision: number;
    created_at: string;
  };
  audit_log: {
    seq: Generated<number>;
    case_id: string;
    actor: string;
    action: string;
    at: string;
    before_hash: string;
    after_hash: string;
    /** JSON: what changed. */
    detail: string;
    prev_hash: string;
    hash: string;
  };
  versions: {
    case_id: string;
    n: number;
    revision: number;
    sha256: string;
    pdf: Uint8Array;
    created_at: string;
  };
  /** Rendered draft PDFs by dossierPdfKey (model, moment, renderer version); the newest are kept. */
  pdf_cache: {
    key: string;
    bytes: Uint8Array;
    created_at: string;
  };
  suggestion_rejections: {
    source_id: string;
    suggestion_id: string;
    start_at: number;
    end_at: number;
    rejected_by: string;
    reason: string | null;
    at: string;
  };
}
