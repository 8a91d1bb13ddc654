import type { CaseDeps } from './cases/context.ts';
import { getCase } from './cases/cases.ts';
import { importCase } from './cases/import-export.ts';
import { CaseError } from './cases/errors.ts';
import { loadProject } from './cli/load-project.ts';
import { databaseSettings, type Config } from './config.ts';
import { loadCatalogue } from './criteria/catalogue.ts';
import type { AppDeps } from './http/app-deps.ts';
import { dossierModel } from './render/dossier-pdf.ts';
import { DossierPdfs, type PdfCache } from './render/pool/dossier-pdfs.ts';
import { createRenderPool } from './render/pool/render-pool.ts';
import { unprintableInSignatoryName } from './render/signatory-names.ts';
import { unitOfWork } from './store/case-repository.ts';
import { openDatabase, type Db } from './store/database.ts';
import { databasePdfCache, directoryPdfCache } from './store/pdf-cache.ts';

function pdfCache(config: Config, db: Db): PdfCache | undefined {
  if (config.PDF_CACHE_ENTRIES === 0) return undefined;
  return config.PDF_CACHE_DIR ? directoryPdfCache(config.PDF_CACHE_DIR, config.PDF_CACHE_ENTRIES) : databasePdfCache(db, config.PDF_CACHE_ENTRIES);
}

/**
 * The composition root: database, store, catalogue, render pool and PDF cache
 * wired into the case rules. Nothing in here is per-process state that another
 * instance would need to see: everything shared lives in the database.
 */
export async function openService(config: Config, now: () => Date = () => new Date()): Promise<AppDeps> {
  const db = await openDatabase(databaseSettings(config));
  const catalogue = loadCatalogue();
  const dossiers = new DossierPdfs(createRenderPool({ threads: config.RENDER_WORKERS, heapMb: config.RENDER_HEAP_MB, queue: config.RENDER_QUEUE }), pdfCache(config, db), now);
  const cases: CaseDeps = {
    uow: unitOfWork(db),
    catalogue,
    now,
    approvalsRequired: config.REVIEW_APPROVALS,
    // Frozen versions render in the pool too, so an approval does not stall the event loop.
    renderVersion: (file, sources, at) => dossiers.render(dossierModel({ file, catalogue, sources, lang: file.language, at }), at),
    unprintableName: unprintableInSignatoryName,
  };
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      try {
        await dossiers.close();
      } finally {
        await db.destroy();
      }
    })());
  return { config, db, cases, dossiers, close };
}

async function caseExists(deps: AppDeps, caseId: string): Promise<boolean> {
  return getCase(deps.cases, caseId).then(() => true, (e: unknown) => {
    if (e instanceof CaseError && e.kind === 'not_found') return false;
    throw e;
  });
}

/**
 * Imports a case from evidence/ unless the database already has it: what the
 * first start does. Instances starting together on one database may race; the
 * losers find the winner's import and leave it be.
 */
export async function seedCase(deps: AppDeps, caseId: string): Promise<boolean> {
  if (await caseExists(deps, caseId)) return false;
  const project = await loadProject(caseId);
  try {
    await importCase(deps.cases, { tokenId: 'system', label: 'system:import' }, project.file, project.sources.values());
    return true;
  } catch (error) {
    if (error instanceof CaseError && error.kind === 'conflict' && (await caseExists(deps, caseId))) return false;
    throw error;
  }
}
