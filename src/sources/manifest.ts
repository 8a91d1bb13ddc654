import { z } from 'zod';

/** Where a source was published: an http(s) address, which the pages link to (never `javascript:` or `data:`). */
export const WebAddress = z.url({ protocol: /^https?$/, error: 'an http:// or https:// address' });

export const Language = z.enum(['en', 'fr']);
export type Language = z.infer<typeof Language>;

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lower-case hexadecimal digits');

export const SourceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,79}$/, 'a source id is 2-80 characters: lower-case letters, digits and hyphens');

/** One source document as the manifest describes it; its hash is its identity. */
export const SourceEntry = z
  .strictObject({
    id: SourceId,
    file: z.string().regex(/^[\w.-]+\.txt$/, 'a source file is a plain .txt name inside the sources folder'),
    title: z.string().min(1),
    organisation: z.string().min(1),
    /** The organisation behind the source when it differs in name (an office or section), for counting independent sources. */
    publisher: z.string().min(1).optional(),
    /**
     * Publishers of other sources who are also among this one's authors (the signatories of a joint
     * letter who publish reports of their own): it is not independent of what they published.
     */
    co_publishers: z.array(z.string().min(1)).min(1).optional(),
    kind: z.string().min(1),
    reference: z.string().min(1).optional(),
    date: z.iso.date().nullable(),
    date_note: z.string().min(1).optional(),
    language: Language,
    source_url: WebAddress.optional(),
    sha256: Sha256,
  })
  .refine((s) => s.date !== null || s.date_note !== undefined, {
    message: 'a source without a date needs a date_note saying what is known of its date',
    path: ['date_note'],
  });
export type SourceEntry = z.infer<typeof SourceEntry>;

/** Sources by the same publisher are not independent of each other. */
export const publisherOf = (entry: SourceEntry): string => entry.publisher ?? entry.organisation;

/**
 * How many independent sources `entries` are: sources with a publisher or a
 * co-publisher in common are one voice, and so are all the sources a chain of
 * such links joins.
 */
export function independentSources(entries: Iterable<SourceEntry>): number {
  const voices: Set<string>[] = [];
  for (const entry of new Map([...entries].map((e) => [e.id, e])).values()) {
    const publishers = [publisherOf(entry), ...(entry.co_publishers ?? [])];
    const joined = voices.filter((voice) => publishers.some((p) => voice.has(p)));
    for (const voice of joined) voices.splice(voices.indexOf(voice), 1);
    voices.push(new Set([...publishers, ...joined.flatMap((voice) => [...voice])]));
  }
  return voices.length;
}

export const Manifest = z.array(SourceEntry).superRefine((entries, ctx) => {
  const seen = new Map<string, number>();
  entries.forEach((entry, i) => {
    for (const key of ['id', 'file', 'sha256'] as const) {
      const mark = `${key}:${entry[key]}`;
      const first = seen.get(mark);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: [i, key], message: `duplicate ${key} "${entry[key]}" (also at [${first}])` });
      } else seen.set(mark, i);
    }
  });
});
export type Manifest = z.infer<typeof Manifest>;
