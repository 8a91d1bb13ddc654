import { formatProblems } from '../shared/problems.ts';
import { loadProject } from './load-project.ts';
import { parseCommandLine, runCli } from './run.ts';

const USAGE = 'usage: npm run check -- [--case nso-group] [--sources DIR] [--evidence DIR]';

/** Checks a case file and its sources without rendering anything. */
await runCli(async () => {
  const { values } = parseCommandLine({ options: { case: { type: 'string', default: 'nso-group' }, sources: { type: 'string' }, evidence: { type: 'string' } } }, USAGE);
  const { file, warnings } = await loadProject(values.case, values);
  if (warnings.length) process.stderr.write(`warning: ${warnings.length} warning(s)\n${formatProblems(warnings)}\n`);
  process.stdout.write(`case ${file.id}: ${file.excerpts.length} excerpts, ${file.signatories.length} signatories, all quotes verified\n`);
});
