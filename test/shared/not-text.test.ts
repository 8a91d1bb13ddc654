import t from 'tap';
import { notTextProblems } from '../../src/shared/not-text.ts';

t.test('not-text problems stop at their limit, for field names too', async (t) => {
  const body = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`key\u0000${i}`, 'x']));
  const problems = notTextProblems(body, 'body', 20);
  t.equal(problems.length, 20);
  t.match(problems[0], { code: 'not_text', path: 'body', message: 'a field name is not text' });
});
