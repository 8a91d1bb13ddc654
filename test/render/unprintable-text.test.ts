import t from 'tap';
import { UnprintableText } from '../../src/render/unprintable-text.ts';

t.test('the refusal names each character by code point and the words it is in', async (t) => {
  const refusal = UnprintableText.of(['北', '京'], '北京');
  t.same(refusal.unprintable, { characters: ['U+5317 北', 'U+4EAC 京'], text: '北京' });
  t.equal(refusal.message, 'the dossier\'s fonts cannot show U+5317 北, U+4EAC 京 in "北京"');
});

t.test('a long text is cut between characters as a reader sees them, never inside a surrogate pair', async (t) => {
  const text = '𠀀'.repeat(100);
  const { unprintable } = UnprintableText.of(['𠀀'], text);
  t.equal(unprintable.characters[0], 'U+20000 𠀀', 'a code point beyond the BMP, in full');
  t.equal(unprintable.text, `${'𠀀'.repeat(77)}…`);
  t.notMatch(unprintable.text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''), /[\uD800-\uDFFF]/, 'no lone surrogate');
  t.equal(UnprintableText.of(['𠀀'], '𠀀'.repeat(80)).unprintable.text, '𠀀'.repeat(80), '80 characters are shown whole');
});
