import { z } from 'zod';
import { CriterionId } from '../criteria/schema.ts';
import { SourceEntry } from '../sources/manifest.ts';

/**
 * `evidence.json`, the file carried inside every dossier PDF: enough to re-check
 * every quote against its source offline, years later. Excerpts are W3C Web
 * Annotations (JSON-LD) whose target is the source's SHA-256.
 */
export const EVIDENCE_FORMAT = 'https://sanctions-dossier.eu/ns/evidence/v1';

export const WebAnnotation = z.object({
  '@context': z.literal('http://www.w3.org/ns/anno.jsonld'),
  id: z.string(),
  type: z.literal('Annotation'),
  motivation: z.literal('classifying'),
  body: z.array(
    z.object({
      type: z.literal('TextualBody'),
      purpose: z.enum(['classifying', 'commenting', 'assessing']),
      value: z.string(),
    }),
  ),
  target: z.object({
    source: z.string().regex(/^urn:sha256:[0-9a-f]{64}$/),
    sourceId: z.string(),
    selector: z.tuple([
      z.object({ type: z.literal('TextQuoteSelector'), exact: z.string(), prefix: z.string(), suffix: z.string() }),
      z.object({ type: z.literal('TextPositionSelector'), start: z.int().nonnegative(), end: z.int().positive() }),
    ]),
  }),
});
export type WebAnnotation = z.infer<typeof WebAnnotation>;

export const EvidencePackage = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  case: z.string(),
  date: z.iso.date(),
  target: z.object({ name: z.string(), names: z.array(z.string()), aliases: z.array(z.string()) }),
  claims: z.object({ criteria: z.array(CriterionId), involvement: CriterionId }),
  excerpts: z.array(WebAnnotation),
  sources: z.array(SourceEntry),
  signatures: z.array(z.object({ name: z.string(), category: z.enum(['organisation', 'expert']), affiliation: z.string().optional() })),
});
export type EvidencePackage = z.infer<typeof EvidencePackage>;
