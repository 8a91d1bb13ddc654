import { ConfigError, loadConfig } from './config.ts';
import { buildApp } from './http/app.ts';
import { openService, seedCase } from './service-deps.ts';
import { isPostgresUrl } from './store/dialect.ts';

/** Starts the service: configuration, database, first-start import, then listen until a signal. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const deps = await openService(config);
  const app = await buildApp(deps, {
    logger: { level: config.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers.cookie'] },
  });
  if (await seedCase(deps, config.SEED_CASE)) app.log.info({ case: config.SEED_CASE }, 'imported the case from evidence/ on first start');

  const close = async (signal: string) => {
    app.log.info({ signal }, 'closing');
    await app.close();
    await deps.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));

  const address = await app.listen({ port: config.PORT, host: config.HOST });
  app.log.info(`Web pages: ${address}/app (sign in with a token from "npm run token -- create")`);
  app.log.info(`API docs: ${address}/docs (OpenAPI at ${address}/openapi.json)`);
  app.log.info(`NSO Group draft dossier: ${address}/cases/${config.SEED_CASE}/dossier.pdf (editor or reviewer token)`);
  app.log.info({ database: isPostgresUrl(config.DATABASE_URL) ? 'postgresql' : 'sqlite', renderWorkers: deps.dossiers.pool.threads, pdfCache: config.PDF_CACHE_ENTRIES === 0 ? 'off' : (config.PDF_CACHE_DIR ?? 'database') }, 'serving');
}

main().catch((error: unknown) => {
  process.stderr.write(`could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
