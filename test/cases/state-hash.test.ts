import fc from 'fast-check';
import t from 'tap';
import { stateHash } from '../../src/cases/audit-chain.ts';
import { SignatoriesStateHash } from '../../src/cases/state-hash.ts';
import { loadProject } from '../../src/cli/load-project.ts';
import type { CaseFile, Signatory } from '../../src/evidence/case-file.ts';

const text = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' });
const signatory: fc.Arbitrary<Signatory> = fc.record(
  {
    name: text,
    category: fc.constantFrom('organisation' as const, 'expert' as const),
    affiliation: text,
    signed_by: fc.record({ name: text, role: text }),
    comment: text,
  },
  { requiredKeys: ['name', 'category'] },
);

t.test('SignatoriesStateHash gives the state hash of the case after each signatory added', async (t) => {
  const { file } = await loadProject('nso-group');
  const cases: CaseFile[] = [file, { ...file, signatories: [] }, { ...file, status: 'in_review', signatories: file.signatories.slice(0, 3) }];
  for (const start of cases) {
    fc.assert(
      fc.property(fc.array(signatory, { maxLength: 6 }), (added) => {
        let hash = SignatoriesStateHash.of(start);
        if (hash.hash !== stateHash(start)) return false;
        let current = start;
        for (const s of added) {
          const before = hash;
          hash = hash.append(s);
          current = { ...current, signatories: [...current.signatories, s] };
          if (hash.hash !== stateHash(current)) return false;
          if (before.hash === hash.hash) return false;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  }
  t.pass('equal to stateHash for every case and every series of signatories tried');
});

t.test('a value stays what it was when another is appended to it', async (t) => {
  const { file } = await loadProject('nso-group');
  const start = SignatoriesStateHash.of(file);
  const a = start.append({ name: 'A', category: 'organisation' });
  const b = start.append({ name: 'B', category: 'organisation' });
  t.equal(start.hash, stateHash(file));
  t.equal(a.hash, stateHash({ ...file, signatories: [...file.signatories, { name: 'A', category: 'organisation' }] }));
  t.equal(b.hash, stateHash({ ...file, signatories: [...file.signatories, { name: 'B', category: 'organisation' }] }));
});
