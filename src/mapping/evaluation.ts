import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CRITERION_IDS, CriterionId } from '../criteria/schema.ts';
import { codePointLength } from '../shared/code-points.ts';
import { ProblemsError, zodProblems, type Problem } from '../shared/problems.ts';
import { mapText } from './map-text.ts';
import { MappingLanguage } from './schema.ts';

/**
 * One labelled passage of a development document (JSON Lines, one per line).
 * A document is its passages in order: each starts a new paragraph, or goes on
 * the previous one's (`continues`, joined with a space), so that list items and
 * paragraphs of several sentences keep their shape.
 */
export const LabelledPassage = z.strictObject({
  doc: z.string().min(1),
  lang: MappingLanguage,
  text: z.string().min(1),
  criteria: z.array(CriterionId),
  continues: z.boolean().optional(),
});
export type LabelledPassage = z.infer<typeof LabelledPassage>;

/** Reads a JSON Lines file of labelled passages; every bad line is reported at once. */
export function readLabelled(path: string): LabelledPassage[] {
  const problems: Problem[] = [];
  const passages: LabelledPassage[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (error) {
        problems.push({ code: 'invalid_json', path: `line ${i + 1}`, message: (error as Error).message });
        return;
      }
      const parsed = LabelledPassage.safeParse(raw);
      if (parsed.success) passages.push(parsed.data);
      else problems.push(...zodProblems(parsed.error, `line ${i + 1}`));
    });
  if (problems.length) throw new ProblemsError(`labelled passages ${path}`, problems);
  return passages;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Scores extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

export interface PassageOutcome {
  doc: string;
  text: string;
  expected: CriterionId[];
  predicted: CriterionId[];
}

export interface Evaluation {
  documents: number;
  passages: number;
  /** Documents whose detected language differs from their label. */
  languageErrors: string[];
  perCriterion: Record<CriterionId, Scores>;
  micro: Scores;
  outcomes: PassageOutcome[];
}

export function scores({ tp, fp, fn }: Counts): Scores {
  const precision = tp + fp ? tp / (tp + fp) : tp + fn ? 0 : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { tp, fp, fn, precision, recall, f1 };
}

/**
 * Rebuilds each document from its passages, maps it as a user would (language
 * detected), and gives each labelled passage the criteria of the suggested
 * passages that overlap it. Counts are per passage and criterion.
 */
export function evaluate(labelled: LabelledPassage[]): Evaluation {
  const byDoc = new Map<string, LabelledPassage[]>();
  for (const passage of labelled) byDoc.set(passage.doc, [...(byDoc.get(passage.doc) ?? []), passage]);

  const counts = new Map<CriterionId, Counts>(CRITERION_IDS.map((id) => [id, { tp: 0, fp: 0, fn: 0 }]));
  const outcomes: PassageOutcome[] = [];
  const languageErrors: string[] = [];
  for (const [doc, passages] of byDoc) {
    let text = '';
    let offset = 0;
    const ranges: { start: number; end: number }[] = [];
    passages.forEach((passage, i) => {
      const separator = i === 0 ? '' : passage.continues ? ' ' : '\n\n';
      text += separator + passage.text;
      offset += separator.length;
      const length = codePointLength(passage.text);
      ranges.push({ start: offset, end: offset + length });
      offset += length;
    });
    const result = mapText(text);
    if (result.source.language !== passages[0]!.lang) languageErrors.push(doc);
    passages.forEach((passage, i) => {
      const { start, end } = ranges[i]!;
      const predicted = new Set<CriterionId>();
      for (const p of result.passages) if (p.start < end && start < p.end) for (const c of p.criteria) predicted.add(c);
      const expected = new Set(passage.criteria);
      for (const id of CRITERION_IDS) {
        const c = counts.get(id)!;
        if (predicted.has(id) && expected.has(id)) c.tp++;
        else if (predicted.has(id)) c.fp++;
        else if (expected.has(id)) c.fn++;
      }
      outcomes.push({ doc, text: passage.text, expected: [...expected], predicted: CRITERION_IDS.filter((id) => predicted.has(id)) });
    });
  }
  const total: Counts = { tp: 0, fp: 0, fn: 0 };
  const perCriterion = {} as Record<CriterionId, Scores>;
  for (const [id, c] of counts) {
    perCriterion[id] = scores(c);
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
  }
  return { documents: byDoc.size, passages: labelled.length, languageErrors, perCriterion, micro: scores(total), outcomes };
}
