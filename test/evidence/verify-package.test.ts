import t from 'tap';
import { dossierInputOf, loadProject } from '../../src/cli/load-project.ts';
import { assembleDossier } from '../../src/dossier/assemble.ts';
import type { EvidencePackage } from '../../src/dossier/evidence-package.ts';
import { verifyPackage, type FoundSource } from '../../src/evidence/verify-package.ts';

const project = await loadProject('nso-group');
const pkg = assembleDossier({ ...dossierInputOf(project, 'en', new Date('2026-11-23')), date: '2026-11-23' }).evidence;
const found: FoundSource[] = [...project.sources.values()].map((s) => ({ id: s.entry.id, file: s.entry.file, sha256: s.entry.sha256, text: s.text }));

/** The package with its first annotation's selectors replaced. */
function withFirst(quote: { exact: string; prefix: string; suffix: string }, position: { start: number; end: number }): EvidencePackage {
  const [first, ...rest] = pkg.excerpts as [EvidencePackage['excerpts'][number], ...EvidencePackage['excerpts']];
  const selector: typeof first.target.selector = [{ ...first.target.selector[0], ...quote }, { ...first.target.selector[1], ...position }];
  return { ...pkg, excerpts: [{ ...first, target: { ...first.target, selector } }, ...rest] };
}

t.test('the package the service builds verifies, every quote', async (t) => {
  t.ok(verifyPackage(pkg, found).every((c) => c.ok));
});

t.test('a quote is verified only where its position spans exactly its characters, inside the text', async (t) => {
  const first = pkg.excerpts[0]!;
  const [quote, position] = first.target.selector;
  const text = found.find((f) => `urn:sha256:${f.sha256}` === first.target.source)!.text;
  const length = [...text].length;

  const empty = verifyPackage(withFirst({ exact: '', prefix: '', suffix: '' }, { start: 10, end: 10 }), found)[0]!;
  t.notOk(empty.ok, 'an empty quote matches nowhere');

  const longer = verifyPackage(withFirst(quote, { start: position.start, end: position.end + 5 }), found)[0]!;
  t.notOk(longer.ok, 'a position longer than the quote');
  t.match(longer.message, /does not span/);

  const tail = [...text].slice(-12).join('');
  const atEnd = verifyPackage(withFirst({ exact: tail, prefix: [...text].slice(-20, -12).join(''), suffix: '' }, { start: length - 12, end: length }), found)[0]!;
  t.ok(atEnd.ok, `the source's last characters, where they are (${atEnd.message})`);
  const pastEnd = verifyPackage(withFirst({ exact: tail, prefix: [...text].slice(-20, -12).join(''), suffix: '' }, { start: length - 12, end: length + 100 }), found)[0]!;
  t.notOk(pastEnd.ok, 'the same quote with an end past the text');
});
