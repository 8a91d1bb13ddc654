import fc from 'fast-check';
import t from 'tap';
import { startService } from '../helpers/app.ts';
import { contractBreach, databaseFingerprint, holds } from './support/answers.ts';
import { rawRequest, sendAllThenRead, upload } from './support/raw-http.ts';

/**
 * What only a real socket carries: duplicated headers, control bytes in a
 * header, Content-Length and Transfer-Encoding at odds, and large uploads that
 * must be refused while they are still arriving.
 */

const CASE = 'nso-group';
const MB = 1024 * 1024;

t.test('over a real socket', async (t) => {
  const svc = await startService(t, { AUTH_FAILURES_PER_MINUTE: '10000', RENDER_WORKERS: '1' });
  await svc.app.listen({ port: 0, host: '127.0.0.1' });
  const address = svc.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const db = svc.deps.db;
  const { editor, partner } = svc.tokens;

  await t.test('duplicated and malformed headers are answered with success or a 4xx problem, and a refusal changes nothing', async (t) => {
    const body = JSON.stringify({ signatory: { name: 'Jane Doe', role: 'Director' } });
    /** Header lines a request may carry twice (or more), each with the values a confused client or proxy sends. */
    const header = fc.oneof(
      fc.constantFrom(`Authorization: Bearer ${partner}`, `Authorization: Bearer ${editor}`, 'Authorization: Bearer dsr_unknown', 'Authorization: Basic YTpi'),
      fc.constantFrom('Content-Type: application/json', 'Content-Type: text/plain', 'Content-Type: application/json; charset=utf-16', 'Content-Type:'),
      fc.constantFrom(`Content-Length: ${Buffer.byteLength(body)}`, `Content-Length: ${Buffer.byteLength(body) + 5}`, 'Content-Length: 0', 'Content-Length: -1', 'Content-Length: 1e3', 'Content-Length: 99999999999999999999'),
      fc.constantFrom('Transfer-Encoding: chunked', 'Transfer-Encoding: gzip, chunked', 'Transfer-Encoding: identity'),
      fc.constantFrom('Idempotency-Key: dup-a', 'Idempotency-Key: dup-b', 'Idempotency-Key: ', 'If-None-Match: *', 'Host: evil.example', 'X-Forwarded-For: 10.0.0.1'),
      fc.constantFrom('X-Bad: \u0000nul', 'X-Bad: a\rb', 'X-Bad: \u001b[31m', 'Bad Name: x', ': empty name', 'X-Long: ' + 'x'.repeat(20_000), 'X-Latin1: caf\u00e9'),
    );
    const request = fc.record({
      target: fc.constantFrom(`POST /cases/${CASE}/signatures`, `PATCH /cases/${CASE}`, `GET /cases/${CASE}/signatures`, 'POST /sources'),
      headers: fc.array(header, { minLength: 1, maxLength: 8 }),
      withBody: fc.boolean(),
    });
    await holds(t, 'raw requests with repeated and broken header lines', 0x5eed_0200, 120, request, async (r) => {
      const head = [`${r.target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...r.headers].join('\r\n');
      const before = await databaseFingerprint(db);
      const res = await rawRequest(port, Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), r.withBody ? Buffer.from(body) : Buffer.alloc(0)]));
      const what = `${JSON.stringify(head.slice(0, 600))}: ${res.statusCode}`;
      if (res.statusCode === 0) throw new Error(`${what}: the connection closed without an answer: ${res.body.slice(0, 200)}`);
      const breach = contractBreach(res);
      if (breach) throw new Error(`${what}: ${breach}`);
      if (res.statusCode >= 400 && (await databaseFingerprint(db)) !== before) throw new Error(`${what}: refused but the database changed`);
    });
  });

  await t.test('a header repeated with two values: the first Authorization counts, two Idempotency-Keys are one invalid key', async (t) => {
    const body = JSON.stringify({ signatory: { name: 'Jane Doe', role: 'Director' } });
    const head = [`POST /cases/${CASE}/signatures HTTP/1.1`, 'Host: x', 'Connection: close', `Authorization: Bearer ${partner}`, 'Content-Type: application/json', `Content-Length: ${body.length}`, 'Idempotency-Key: first', 'Idempotency-Key: second'].join('\r\n');
    const res = await rawRequest(port, Buffer.from(`${head}\r\n\r\n${body}`));
    t.equal(res.statusCode, 422, 'the joined key "first, second" is not a key');
    t.match(res.body, /idempotency-key/);
    const twoTokens = [`PATCH /cases/${CASE} HTTP/1.1`, 'Host: x', 'Connection: close', `Authorization: Bearer ${partner}`, `Authorization: Bearer ${editor}`, 'Content-Type: application/json', 'Content-Length: 15', '', '{"title":"New"}'].join('\r\n');
    const patched = await rawRequest(port, Buffer.from(twoTokens));
    t.equal(patched.statusCode, 403, "a partner's token followed by an editor's does not make an editor");
    const smuggled = [`POST /cases/${CASE}/signatures HTTP/1.1`, 'Host: x', `Authorization: Bearer ${partner}`, 'Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked', '', '0', '', ''].join('\r\n');
    const refused = await rawRequest(port, Buffer.from(smuggled));
    t.equal(refused.statusCode, 400, 'Content-Length with Transfer-Encoding is refused');
    t.equal(contractBreach(refused), undefined, 'as problem+json');
  });

  await t.test('a source upload of 50 MB is refused before it has all arrived', async (t) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const rssBefore = process.memoryUsage().rss;
    const before = await databaseFingerprint(db);
    const declared = await upload({
      port,
      head: ['POST /sources HTTP/1.1', 'Host: x', `Authorization: Bearer ${editor}`, 'Content-Type: application/json', `Content-Length: ${50 * MB}`].join('\r\n'),
      total: 50 * MB,
      chunk,
    });
    t.equal(declared.statusCode, 413, 'a declared 50 MB: 413');
    t.equal(contractBreach(declared), undefined, 'as problem+json');
    t.ok(declared.sentBeforeAnswer < 50 * MB, `answered after ${(declared.sentBeforeAnswer / MB).toFixed(1)} MB of 50 were sent`);

    const streamed = await upload({
      port,
      head: ['POST /sources HTTP/1.1', 'Host: x', `Authorization: Bearer ${editor}`, 'Content-Type: application/json', 'Transfer-Encoding: chunked'].join('\r\n'),
      total: 50 * MB,
      chunk,
      chunked: true,
    });
    t.equal(streamed.statusCode, 413, 'a streamed 50 MB without a length: 413 once the limit is passed');
    t.equal(contractBreach(streamed), undefined, 'as problem+json');
    t.ok(streamed.sentBeforeAnswer < 50 * MB, `answered after ${(streamed.sentBeforeAnswer / MB).toFixed(1)} MB of 50 were sent`);

    const binary = Buffer.alloc(64 * 1024);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) & 0xff;
    const octets = await upload({
      port,
      head: ['POST /sources HTTP/1.1', 'Host: x', `Authorization: Bearer ${editor}`, 'Content-Type: application/octet-stream', `Content-Length: ${50 * MB}`].join('\r\n'),
      total: 50 * MB,
      chunk: binary,
    });
    t.equal(octets.statusCode, 415, 'binary data declared as such: 415');
    t.equal(contractBreach(octets), undefined, 'as problem+json');
    t.ok(octets.sentBeforeAnswer < 50 * MB, `answered after ${(octets.sentBeforeAnswer / MB).toFixed(1)} MB of 50 were sent`);

    const anonymous = await upload({ port, head: ['POST /sources HTTP/1.1', 'Host: x', 'Content-Type: application/json', `Content-Length: ${50 * MB}`].join('\r\n'), total: 50 * MB, chunk });
    t.equal(anonymous.statusCode, 401, 'without a token: 401 before the body');
    t.ok(anonymous.sentBeforeAnswer < 50 * MB, `answered after ${(anonymous.sentBeforeAnswer / MB).toFixed(1)} MB of 50 were sent`);

    const small = await upload({
      port,
      head: ['POST /sources HTTP/1.1', 'Host: x', `Authorization: Bearer ${editor}`, 'Content-Type: application/json', `Content-Length: ${binary.length}`].join('\r\n'),
      total: binary.length,
      chunk: binary,
    });
    t.ok([400, 422].includes(small.statusCode), `64 kB of binary sent as JSON: ${small.statusCode}`);
    t.equal(contractBreach(small), undefined, 'as problem+json');

    // A client that sends its whole body before reading (as curl and most scripts do) must still read the refusal:
    // closing at once with its bytes unread would answer them with a reset, and the 413 would be lost.
    for (const framing of [`Content-Length: ${20 * MB}`, 'Transfer-Encoding: chunked']) {
      const chunked = framing.startsWith('Transfer');
      const piece = chunked ? Buffer.from(`${(MB).toString(16)}\r\n${'a'.repeat(MB)}\r\n`) : Buffer.alloc(MB, 'a');
      const whole = await sendAllThenRead({
        port,
        head: ['POST /sources HTTP/1.1', 'Host: x', `Authorization: Bearer ${editor}`, 'Content-Type: application/json', framing].join('\r\n'),
        total: 20 * piece.length,
        chunk: piece,
      });
      t.equal(whole.statusCode, 413, `20 MB sent in full (${framing.split(':')[0]}) before reading: the 413 is read, not a reset${whole.error ? ` (${whole.error})` : ''}`);
      t.equal(contractBreach(whole), undefined, 'as problem+json');
    }

    t.equal(await databaseFingerprint(db), before, 'nothing was stored');
    t.comment(`resident memory grew by ${((process.memoryUsage().rss - rssBefore) / MB).toFixed(1)} MB over these uploads (service and client share this process)`);
  });
});
