import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { buildDossierPdf } from '../render/dossier-pdf.ts';
import { z } from 'zod';
import { DOSSIER_LANGUAGES } from '../render/text/dossier-text.ts';
import { formatProblems } from '../shared/problems.ts';
import { dossierInputOf, loadProject } from './load-project.ts';
import { parseCommandLine, runCli, UsageError } from './run.ts';

const USAGE = 'usage: npm run dossier -- [--case nso-group] [--out out/nso-group.pdf] [--lang en] [--date YYYY-MM-DD] [--sources DIR] [--evidence DIR]';

const WRITE_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOSPC: 'no space left on the device',
};

/** The moment the dossier speaks for: --date, else SOURCE_DATE_EPOCH (reproducible builds), else now. */
function dossierMoment(date: string | undefined): Date {
  if (date !== undefined) {
    // zod's ISO date knows the calendar: Date.parse would take 2026-02-31 for 3 March.
    if (!z.iso.date().safeParse(date).success) throw new UsageError(`--date "${date}" is not a day of the calendar written YYYY-MM-DD`);
    return new Date(`${date}T00:00:00Z`);
  }
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined) {
    if (!/^\d+$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH "${epoch}" is not a number of seconds`);
    return new Date(Number(epoch) * 1000);
  }
  return new Date();
}

await runCli(async () => {
  const { values } = parseCommandLine({
    options: {
      case: { type: 'string', default: 'nso-group' },
      out: { type: 'string' },
      lang: { type: 'string', default: 'en' },
      date: { type: 'string' },
      sources: { type: 'string' },
      evidence: { type: 'string' },
    },
  }, USAGE);
  const lang = z.enum(DOSSIER_LANGUAGES).safeParse(values.lang);
  if (!lang.success) throw new UsageError(`--lang "${values.lang}" is not supported: use ${DOSSIER_LANGUAGES.join(' or ')}`);
  const at = dossierMoment(values.date);
  const out = resolve(values.out ?? `out/${values.case}.pdf`);

  const project = await loadProject(values.case, values);
  if (project.warnings.length) process.stderr.write(`warning: ${project.warnings.length} warning(s)\n${formatProblems(project.warnings)}\n`);
  const { model, pdf } = await buildDossierPdf(dossierInputOf(project, lang.data, at));

  // Written beside the target and renamed into place, so that a failure never leaves a partial PDF.
  const partial = `${out}.${process.pid}.partial`;
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(partial, pdf);
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`cannot write ${out}: ${WRITE_ERRORS[code] ?? (error as Error).message}`);
  }
  const signatories = model.signatories.organisation.length + model.signatories.expert.length;
  process.stdout.write(`wrote ${out} (${Math.round(pdf.length / 1024)} KiB): ${model.target.name}, ${model.claimed.length} criteria claimed, ${project.file.excerpts.length} excerpts, ${signatories} signatories\n`);
});
