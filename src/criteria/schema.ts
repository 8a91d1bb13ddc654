import { z } from 'zod';

export const Bilingual = z.strictObject({ en: z.string().min(1), fr: z.string().min(1) });
export type Bilingual = z.infer<typeof Bilingual>;
export const VerifiedFlags = z.strictObject({ en: z.boolean(), fr: z.boolean() });

export const CRITERION_IDS = [
  'art1.1.a', 'art1.1.b',
  'art1.1.c.i', 'art1.1.c.ii', 'art1.1.c.iii', 'art1.1.c.iv', 'art1.1.c.v',
  'art1.1.d.i', 'art1.1.d.ii', 'art1.1.d.iii', 'art1.1.d.iv', 'art1.1.d.v',
  'art1.1.d.other', 'art1.1.d.threshold',
  'art3.1.a', 'art3.1.b', 'art3.1.c',
  'corroboration',
] as const;
export const CriterionId = z.enum(CRITERION_IDS);
export type CriterionId = z.infer<typeof CriterionId>;

/**
 * What role a criterion plays in a listing: a violation the target is linked to,
 * the threshold a violation must reach, the target's involvement (Art. 3(1)), or
 * corroboration by other authorities.
 */
export const CriterionKind = z.enum(['violation', 'threshold', 'involvement', 'corroboration']);
export type CriterionKind = z.infer<typeof CriterionKind>;

export const Act = z.strictObject({
  id: z.string().min(1),
  short: Bilingual,
  title: Bilingual,
  eli: z.url(),
  celex: z.string().regex(/^3\d{4}[DR]\d{4}$/),
  oj: Bilingual,
  amended_by: z.array(z.string()).default([]),
});
export type Act = z.infer<typeof Act>;

export const Group = z.strictObject({
  id: z.string().min(1),
  act: z.string().min(1),
  citation: Bilingual,
  text: Bilingual,
  verified: VerifiedFlags,
  note: z.string().optional(),
});
export type Group = z.infer<typeof Group>;

const CriterionFields = {
  id: CriterionId,
  citation: Bilingual,
  label: Bilingual,
  requires: z.array(CriterionId).default([]),
};

/** A provision of the act: quoted text, with its verification flag per language. */
export const LegalCriterion = z.strictObject({
  ...CriterionFields,
  kind: z.enum(['violation', 'threshold', 'involvement']),
  group: z.string().min(1),
  text: Bilingual,
  verified: VerifiedFlags,
});
/** An element of a proposal that is not a provision (corroboration): described, not quoted. */
export const DescriptiveCriterion = z.strictObject({ ...CriterionFields, kind: z.literal('corroboration'), description: Bilingual });
export const Criterion = z.discriminatedUnion('kind', [LegalCriterion, DescriptiveCriterion]);
export type LegalCriterion = z.infer<typeof LegalCriterion>;
export type Criterion = z.infer<typeof Criterion>;

export const CatalogueFile = z.strictObject({
  acts: z.array(Act).min(1),
  groups: z.array(Group),
  criteria: z.array(Criterion),
});
export type CatalogueFile = z.infer<typeof CatalogueFile>;

export function isLegal(criterion: Criterion): criterion is LegalCriterion {
  return 'text' in criterion;
}
