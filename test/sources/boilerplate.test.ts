import t from 'tap';
import { findBoilerplate } from '../../src/sources/boilerplate.ts';

t.test('navigation, donation footers and taxonomy labels are boilerplate', async (t) => {
  const text = 'Skip to main content\n\nRéal text here.\nYour tax deductible gift can help stop human rights violations and save lives around the world.\n\nRégion/Pays\nRegion / Country';
  const ranges = findBoilerplate(text);
  const cps = [...text];
  t.same(ranges.map((r) => cps.slice(r.start, r.end).join('')), [
    'Skip to main content',
    'Your tax deductible gift can help stop human rights violations and save lives around the world.',
    'Région/Pays',
    'Region / Country',
  ]);
});

t.test('a sentence that merely mentions such words is not boilerplate', async (t) => {
  t.same(findBoilerplate('We skip to main content of the report.\nRegion / Country of origin is Israel.'), []);
});
