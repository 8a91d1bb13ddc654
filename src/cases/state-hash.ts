import { createHash, randomBytes, type Hash } from 'node:crypto';
import type { CaseFile, Signatory } from '../evidence/case-file.ts';
import { canonicalJson } from '../shared/canonical-json.ts';

/**
 * `stateHash(file)` of a case to which signatories are added one after another,
 * each hash in time proportional to the signatory added rather than to the
 * whole case: a batch of signatures hashes the case once, then only what each
 * signature adds. The canonical text of the case is the text around the
 * signatories, the signatories' canonical texts joined by commas, and the rest;
 * the SHA-256 of the part before the last signatory is kept and copied.
 * Immutable: `append` returns a new value, so a signature that is refused later
 * leaves the value it started from as it was.
 */
export class SignatoriesStateHash {
  private constructor(
    /** SHA-256 of everything up to and including the last signatory. */
    private readonly head: Hash,
    /** The canonical text after the signatories: `]` and the keys after them. */
    private readonly tail: string,
    private readonly count: number,
    /** The state hash of the case as it stands. */
    readonly hash: string,
  ) {}

  static of(file: CaseFile): SignatoriesStateHash {
    // A marker no value can contain, at the signatories' place in the canonical text.
    const marker = JSON.stringify(`\u0000${randomBytes(16).toString('hex')}`);
    const text = canonicalJson({ ...file, signatories: [JSON.parse(marker) as string] });
    const at = text.indexOf(marker);
    const head = createHash('sha256').update(text.slice(0, at)).update(file.signatories.map(canonicalJson).join(','));
    const tail = text.slice(at + marker.length);
    return new SignatoriesStateHash(head, tail, file.signatories.length, head.copy().update(tail).digest('hex'));
  }

  /** The state hash once `signatory` is added after the others. */
  append(signatory: Signatory): SignatoriesStateHash {
    const head = this.head.copy().update(this.count ? `,${canonicalJson(signatory)}` : canonicalJson(signatory));
    return new SignatoriesStateHash(head, this.tail, this.count + 1, head.copy().update(this.tail).digest('hex'));
  }
}
