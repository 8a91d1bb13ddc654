import SQLite from 'better-sqlite3';
import t from 'tap';
import { ChangeMark } from '../../src/store/change-mark.ts';
import { withStatementCache } from '../../src/store/statement-cache.ts';

t.test('prepared statements are kept by their text; past the size the least recently run is dropped', async (t) => {
  const sqlite = new SQLite(':memory:');
  t.teardown(() => sqlite.close());
  const db = withStatementCache(sqlite, new ChangeMark(sqlite), 2);
  const a = db.prepare('select 1');
  const b = db.prepare('select 2');
  t.equal(db.prepare('select 1'), a, 'the same text, the same statement');
  db.prepare('select 3');
  t.equal(db.prepare('select 1'), a, 'the statement run last is kept');
  t.not(db.prepare('select 2'), b, 'the one run least recently was dropped and is prepared again');
});
