import t from 'tap';
import { loadConfig } from '../../src/config.ts';
import { startService, type TestService } from '../helpers/app.ts';

const guess = (svc: TestService, client: string) =>
  svc.app.inject({ method: 'GET', url: '/cases', headers: { authorization: 'Bearer dsr_not-a-real-token', 'x-forwarded-for': client }, remoteAddress: '10.0.0.2' });

t.test('TRUST_PROXY reads as none, any, a number of hops or a list of addresses', async (t) => {
  t.notOk('TRUST_PROXY' in loadConfig({}), 'unset: no proxy is believed');
  t.equal(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY, true);
  t.equal(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY, 1);
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' }).TRUST_PROXY, ['10.0.0.0/8', '192.0.2.1']);
});

t.test('behind a load balancer with TRUST_PROXY, failed authentications count per client, not per balancer', async (t) => {
  const svc = await startService(t, { AUTH_FAILURES_PER_MINUTE: '2', TRUST_PROXY: '1' });
  t.equal((await guess(svc, '198.51.100.7')).statusCode, 401);
  t.equal((await guess(svc, '198.51.100.7')).statusCode, 401);
  t.equal((await guess(svc, '198.51.100.7')).statusCode, 429, 'the guessing client is blocked');
  t.equal((await guess(svc, '198.51.100.8')).statusCode, 401, 'another client behind the same balancer is not');
});

t.test('without TRUST_PROXY, X-Forwarded-For is not believed: the balancer is the client', async (t) => {
  const svc = await startService(t, { AUTH_FAILURES_PER_MINUTE: '2' });
  t.equal((await guess(svc, '198.51.100.7')).statusCode, 401);
  t.equal((await guess(svc, '198.51.100.8')).statusCode, 401);
  t.equal((await guess(svc, '198.51.100.9')).statusCode, 429, 'a client cannot escape the limit by naming another address');
});
