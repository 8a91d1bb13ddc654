import fc from 'fast-check';

/** Hostile input, as fast-check arbitraries: what partners' scripts and attackers send. */

const chars = (codes: number[]) => fc.constantFrom(...codes.map((c) => String.fromCharCode(c)));

/** C0 and C1 controls, DEL, NUL, line and paragraph separators, zero-width and direction marks, BOM. */
export const controlChar = chars([0, 1, 7, 8, 9, 10, 11, 12, 13, 27, 31, 0x7f, 0x85, 0x9f, 0x2028, 0x2029, 0x200b, 0x200e, 0x202e, 0xfeff]);

/** Lone UTF-16 surrogates: not Unicode text, and not encodable as UTF-8. */
export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const ONE_MB = 1024 * 1024;

/** Strings of every kind: printable, any code point, control characters, lone surrogates, 1 MB, SQL and markup, traversal. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  // Text with controls, NUL and unpaired surrogates mixed in: what a broken client or an attacker sends.
  { weight: 3, arbitrary: fc.string({ unit: fc.oneof(controlChar, loneSurrogate, fc.string({ minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 20 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      'unpaired \ud800 surrogate',
      "'; DROP TABLE signatures; --",
      '" OR 1=1 --',
      '<script>alert(1)</script>',
      '{{constructor.constructor("return process")()}}',
      '${process.exit()}',
      '../../../../etc/passwd',
      '..\\..\\windows\\win.ini',
      '%2e%2e%2f%2e%2e%2f',
      'nso-group',
      'NSO-GROUP',
      'nso-group ',
      'javascript:alert(1)',
      'file:///etc/passwd',
      '1e308',
      'NaN',
      'null',
      'true',
      '__proto__',
      'constructor',
      '\u202eevil',
      'ﬁ Ⅻ ẞ',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(ONE_MB), 'é'.repeat(ONE_MB / 2), 'a'.repeat(201), 'a'.repeat(2001), 'a'.repeat(20_001)) },
);

/** Numbers no schema expects: huge, tiny, negative, fractional, unsafe integers. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324, Number.MAX_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Keys that may reach an object's prototype, or shadow its methods. */
export const dangerousKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__');

/** An object with an own, enumerable key whatever its name: JSON.stringify then writes "__proto__" as it is. */
export function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/** Any JSON-like value, built from hostile leaves, with dangerous keys now and then. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), dangerousKey), tie('value'), { maxKeys: 4 }),
    fc.tuple(dangerousKey, tie('value')).map(([key, value]) => withKey({}, key, value)),
  ),
})).value;

/**
 * Ids for path segments: real ones (to reach the handlers), ids of the right
 * shape that do not exist, traversal in every spelling, encoded junk, 10 kB.
 * Each is already a valid URL path segment (percent-encoded where needed).
 */
export const hostileIdSegment = (real: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...real) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '..',
        '.',
        '..%2f',
        '..%2F..%2Fpackage.json',
        '%2e%2e%2f',
        '%2e%2e',
        '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
        '....%2f%2f',
        '..%5c..%5c',
        '%252e%252e%252f',
        '%c0%ae%c0%ae%2f',
        '%00',
        'nso-group%00',
        '%ff%fe',
        '%e9',
        '%',
        '%zz',
        'sig_0000000000000000',
        'sig_ffffffffffffffff',
        'ex-does-not-exist',
        'no-such-case',
        '0',
        '-1',
        '99999999999999999999999',
        '1e3',
        '0x10',
        '__proto__',
        'constructor',
        'prototype',
        'x'.repeat(10_000),
      ),
    },
    { weight: 3, arbitrary: hostileString.filter((s) => s.length < 5000 && s.isWellFormed()).map((s) => encodeURIComponent(s) || '%20') },
  );

/** A query string: known and unknown keys, repeated keys, hostile values. */
export const hostileQuery = (known: string[]): fc.Arbitrary<string> =>
  fc
    .array(
      fc.tuple(fc.oneof(fc.constantFrom(...known, '__proto__', 'constructor', 'limit'), fc.string({ maxLength: 8 })), fc.oneof(fc.constantFrom('en', 'fr', 'de', 'art1.1.d.iv', 'joint-letter-nso-2021', ''), hostileString.filter((s) => s.length < 2000 && s.isWellFormed()))),
      { maxLength: 4 },
    )
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : ''));

/** Content types a JSON route may be sent. */
export const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/json-patch+json',
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json, text/plain',
  '',
  undefined,
);

/** Bodies as bytes: JSON of hostile values, broken JSON, invalid UTF-8, binary. */
export const hostileBody: fc.Arbitrary<string | Buffer | undefined> = fc.oneof(
  { weight: 4, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":', '[1,]', "{'a':1}", '{"a":1}{"b":2}', 'undefined', 'NaN', '{"a":1e999999}', '{"a":' + '9'.repeat(500) + '}', '\ufeff{}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":"\u0000"}', '{"a":"\\ud800"}', '[' .repeat(5000) + ']'.repeat(5000)) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: invalidUtf8Json() },
);

/** JSON whose string contains bytes that are not UTF-8 (Latin-1 é, a lone continuation byte, an overlong slash, a truncated sequence). */
export function invalidUtf8Json(): fc.Arbitrary<Buffer> {
  return fc.constantFrom([0xe9], [0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xff, 0xfe], [0xed, 0xa0, 0x80]).map((bad) =>
    Buffer.concat([Buffer.from('{"text":"caf'), Buffer.from(bad), Buffer.from('"}')]),
  );
}
