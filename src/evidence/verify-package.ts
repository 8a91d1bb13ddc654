import type { EvidencePackage } from '../dossier/evidence-package.ts';
import { CodePointIndex } from '../shared/code-points.ts';

/** A source as found on disk for verification: its actual hash and text. */
export interface FoundSource {
  id?: string;
  file: string;
  sha256: string;
  text: string;
}

export interface QuoteCheck {
  excerpt: string;
  ok: boolean;
  message: string;
}

/**
 * Re-checks every quote of a dossier's evidence package against sources found
 * on disk, by hash: a source whose bytes changed no longer has the hash the
 * quote was taken from, and the quote is reported as unverifiable.
 */
export function verifyPackage(pkg: EvidencePackage, found: readonly FoundSource[]): QuoteCheck[] {
  const byHash = new Map(found.map((f) => [f.sha256, f]));
  const byId = new Map(found.filter((f) => f.id).map((f) => [f.id!, f]));
  const indexes = new Map<string, CodePointIndex>();
  return pkg.excerpts.map((annotation) => {
    const excerpt = annotation.id.replace(/^.*:excerpt:/, '');
    const sha256 = annotation.target.source.replace('urn:sha256:', '');
    const source = byHash.get(sha256);
    if (!source) {
      const same = byId.get(annotation.target.sourceId);
      const message = same
        ? `source ${annotation.target.sourceId} (${same.file}) has changed: the quote was taken from SHA-256 ${sha256}, the file now hashes to ${same.sha256}`
        : `no source with SHA-256 ${sha256} (${annotation.target.sourceId}) was found`;
      return { excerpt, ok: false, message };
    }
    let index = indexes.get(sha256);
    if (!index) indexes.set(sha256, (index = new CodePointIndex(source.text)));
    const [quote, position] = annotation.target.selector;
    // The position must name exactly the quote's code points inside the text: an empty quote would match anywhere.
    const at = index.at(position.start, position.end);
    if (!quote.exact || at === undefined || position.end - position.start !== [...quote.exact].length) {
      return { excerpt, ok: false, message: `the position ${position.start}-${position.end} does not span the quote's ${[...quote.exact].length} characters within the ${index.length} of ${source.file}` };
    }
    const before = index.slice(Math.max(0, position.start - [...quote.prefix].length), position.start);
    const after = index.slice(position.end, position.end + [...quote.suffix].length);
    if (at !== quote.exact) return { excerpt, ok: false, message: `expected "${quote.exact}" at ${position.start}-${position.end} of ${source.file}, found "${at}"` };
    if (before !== quote.prefix || after !== quote.suffix) return { excerpt, ok: false, message: `the quote is at ${position.start}-${position.end} of ${source.file} but its context differs` };
    return { excerpt, ok: true, message: `${source.file} ${position.start}-${position.end}` };
  });
}
