import { stringify } from 'yaml';
import { toFollowTheMoney, toJsonLines } from '../evidence/ftm.ts';
import { loadProject } from './load-project.ts';
import { parseCommandLine, runCli, UsageError } from './run.ts';

const FORMATS = ['ftm', 'case'] as const;
const USAGE = `usage: npm run --silent export -- [--case nso-group] [--format ${FORMATS.join('|')}] [--sources DIR] [--evidence DIR]`;

/** Writes a case to standard output: FollowTheMoney entities (one JSON per line) or the case file itself. */
await runCli(async () => {
  const { values } = parseCommandLine(
    { options: { case: { type: 'string', default: 'nso-group' }, format: { type: 'string', default: 'ftm' }, sources: { type: 'string' }, evidence: { type: 'string' } } },
    USAGE,
  );
  if (!FORMATS.includes(values.format as never)) throw new UsageError(`--format "${values.format}" is not known: use ${FORMATS.join(' or ')}`);
  const project = await loadProject(values.case, values);
  process.stdout.write(values.format === 'ftm' ? toJsonLines(toFollowTheMoney(project.file, project.catalogue)) : stringify(project.file, { lineWidth: 0 }));
});
