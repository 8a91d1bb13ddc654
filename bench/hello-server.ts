import Fastify from 'fastify';

/**
 * The baseline of the API benchmark: a bare Fastify route returning a constant
 * JSON, in a process of its own, logging at the level the service is given.
 */
const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
