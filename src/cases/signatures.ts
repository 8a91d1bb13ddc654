import { z } from 'zod';
import type { Signatory, SignatoryCategory } from '../evidence/case-file.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import { codePointLabel } from '../shared/code-points.ts';
import { sha256Hex } from '../shared/hash.ts';
import { newId } from '../shared/ids.ts';
import { RecentMap } from '../shared/recent-map.ts';
import { ProblemsError } from '../shared/problems.ts';
import { nameKey } from '../shared/text-units.ts';
import { appendChange, commitChange, conflict, readHead, requireCase, requireCaseForChange, type Actor, type CaseDeps, type CaseHead } from './context.ts';
import { CaseError, notFound, UniqueViolation } from './errors.ts';
import { GroupCommit, type Settled } from './group-commit.ts';
import type { CaseRepository, SignatureRecord, StoredResponse } from './repository.ts';
import { SignatoriesStateHash } from './state-hash.ts';

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

export const IdempotencyKey = z
  .string({ error: (issue) => (issue.input === undefined ? 'the Idempotency-Key header is required: a key of your choosing, sent again unchanged with a retry of the same request' : undefined) })
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** Organisations are told apart by name, whatever the case and spacing of the request. */
export function signerKey(category: SignatoryCategory, name: string): string {
  return `${category}:${nameKey(name)}`;
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

interface SignRequestInHand {
  partner: Partner;
  body: SignRequest;
  idempotencyKey: string;
  requestHash: string;
}

/** The signing queue of each service (its CaseDeps): requests for one case that arrive together are committed together. */
const signing = new WeakMap<CaseDeps, GroupCommit<SignRequestInHand, SignOutcome>>();

/**
 * Adds the partner's signature. The same Idempotency-Key with the same body gets
 * the first answer again; with another body it is refused. The database refuses
 * a second live signature of a signer and a second answer for one key:
 * concurrent requests, in one process or several, cannot sign twice.
 *
 * A signature is answered once it is on disk. Signatures of one case that
 * arrive while others are being written wait and are then written together
 * (group commit): one transaction holding the case's lock, the case read and
 * hashed once, each signature in a nested unit of its own so that a refusal
 * (409, 422) undoes only that signature, the audit entries chained in the order
 * they commit, and one commit for all of them.
 */
export async function sign(deps: CaseDeps, caseId: string, partner: Partner, body: SignRequest, idempotencyKey: string): Promise<SignOutcome> {
  let queue = signing.get(deps);
  if (!queue) signing.set(deps, (queue = new GroupCommit((id, requests) => signTogether(deps, id, requests))));
  return queue.submit(caseId, { partner, body, idempotencyKey, requestHash: sha256Hex(canonicalJson({ caseId, body })) });
}

/** A refusal a request gets as its answer; anything else fails the transaction (which may run again). */
const isRefusal = (error: unknown) => (error instanceof CaseError && !(error instanceof UniqueViolation)) || error instanceof ProblemsError;

/**
 * A case as a group of signatures carries it from one signature to the next:
 * its head (record, state hash, end of the audit chain) and the hasher that
 * extends the state hash by one signatory. Within a group, `head.record.file`
 * keeps the signatories the group started from (the new ones are in the state
 * hash and the group's list); the state the group leaves has them all.
 */
interface SignedState {
  head: CaseHead;
  hasher: SignatoriesStateHash;
}

/** A case as the last group of signatures this process committed left it, and the stamp the database gave it then. */
interface KnownState extends SignedState {
  stamp: string;
}

/** Known states by case; past this many cases the one signed longest ago is forgotten (it is read again if signed). */
const knownStates = new WeakMap<CaseDeps, RecentMap<string, KnownState>>();
const MAX_KNOWN_STATES = 32;

/** The case read under its lock, hashed once with a hasher that extends the hash signatory by signatory. */
async function readSignedState(repo: CaseRepository, caseId: string): Promise<SignedState> {
  let hasher: SignatoriesStateHash | undefined;
  const head = await readHead(repo, caseId, (file) => (hasher = SignatoriesStateHash.of(file)).hash);
  return { head, hasher: hasher! };
}

/**
 * One transaction for a group of signatures of one case: each request's answer,
 * in order. The case is read and hashed once for the group, or not at all when
 * its stamp (read under the lock) shows that nothing changed it since this
 * process's previous group committed: then the previous group's state goes on.
 */
async function signTogether(deps: CaseDeps, caseId: string, requests: SignRequestInHand[]): Promise<Settled<SignOutcome>[]> {
  let states = knownStates.get(deps);
  if (!states) knownStates.set(deps, (states = new RecentMap(MAX_KNOWN_STATES)));
  const known = states.get(caseId);
  states.delete(caseId);
  const { answers, after } = await deps.uow.transaction(async (repo) => {
    // The case's lock first: a request with the same key waiting here finds the
    // answer the first one stored, rather than its signature (409).
    await repo.lockCase(caseId);
    let state: SignedState | undefined = known && known.stamp === (await repo.caseStamp(caseId)) ? known : undefined;
    // The signatories the group adds, in order (the case's own are in state.head.record.file).
    const added: Signatory[] = [];
    const answers: Settled<SignOutcome>[] = [];
    for (const request of requests) {
      try {
        const answer = await repo.nested(async () => {
          const stored = await repo.getStoredResponse(request.partner.tokenId, request.idempotencyKey);
          if (stored) return { outcome: await replay(repo, stored, request) };
          state ??= await readSignedState(repo, caseId);
          return addSignature(deps, repo, state, request);
        });
        // Only once the signature's unit is done: a refusal leaves the state as it was.
        if ('state' in answer) {
          state = answer.state;
          added.push(answer.signatory);
        }
        answers.push({ ok: true, value: answer.outcome });
      } catch (error) {
        if (!isRefusal(error)) throw error;
        answers.push({ ok: false, error });
      }
    }
    if (!state) return { answers };
    if (added.length) {
      // The case's row once, as the last signature left it (its updatedAt; its signatories are the signature rows).
      const { record } = state.head;
      state = { ...state, head: { ...state.head, record: { ...record, file: { ...record.file, signatories: [...record.file.signatories, ...added] } } } };
      await repo.saveCase(state.head.record);
    }
    const stamp = await repo.caseStamp(caseId);
    return { answers, after: stamp === undefined ? undefined : { ...state, stamp } };
  });
  // Known only once committed: a group that failed leaves nothing to go on from.
  if (after) states.set(caseId, after);
  return answers;
}

/**
 * The first answer again, for a retry. Not once its signature is withdrawn: a
 * 201 would tell the partner it has signed when it has not, and a request sent
 * after a withdrawal is a new signature, which takes a new key.
 */
async function replay(repo: CaseRepository, stored: StoredResponse, request: SignRequestInHand): Promise<SignOutcome> {
  if (stored.requestHash !== request.requestHash) {
    throw new CaseError('unprocessable', 'idempotency-key-reused', `the Idempotency-Key "${request.idempotencyKey}" was already used for a different request`);
  }
  const signature = JSON.parse(stored.body) as SignatureView;
  if ((await repo.getSignature(signature.caseId, signature.id))?.withdrawnAt) {
    throw conflict(
      'signature-withdrawn',
      `the signature this Idempotency-Key made (${signature.id}) has since been withdrawn: to sign again, send the request with a new Idempotency-Key`,
      { signature: signature.id },
    );
  }
  return { signature, location: stored.headers.location ?? '', replayed: true };
}

async function addSignature(
  deps: CaseDeps,
  repo: CaseRepository,
  { head, hasher }: SignedState,
  { partner, body, idempotencyKey, requestHash }: SignRequestInHand,
): Promise<{ outcome: SignOutcome; state: SignedState; signatory: Signatory }> {
  const { record } = head;
  const caseId = record.file.id;
  if (record.file.status === 'submitted') throw conflict('case-submitted', 'the case has been submitted: signatures can no longer be added');
  if (record.file.status === 'approved') {
    throw conflict(
      'case-approved',
      "the case is approved and its PDF frozen with the signatories it names, which is what will be submitted: signatures are taken again if the legal team reopens the case",
    );
  }
  const { category, name } = signerOf(partner);
  const unprintable = deps.unprintableName(name);
  if (unprintable.length) {
    const characters = unprintable.map(codePointLabel);
    throw new CaseError(
      'unprocessable',
      'unprintable-name',
      `the dossier's fonts cannot show ${characters.join(', ')} in "${name}": a signature in this name would stop every PDF of the case; ask the service's operator for a token that writes the name in a script the dossier prints, such as Latin`,
      { characters },
    );
  }
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
  const after = hasher.append(signatory);
  const changed = await appendChange(
    deps,
    repo,
    head,
    partner,
    'signature.add',
    {
      // The signatory is in `after.hash`; the group adds it to the case's list once, after the last (signTogether).
      file: record.file,
      result: undefined,
      content: false,
      detail: { signature: created.id, signer: name, category },
    },
    { afterHash: after.hash, saveCase: false },
  );
  await repo.storeResponse(partner.tokenId, idempotencyKey, { requestHash, status: 201, body: JSON.stringify(signature), headers: { location } }, created.createdAt);
  return { outcome: { signature, location, replayed: false }, state: { head: changed.head, hasher: after }, signatory };
}

/**
 * Withdraws a signature: it leaves the list and the annex; its record stays, and
 * the audit log says who withdrew it. An organisation that withdraws from an
 * approved case must not be submitted in its frozen PDF, so the withdrawal is a
 * change of what reviewers approved: the case goes back to review, at a new revision.
 */
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
      content: record.file.status === 'approved',
      detail: { signature: signatureId, signer: name, category },
    });
  });
}
