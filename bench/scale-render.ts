import { dossierInputOf, loadProject } from '../src/cli/load-project.ts';
import { buildDossierPdf } from '../src/render/dossier-pdf.ts';

/**
 * One size of the scale benchmark, in a process of its own so that its peak
 * memory is the render's: loads the generated case as the CLI does (every
 * source hashed, every quote checked), renders it `runs` times after one
 * untimed render (case → model → PDF bytes), and prints one line of JSON.
 * Arguments: sources folder, evidence folder, case id, runs.
 */
const [sources, evidence, caseId, runs] = process.argv.slice(2) as [string, string, string, string];
const project = await loadProject(caseId, { sources, evidence });
const input = dossierInputOf(project, 'en', new Date('2026-11-23T00:00:00Z'));
// What the process holds before rendering: Node, the code, the sources and the case.
const loadedRssMb = process.resourceUsage().maxRSS / 1024;
let bytes = 0;
const renderMs: number[] = [];
for (let i = 0; i <= Number(runs); i++) {
  const start = performance.now();
  const { pdf } = await buildDossierPdf(input);
  if (i > 0) renderMs.push(performance.now() - start);
  bytes = pdf.length;
}
const signatories = project.file.signatories.length;
process.stdout.write(
  `${JSON.stringify({ renderMs, loadedRssMb, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes, excerpts: project.file.excerpts.length, sources: project.sources.size, signatories })}\n`,
);
