import t from 'tap';
import { newId } from '../../src/shared/ids.ts';

t.test('ids: the prefix and sixteen hex digits, never the same twice, past the end of many random pools', async (t) => {
  const ids = Array.from({ length: 20_000 }, () => newId('sig'));
  t.ok(ids.every((id) => /^sig_[0-9a-f]{16}$/.test(id)), 'every id has the form the routes accept');
  t.equal(new Set(ids).size, ids.length, 'no two alike');
  const digits = new Set(ids.flatMap((id) => [...id.slice(4)]));
  t.equal(digits.size, 16, 'every hex digit occurs');
});
