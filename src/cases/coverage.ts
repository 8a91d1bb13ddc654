import type { Catalogue } from '../criteria/catalogue.ts';
import type { CriterionId } from '../criteria/schema.ts';
import type { CaseFile } from '../evidence/case-file.ts';
import { independentSources, type SourceEntry } from '../sources/manifest.ts';

export interface CriterionCoverage {
  criterion: CriterionId;
  kind: string;
  excerpts: string[];
  /** Independent sources among the excerpts' (independentSources: a shared publisher makes two sources one). */
  independentSources: number;
}

export interface Gap {
  code: 'no-excerpt' | 'no-threshold-evidence' | 'no-involvement-evidence';
  criterion: CriterionId;
  message: string;
}

export interface Coverage {
  claimed: CriterionCoverage[];
  thresholds: CriterionCoverage[];
  involvement: CriterionCoverage;
  gaps: Gap[];
}

/** For each claimed criterion, the evidence behind it and what is still missing. */
export function coverageOf(file: CaseFile, catalogue: Catalogue, sources: ReadonlyMap<string, SourceEntry>): Coverage {
  const evidence = file.excerpts.filter((e) => !e.exculpatory);
  const of = (criterion: CriterionId): CriterionCoverage => {
    const excerpts = evidence.filter((e) => e.criteria.includes(criterion));
    return {
      criterion,
      kind: catalogue.get(criterion).kind,
      excerpts: excerpts.map((e) => e.id),
      independentSources: independentSources(excerpts.flatMap((e) => sources.get(e.source) ?? [])),
    };
  };
  const claimed = catalogue.sort(file.claims.criteria).map(of);
  const thresholds = catalogue.sort(file.claims.criteria.flatMap((id) => catalogue.get(id).requires)).map(of);
  const involvement = of(file.claims.involvement);
  const gaps: Gap[] = [
    ...claimed.filter((c) => !c.excerpts.length).map((c): Gap => ({ code: 'no-excerpt', criterion: c.criterion, message: `no excerpt supports the claimed criterion ${c.criterion}` })),
    ...thresholds.filter((c) => !c.excerpts.length).map((c): Gap => ({ code: 'no-threshold-evidence', criterion: c.criterion, message: `no excerpt shows the threshold ${c.criterion} that the claimed criteria require` })),
    ...(involvement.excerpts.length ? [] : [{ code: 'no-involvement-evidence' as const, criterion: involvement.criterion, message: `no excerpt links the target to the acts under ${involvement.criterion}` }]),
  ];
  return { claimed, thresholds, involvement, gaps };
}
