import t from 'tap';
import { SEEDS_DIR } from '../../src/paths.ts';
import { loadSources } from '../../src/sources/load-sources.ts';
import { independentSources, type SourceEntry } from '../../src/sources/manifest.ts';

const entry = (id: string, organisation: string, more: Partial<SourceEntry> = {}): SourceEntry => ({
  id,
  file: `${id}.txt`,
  title: id,
  organisation,
  kind: 'report',
  date: '2021-01-01',
  language: 'en',
  sha256: '0'.repeat(64),
  ...more,
});

t.test('sources count as independent by who stands behind them', async (t) => {
  const a = entry('a', 'Org A');
  const aOffice = entry('a-office', 'Org A Luxembourg', { publisher: 'Org A' });
  const b = entry('b', 'Org B');
  const c = entry('c', 'Org C');
  const joint = entry('joint', 'Joint letter of many organisations', { co_publishers: ['Org A', 'Org B'] });
  t.equal(independentSources([]), 0);
  t.equal(independentSources([a, b, c]), 3, 'three publishers');
  t.equal(independentSources([a, aOffice]), 1, 'an office is its organisation');
  t.equal(independentSources([a, a]), 1, 'a source cited twice is one');
  t.equal(independentSources([joint, a]), 1, 'a joint letter is not independent of what its co-publisher published');
  t.equal(independentSources([joint, c]), 2, 'but is of a publisher that did not write it');
  t.equal(independentSources([a, b, joint]), 1, 'two publishers joined through the letter they both wrote are one voice');
  t.equal(independentSources([a, b, joint, c]), 2);
});

t.test('the joint letter on NSO Group counts as one voice with the Amnesty International reports', async (t) => {
  const sources = await loadSources(SEEDS_DIR);
  const entryOf = (id: string) => sources.get(id)!.entry;
  t.equal(independentSources([entryOf('joint-letter-nso-2021'), entryOf('ai-luxembourg-2022'), entryOf('ai-surveillance-briefing-fr')]), 1);
  t.equal(independentSources([entryOf('joint-letter-nso-2021'), entryOf('hrw-ayrault-china')]), 1, 'Human Rights Watch signed it too');
  t.equal(independentSources([entryOf('ai-french-presidency-2021'), entryOf('hrw-ayrault-china')]), 2);
});
