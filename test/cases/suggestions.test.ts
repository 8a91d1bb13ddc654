import t from 'tap';
import type { CaseDeps } from '../../src/cases/context.ts';
import type { UnitOfWork } from '../../src/cases/repository.ts';
import { acceptSuggestion, suggest } from '../../src/cases/suggestions.ts';
import { startService } from '../helpers/app.ts';

const SOURCE = 'ai-luxembourg-2022';
const editor = { tokenId: 'tok_editor', label: 'editor:test' };

/**
 * A unit of work that lets `callers` requests through in lockstep: the n-th
 * transaction of each starts only once every caller has asked for its n-th.
 * Two requests that each read, then write, both read before either writes:
 * the interleaving a race needs, every time.
 */
function lockstep(uow: UnitOfWork, callers: number): UnitOfWork {
  let calls = 0;
  const rounds: { arrived: number; open: Promise<void>; release: () => void }[] = [];
  const round = (n: number) => {
    if (!rounds[n]) {
      let release!: () => void;
      rounds[n] = { arrived: 0, open: new Promise<void>((resolve) => (release = resolve)), release };
    }
    return rounds[n];
  };
  return {
    readOnce: (work) => uow.readOnce(work),
    async transaction(work) {
      const gate = round(Math.floor(calls++ / callers));
      if (++gate.arrived === callers) gate.release();
      await gate.open;
      return uow.transaction(work);
    },
  };
}

t.test('two editors accepting one passage at once make one excerpt; the other is told which', async (t) => {
  const { deps } = await startService(t);
  const [pick] = (await suggest(deps.cases, SOURCE, { case: 'nso-group' })).suggestions;
  t.ok(pick, 'the source has a suggestion');
  const racing: CaseDeps = { ...deps.cases, uow: lockstep(deps.cases.uow, 2) };
  const ids = ['ex-first-editor', 'ex-second-editor'];
  const answers = await Promise.allSettled(ids.map((id) => acceptSuggestion(racing, editor, SOURCE, pick!.id, { case: 'nso-group', id, exculpatory: false })));
  const accepted = answers.filter((a) => a.status === 'fulfilled');
  const refused = answers.filter((a) => a.status === 'rejected');
  t.equal(accepted.length, 1, 'one accept makes the excerpt');
  t.equal(refused.length, 1, 'the other is refused');
  const winner = (accepted[0] as PromiseFulfilledResult<{ id: string }>).value.id;
  t.match((refused[0] as PromiseRejectedResult).reason, { code: 'suggestion-excerpted', extra: { excerpt: winner } }, 'the refusal names the excerpt that was made');
  const { suggestions } = await suggest(deps.cases, SOURCE, { case: 'nso-group' });
  t.notOk(suggestions.some((s) => s.id === pick!.id), 'the passage is no longer suggested');
  const audit = (await deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'excerpt.create').execute()).map((row) => JSON.parse(row.detail));
  t.same(audit.filter((d) => d.suggestion === pick!.id).map((d) => d.excerpt), [winner], 'one excerpt of the passage is in the audit log');
});

t.test("a source is mapped once for its text and language, not at every page and click; another language maps again", async (t) => {
  const svc = await startService(t);
  const first = await suggest(svc.deps.cases, SOURCE, { case: 'nso-group' });
  const again = await suggest(svc.deps.cases, SOURCE, { case: 'nso-group' });
  t.ok(first.suggestions.length > 0);
  t.equal(again.suggestions[0], first.suggestions[0], 'the same suggestions, not mapped anew');
  const english = await suggest(svc.deps.cases, SOURCE, { case: 'nso-group', lang: 'en' });
  t.equal(english.source.language, 'en');
  t.not(english.suggestions[0], first.suggestions[0], 'a mapping in another language is its own');
});
