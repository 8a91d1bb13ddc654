import { stringify } from 'yaml';
import { loadCatalogue } from '../criteria/catalogue.ts';
import { ExcerptId } from '../evidence/case-file.ts';
import { anchorQuote } from '../evidence/selectors.ts';
import { SEEDS_DIR } from '../paths.ts';
import { loadSources } from '../sources/load-sources.ts';
import { parseCommandLine, runCli, UsageError } from './run.ts';

const USAGE = 'usage: npm run excerpt -- --source SOURCE_ID --id ex-NAME --quote "exact text" --note "what it shows" [--criteria id,id] [--sources DIR]';

/** Prints a case-file excerpt entry, with both selectors computed from the source, ready to paste. */
await runCli(async () => {
  const { values } = parseCommandLine({
    options: {
      source: { type: 'string' },
      id: { type: 'string' },
      quote: { type: 'string' },
      criteria: { type: 'string', default: '' },
      note: { type: 'string' },
      sources: { type: 'string', default: SEEDS_DIR },
    },
  }, USAGE);
  if (!values.source || !values.quote || !values.id || !values.note) throw new UsageError(USAGE);
  // The case file's own rule for ids, so that what is printed here is an entry `check` takes.
  const id = ExcerptId.safeParse(values.id);
  if (!id.success) throw new UsageError(`--id "${values.id}": ${id.error.issues[0]!.message}`);
  const catalogue = loadCatalogue();
  const criteria = values.criteria.split(',').map((c) => c.trim()).filter(Boolean);
  const unknown = criteria.filter((c) => !catalogue.has(c));
  if (unknown.length) throw new UsageError(`unknown criteria: ${unknown.join(', ')}`);
  const sources = await loadSources(values.sources);
  const source = sources.get(values.source);
  if (!source) throw new UsageError(`no source "${values.source}"; the manifest lists: ${[...sources.keys()].join(', ')}`);
  const result = anchorQuote(source, values.quote);
  if (!result.ok) throw new UsageError(result.problem.message);
  const entry = {
    id: values.id,
    source: source.id,
    sha256: source.entry.sha256,
    ...result.anchor,
    criteria,
    note: values.note,
  };
  process.stdout.write(stringify([entry], { lineWidth: 0 }));
});
