import t from 'tap';
import { RecentMap } from '../../src/shared/recent-map.ts';

t.test('keeps the entries set or read most recently, up to its limit', async (t) => {
  const map = new RecentMap<string, number>(2);
  map.set('a', 1);
  map.set('b', 2);
  t.equal(map.get('a'), 1, 'reading a makes it the most recent');
  map.set('c', 3);
  t.equal(map.get('b'), undefined, 'b, the least recent, is forgotten');
  t.equal(map.get('a'), 1);
  t.equal(map.get('c'), 3);
  t.equal(map.size, 2);
  map.set('c', 4);
  t.equal(map.get('c'), 4, 'setting a key again replaces its value');
  map.delete('c');
  t.equal(map.get('c'), undefined);
  t.equal(map.size, 1);
});
