import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ProblemsError, zodProblems, type Problem } from '../shared/problems.ts';
import { CatalogueFile, CRITERION_IDS, type Act, type Criterion, type CriterionId, type CriterionKind, type Group } from './schema.ts';

export const CATALOGUE_PATH = fileURLToPath(new URL('./catalogue.yaml', import.meta.url));

/** The legal catalogue, with every cross reference resolved at load. */
export class Catalogue {
  private readonly byId: Map<string, Criterion>;
  private readonly groupsById: Map<string, Group>;
  private readonly actsById: Map<string, Act>;

  constructor(readonly file: CatalogueFile) {
    this.byId = new Map(file.criteria.map((c) => [c.id, c]));
    this.groupsById = new Map(file.groups.map((g) => [g.id, g]));
    this.actsById = new Map(file.acts.map((a) => [a.id, a]));
  }

  get criteria(): readonly Criterion[] {
    return this.file.criteria;
  }

  get acts(): readonly Act[] {
    return this.file.acts;
  }

  has(id: string): id is CriterionId {
    return this.byId.has(id);
  }

  get(id: CriterionId): Criterion {
    const criterion = this.byId.get(id);
    if (!criterion) throw new Error(`unknown criterion ${id}`);
    return criterion;
  }

  group(id: string): Group {
    const group = this.groupsById.get(id);
    if (!group) throw new Error(`unknown criteria group ${id}`);
    return group;
  }

  act(id: string): Act {
    const act = this.actsById.get(id);
    if (!act) throw new Error(`unknown act ${id}`);
    return act;
  }

  ofKind(kind: CriterionKind): Criterion[] {
    return this.file.criteria.filter((c) => c.kind === kind);
  }

  /** Catalogue order, which is the order of the act. */
  sort(ids: Iterable<CriterionId>): CriterionId[] {
    const wanted = new Set(ids);
    return this.file.criteria.map((c) => c.id).filter((id) => wanted.has(id));
  }
}

export function parseCatalogue(raw: unknown): Catalogue {
  const parsed = CatalogueFile.safeParse(raw);
  if (!parsed.success) throw new ProblemsError('criteria catalogue', zodProblems(parsed.error));
  const file = parsed.data;
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const groups = new Set(file.groups.map((g) => g.id));
  const acts = new Set(file.acts.map((a) => a.id));
  const kinds = new Map(file.criteria.map((c) => [c.id, c.kind]));

  file.groups.forEach((group, i) => {
    if (!acts.has(group.act)) problems.push({ code: 'unknown_act', path: `groups[${i}].act`, message: `no act "${group.act}"` });
  });
  file.criteria.forEach((criterion, i) => {
    const path = `criteria[${i}]`;
    if (ids.has(criterion.id)) problems.push({ code: 'duplicate_id', path: `${path}.id`, message: `"${criterion.id}" appears twice` });
    ids.add(criterion.id);
    if ('group' in criterion && !groups.has(criterion.group)) {
      problems.push({ code: 'unknown_group', path: `${path}.group`, message: `no group "${criterion.group}"` });
    }
    criterion.requires.forEach((required, j) => {
      if (kinds.get(required) !== 'threshold') {
        problems.push({ code: 'bad_requirement', path: `${path}.requires[${j}]`, message: `"${required}" is not a threshold criterion of this catalogue` });
      }
    });
  });
  for (const id of CRITERION_IDS) {
    if (!ids.has(id)) problems.push({ code: 'missing_criterion', path: 'criteria', message: `criterion "${id}" is missing` });
  }
  if (problems.length) throw new ProblemsError('criteria catalogue', problems);
  return new Catalogue(file);
}

let shipped: Catalogue | undefined;

/** The catalogue shipped with the code, read and checked once. */
export function loadCatalogue(path = CATALOGUE_PATH): Catalogue {
  if (path !== CATALOGUE_PATH) return parseCatalogue(parse(readFileSync(path, 'utf8')));
  shipped ??= parseCatalogue(parse(readFileSync(path, 'utf8')));
  return shipped;
}
