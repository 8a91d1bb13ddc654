import { z } from 'zod';
import { CaseId, CaseStatus, Excerpt, LegalPersonIdentity, Paragraph } from '../evidence/case-file.ts';
import { CriterionId } from '../criteria/schema.ts';
import { SourceId } from '../sources/manifest.ts';

/** Response shapes of the API, declared so that OpenAPI describes them and serialisation checks them. */

export const CaseParams = z.strictObject({ id: CaseId });

export const CaseSummaryView = z.object({ id: z.string(), title: z.string(), language: z.string(), status: CaseStatus, revision: z.int(), updatedAt: z.string() });

export const CaseView = z.object({
  id: z.string(),
  title: z.string(),
  status: CaseStatus,
  revision: z.int(),
  language: z.string(),
  submitted_by: z.array(z.string()),
  target: LegalPersonIdentity,
  claims: z.object({ criteria: z.array(CriterionId), involvement: CriterionId }),
  statement_of_reasons: z.array(Paragraph),
  excerpts: z.int(),
  signatures: z.int(),
  approvals: z.int(),
  approvalsRequired: z.int(),
  nextStep: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ExcerptView = Excerpt;

export const SourceSummary = z.object({
  id: SourceId,
  file: z.string(),
  title: z.string(),
  organisation: z.string(),
  publisher: z.string().optional(),
  kind: z.string(),
  reference: z.string().optional(),
  date: z.string().nullable(),
  date_note: z.string().optional(),
  language: z.string(),
  source_url: z.string().optional(),
  sha256: z.string(),
  length: z.int().describe('code points'),
  boilerplate: z.array(z.object({ start: z.int(), end: z.int() })),
  createdAt: z.string(),
});
export const SourceWithText = SourceSummary.extend({ text: z.string() });

export const CoverageEntry = z.object({ criterion: CriterionId, kind: z.string(), excerpts: z.array(z.string()), independentSources: z.int() });
export const CoverageView = z.object({
  claimed: z.array(CoverageEntry),
  thresholds: z.array(CoverageEntry),
  involvement: CoverageEntry,
  gaps: z.array(z.object({ code: z.string(), criterion: CriterionId, message: z.string() })),
});

export const ReviewView = z.object({
  id: z.string(),
  caseId: z.string(),
  reviewer: z.string().describe('who reviewed, as the audit log names them: the person the token names, or the token'),
  kind: z.enum(['comment', 'approve', 'request_changes']),
  excerptId: z.string().nullable(),
  text: z.string().nullable(),
  revision: z.int(),
  createdAt: z.string(),
});
export const VersionView = z.object({ caseId: z.string(), n: z.int(), revision: z.int(), sha256: z.string(), createdAt: z.string(), href: z.string() });

export const AuditView = z.object({
  seq: z.int(),
  actor: z.string(),
  action: z.string(),
  at: z.string(),
  beforeHash: z.string(),
  afterHash: z.string(),
  detail: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export const AuditVerifyView = z.object({ ok: z.boolean(), entries: z.int(), brokenAt: z.int().optional(), reason: z.string().optional() });
