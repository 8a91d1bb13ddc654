import t from 'tap';
import { bindingProblems, cleanName, generateToken, hashToken, principalLabel, Role } from '../../src/auth/tokens.ts';

t.test('a generated token is recognisable, long and never the same twice', async (t) => {
  const a = generateToken();
  const b = generateToken();
  t.match(a, /^dsr_[A-Za-z0-9_-]{43}$/, '32 bytes in base64url after the prefix');
  t.not(a, b);
});

t.test('the hash is the SHA-256 hex of the token', async (t) => {
  t.match(hashToken('dsr_example'), /^[0-9a-f]{64}$/);
  t.equal(hashToken('dsr_example'), 'c98c24e34b2ba31b3ebf0b8910c8fd6ea12d659ed232520f01e8149f28c59f97');
  t.equal(hashToken(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  t.not(hashToken('dsr_a'), hashToken('dsr_b'));
});

t.test('the roles are editor, reviewer and partner', async (t) => {
  t.same(Role.options, ['editor', 'reviewer', 'partner']);
  t.notOk(Role.safeParse('admin').success);
});

t.test('a label names the partner, or the person a staff token names, or else its id; never the secret', async (t) => {
  t.equal(principalLabel({ tokenId: 'tok_ab12', role: 'partner', organisation: 'Access Now' }), 'partner:Access Now');
  t.equal(principalLabel({ tokenId: 'tok_ab12', role: 'partner', person: 'Jane Expert' }), 'partner:Jane Expert');
  t.equal(principalLabel({ tokenId: 'tok_ab12', role: 'editor' }), 'editor:tok_ab12');
  t.equal(principalLabel({ tokenId: 'tok_cd34', role: 'reviewer' }), 'reviewer:tok_cd34');
  t.equal(principalLabel({ tokenId: 'tok_cd34', role: 'reviewer', person: 'Jane Doe' }), 'reviewer:Jane Doe');
  t.equal(principalLabel({ tokenId: 'tok_ab12', role: 'partner', organisation: 'Evil\nINFO forged line' }), 'partner:Evil INFO forged line', 'one line');
});

t.test('role and binding must fit together', async (t) => {
  t.same(bindingProblems({ role: 'editor' }), []);
  t.same(bindingProblems({ role: 'reviewer' }), []);
  t.same(bindingProblems({ role: 'reviewer', person: 'Jane Doe' }), [], 'a staff token may name who holds it');
  t.same(bindingProblems({ role: 'partner', organisation: 'Access Now' }), []);
  t.same(bindingProblems({ role: 'partner', person: 'Jane Expert' }), []);
  t.match(bindingProblems({ role: 'partner' }), [{ path: 'organisation', message: /organisation or a person/ }]);
  t.match(bindingProblems({ role: 'partner', organisation: '  ' }), [{ path: 'organisation' }], 'a blank name is no name');
  t.match(bindingProblems({ role: 'partner', organisation: 'A', person: 'B' }), [{ path: 'person', message: /not both/ }]);
  t.same(bindingProblems({ role: 'editor', organisation: 'A', person: 'B' }).map((p) => p.path), ['organisation'], 'never an organisation');
  t.match(bindingProblems({ role: 'admin' }), [{ path: 'role', message: /editor, reviewer, partner/ }]);
});

t.test('a name is kept as it looks: invisible characters dropped, spaces and line breaks one space', async (t) => {
  t.equal(cleanName('  Jane\u200b Doe \n'), 'Jane Doe', 'a zero-width space and a line break');
  t.equal(cleanName('Jane\u00a0\u00a0Doe'), 'Jane Doe', 'no-break spaces');
  t.equal(cleanName('\u202eJane Doe'), 'Jane Doe', 'a direction override');
  t.equal(cleanName('Zoe\u0301'), 'Zoé', 'one form of an accented letter (NFC)');
  t.equal(cleanName(' \u0007 '), undefined, 'nothing left is no name');
  t.equal(cleanName(undefined), undefined);
});

t.test('a name needs a letter or a digit, and may not pass for a token id', async (t) => {
  t.match(bindingProblems({ role: 'reviewer', person: '\u0007-' }), [{ path: 'person', code: 'invalid_name', message: /letter or a digit/ }]);
  t.match(bindingProblems({ role: 'partner', organisation: '***' }), [{ path: 'organisation', code: 'invalid_name' }]);
  t.match(bindingProblems({ role: 'reviewer', person: 'tok_0123456789ab' }), [{ path: 'person', message: 'is a token id, not a name' }]);
  t.same(bindingProblems({ role: 'reviewer', person: 'Ng 8' }), [], 'a digit will do');
  t.same(bindingProblems({ role: 'partner', person: '李明' }), [], 'letters of any script');
});
