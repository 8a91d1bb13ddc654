import type { CaseDeps } from './cases/context.ts';
import { getCase } from './cases/cases.ts';
import { importCase } from './cases/import-export.ts';
import { CaseError } from './cases/errors.ts';
import { loadProject } from './cli/load-project.ts';
import type { Config } from './config.ts';
import { loadCatalogue } from './criteria/catalogue.ts';
import type { AppDeps } from './http/app-deps.ts';
import { buildDossierPdf } from './render/dossier-pdf.ts';
import { unitOfWork } from './store/case-repository.ts';
import { openDatabase } from './store/database.ts';

/** The composition root: database, store, catalogue and renderer wired into the case rules. */
export async function openService(config: Config, now: () => Date = () => new Date()): Promise<AppDeps> {
  const db = await openDatabase({ dataDir: config.DATA_DIR, databaseUrl: config.DATABASE_URL });
  const catalogue = loadCatalogue();
  const cases: CaseDeps = {
    uow: unitOfWork(db),
    catalogue,
    now,
    approvalsRequired: config.REVIEW_APPROVALS,
    renderVersion: async (file, sources, at) => (await buildDossierPdf({ file, catalogue, sources, lang: file.language, at })).pdf,
  };
  return { config, db, cases };
}

/** Imports a case from evidence/ unless the database already has it: what the first start does. */
export async function seedCase(deps: AppDeps, caseId: string): Promise<boolean> {
  const exists = await getCase(deps.cases, caseId).then(() => true, (e: unknown) => {
    if (e instanceof CaseError && e.kind === 'not_found') return false;
    throw e;
  });
  if (exists) return false;
  const project = await loadProject(caseId);
  await importCase(deps.cases, { tokenId: 'system', label: 'system:import' }, project.file, project.sources.values());
  return true;
}
