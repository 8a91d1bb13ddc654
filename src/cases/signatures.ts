import { z } from 'zod';
import type { Signatory, SignatoryCategory } from '../evidence/case-file.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import { sha256Hex } from '../shared/hash.ts';
import { newId } from '../shared/ids.ts';
import { commitChange, conflict, requireCase, requireCaseForChange, type Actor, type CaseDeps } from './context.ts';
import { CaseError, notFound } from './errors.ts';
import type { SignatureRecord } from './repository.ts';

export const SignRequest = z.strictObject({
  signatory: z.strictObject({
    name: z.string().trim().min(1).max(200).describe('the person who signs for the organisation'),
    role: z.string().trim().min(1).max(200).describe('their role in it'),
  }),
  comment: z.string().trim().min(1).max(2000).optional(),
});
export type SignRequest = z.infer<typeof SignRequest>;

export const SignatureView = z.object({
  id: z.string(),
  caseId: z.string(),
  category: z.enum(['organisation', 'expert']),
  name: z.string(),
  affiliation: z.string().optional(),
  signatory: z.object({ name: z.string(), role: z.string() }).optional(),
  comment: z.string().optional(),
  createdAt: z.string(),
});
export type SignatureView = z.infer<typeof SignatureView>;

/** A partner acts for exactly one organisation or one independent expert, taken from its token, never from a request body. */
export interface Partner extends Actor {
  organisation?: string;
  person?: string;
}

export const IdempotencyKey = z.string().trim().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** Organisations are told apart by name, whatever the case and spacing of the request. */
export function signerKey(category: SignatoryCategory, name: string): string {
  return `${category}:${name.normalize('NFKC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('en')}`;
}

export function signatureView(record: SignatureRecord): SignatureView {
  const s = record.signatory;
  return {
    id: record.id,
    caseId: record.caseId,
    category: s.category,
    name: s.name,
    ...(s.affiliation ? { affiliation: s.affiliation } : {}),
    ...(s.signed_by ? { signatory: s.signed_by } : {}),
    ...(s.comment ? { comment: s.comment } : {}),
    createdAt: record.createdAt,
  };
}

export const signatureLocation = (caseId: string, id: string) => `/cases/${caseId}/signatures/${id}`;

function signerOf(partner: Partner): { category: SignatoryCategory; name: string } {
  if (partner.organisation) return { category: 'organisation', name: partner.organisation };
  if (partner.person) return { category: 'expert', name: partner.person };
  throw new CaseError('forbidden', 'not-a-signer', 'this token is bound to no organisation or expert');
}

export async function listSignatures(deps: CaseDeps, caseId: string): Promise<SignatureView[]> {
  return deps.uow.transaction(async (repo) => {
    await requireCase(repo, caseId);
    return (await repo.listSignatures(caseId)).filter((s) => !s.withdrawnAt).map(signatureView);
  });
}

/** One live signature; a withdrawn one is gone from public view. */
export async function getSignature(deps: CaseDeps, caseId: string, signatureId: string): Promise<SignatureView> {
  return deps.uow.transaction(async (repo) => {
    await requireCase(repo, caseId);
    const signature = await repo.getSignature(caseId, signatureId);
    if (!signature || signature.withdrawnAt) throw notFound('signature', signatureId);
    return signatureView(signature);
  });
}

export interface SignOutcome {
  signature: SignatureView;
  location: string;
  /** True when this answers a request already made with the same Idempotency-Key. */
  replayed: boolean;
}

/**
 * Adds the partner's signature. The same Idempotency-Key with the same body gets
 * the first answer again; with another body it is refused. Everything happens in
 * one transaction holding the case's lock, and the database refuses a second
 * live signature of a signer and a second answer for one key: concurrent
 * requests, in one process or several, cannot sign twice.
 */
export async function sign(deps: CaseDeps, caseId: string, partner: Partner, body: SignRequest, idempotencyKey: string): Promise<SignOutcome> {
  const requestHash = sha256Hex(canonicalJson({ caseId, body }));
  return deps.uow.transaction(async (repo) => {
    // The case's lock first: a request with the same key waiting here finds the
    // answer the first one stored, rather than its signature (409).
    await repo.lockCase(caseId);
    const stored = await repo.getStoredResponse(partner.tokenId, idempotencyKey);
    if (stored) {
      if (stored.requestHash !== requestHash) {
        throw new CaseError('unprocessable', 'idempotency-key-reused', `the Idempotency-Key "${idempotencyKey}" was already used for a different request`);
      }
      return { signature: JSON.parse(stored.body) as SignatureView, location: stored.headers.location ?? '', replayed: true };
    }
    const record = await requireCase(repo, caseId);
    if (record.file.status === 'submitted') throw conflict('case-submitted', 'the case has been submitted: signatures can no longer be added');
    const { category, name } = signerOf(partner);
    const key = signerKey(category, name);
    const existing = await repo.findLiveSignature(caseId, key);
    if (existing) {
      throw conflict('already-signed', `${name} has already signed this case`, { signature: existing.id, location: signatureLocation(caseId, existing.id) });
    }
    const signatory: Signatory = {
      name,
      category,
      signed_by: body.signatory,
      ...(body.comment ? { comment: body.comment } : {}),
    };
    const created: SignatureRecord = {
      id: newId('sig'),
      caseId,
      signerKey: key,
      signatory,
      tokenId: partner.tokenId,
      createdAt: deps.now().toISOString(),
      withdrawnAt: null,
    };
    await repo.insertSignature(created);
    const signature = signatureView(created);
    const location = signatureLocation(caseId, created.id);
    await commitChange(deps, repo, record, partner, 'signature.add', {
      file: { ...record.file, signatories: [...record.file.signatories, signatory] },
      result: undefined,
      content: false,
      detail: { signature: created.id, signer: name, category },
    });
    await repo.storeResponse(partner.tokenId, idempotencyKey, { requestHash, status: 201, body: JSON.stringify(signature), headers: { location } }, created.createdAt);
    return { signature, location, replayed: false };
  });
}

/** Withdraws a signature: it leaves the list and the annex; its record stays, and the audit log says who withdrew it. */
export async function withdrawSignature(deps: CaseDeps, caseId: string, partner: Partner, signatureId: string): Promise<void> {
  await deps.uow.transaction(async (repo) => {
    const record = await requireCaseForChange(repo, caseId);
    const signature = await repo.getSignature(caseId, signatureId);
    if (!signature || signature.withdrawnAt) throw notFound('signature', signatureId);
    const { category, name } = signerOf(partner);
    if (signature.signerKey !== signerKey(category, name)) {
      throw new CaseError('forbidden', 'not-your-signature', `signature ${signatureId} is not ${name}'s`);
    }
    if (record.file.status === 'submitted') throw conflict('case-submitted', 'the case has been submitted: signatures can no longer be withdrawn');
    await repo.withdrawSignature(caseId, signatureId, deps.now().toISOString());
    const remaining = (await repo.listSignatures(caseId)).filter((s) => !s.withdrawnAt).map((s) => s.signatory);
    await commitChange(deps, repo, record, partner, 'signature.withdraw', {
      file: { ...record.file, signatories: remaining },
      result: undefined,
      content: false,
      detail: { signature: signatureId, signer: name, category },
    });
  });
}
