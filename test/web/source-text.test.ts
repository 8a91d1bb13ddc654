import t from 'tap';
import { sourcePieces } from '../../src/web/source-text.ts';

t.test('the text is cut into plain, quoted and suggested pieces that put it back together exactly', async (t) => {
  const text = 'One. Two three. Four five six. Seven.';
  const { pieces, apart } = sourcePieces(text, [{ id: 'ex-a', start: 5, end: 15 }], [{ id: 'sug_1', start: 16, end: 30 }]);
  t.same(apart, []);
  t.same(pieces, [
    { kind: 'text', text: 'One. ' },
    { kind: 'excerpt', text: 'Two three.', excerpts: ['ex-a'], starts: ['ex-a'], current: false },
    { kind: 'text', text: ' ' },
    { kind: 'suggestion', text: 'Four five six.', suggestion: 'sug_1' },
    { kind: 'text', text: ' Seven.' },
  ]);
  t.equal(pieces.map((p) => p.text).join(''), text);
});

t.test('overlapping excerpts: one piece per stretch, naming every excerpt on it, anchored where each starts', async (t) => {
  const text = 'abcdefghij';
  const { pieces } = sourcePieces(text, [{ id: 'ex-1', start: 1, end: 6 }, { id: 'ex-2', start: 4, end: 9 }], [], 'ex-2');
  t.same(pieces, [
    { kind: 'text', text: 'a' },
    { kind: 'excerpt', text: 'bcd', excerpts: ['ex-1'], starts: ['ex-1'], current: false },
    { kind: 'excerpt', text: 'ef', excerpts: ['ex-1', 'ex-2'], starts: ['ex-2'], current: true },
    { kind: 'excerpt', text: 'ghi', excerpts: ['ex-2'], starts: [], current: true },
    { kind: 'text', text: 'j' },
  ]);
});

t.test('offsets count code points, as the selectors do', async (t) => {
  const text = 'Le 🇫🇷 rapport: « surveillance ».';
  const start = [...text].indexOf('«');
  const { pieces } = sourcePieces(text, [{ id: 'ex-q', start, end: start + 16 }], []);
  t.equal(pieces[1]!.text, '« surveillance »');
  t.equal(pieces.map((p) => p.text).join(''), text);
});

t.test('a suggestion that overlaps an excerpt or another suggestion is set apart, never drawn twice', async (t) => {
  const text = 'aaaa bbbb cccc dddd';
  const { pieces, apart } = sourcePieces(
    text,
    [{ id: 'ex-1', start: 0, end: 4 }],
    [{ id: 'sug_over-excerpt', start: 2, end: 9 }, { id: 'sug_ok', start: 10, end: 14 }, { id: 'sug_over-other', start: 12, end: 19 }, { id: 'sug_empty', start: 5, end: 5 }],
  );
  t.same(apart.sort(), ['sug_empty', 'sug_over-excerpt', 'sug_over-other']);
  t.same(pieces.filter((p) => p.kind === 'suggestion').map((p) => p.text), ['cccc']);
  t.equal(pieces.map((p) => p.text).join(''), text);
});

t.test('spans outside the text are clipped to it', async (t) => {
  const { pieces } = sourcePieces('short', [{ id: 'ex-1', start: 3, end: 99 }], []);
  t.same(pieces.map((p) => p.text), ['sho', 'rt']);
});
