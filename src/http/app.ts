import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { findActiveToken } from '../store/token-store.ts';
import type { AppDeps } from './app-deps.ts';
import { authPlugin } from './plugins/auth.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { clientErrorHandler, frameworkErrors } from './framework-errors.ts';
import { useStrictJsonBodies } from './json-body.ts';
import { lingerOnEarlyAnswers } from './lingering-close.ts';
import { API_SECURITY_HEADERS, pageSecurityHeaders, useSecurityHeaders } from './security-headers.ts';
import { casesRoutes } from './routes/cases.ts';
import { dossierRoutes } from './routes/dossier.ts';
import { evidenceRoutes } from './routes/evidence.ts';
import { sayMissingValuesAreRequired } from '../shared/zod-messages.ts';
import { answeredMediaTypes } from './openapi-media.ts';
import { reviewsRoutes } from './routes/reviews.ts';
import { serviceRoutes } from './routes/service.ts';
import { signaturesRoutes } from './routes/signatures.ts';
import { suggestionsRoutes } from './routes/suggestions.ts';
import { webPages } from '../web/plugin.ts';

/** Trusts the nearest `n` proxies (Fastify's own number form, which its types leave out). */
const hops = (n: number) => (_address: string, hop: number) => hop < n;

/** Builds the whole service as one Fastify instance; the server file only starts it, tests call `inject`. */
export async function buildApp(deps: AppDeps, options: { logger?: FastifyServerOptions['logger'] } = {}): Promise<FastifyInstance> {
  sayMissingValuesAreRequired();
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: deps.config.BODY_LIMIT,
    // Unknown fields are refused by the schemas; prototype keys in bodies are refused by the JSON parser.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    // Refusals before routing (a URL that does not decode, a request that is not HTTP) are problem+json too.
    frameworkErrors,
    clientErrorHandler,
    // Behind a load balancer, the client's address comes from the proxies named by TRUST_PROXY.
    trustProxy: typeof deps.config.TRUST_PROXY === 'number' ? hops(deps.config.TRUST_PROXY) : (deps.config.TRUST_PROXY ?? false),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);
  // Bodies are JSON; without this, a text/plain body would reach validation as a string instead of a clear 415.
  app.removeContentTypeParser('text/plain');
  // JSON bodies must be UTF-8 text: invalid bytes, NUL and unpaired surrogates are refused, never stored altered.
  useStrictJsonBodies(app);
  // A refusal sent while an upload is still arriving reaches the client instead of a connection reset.
  lingerOnEarlyAnswers(app);

  await app.register(errorsPlugin);
  // Answers are JSON or PDF, and carry the API's security headers; the HTML contexts (/docs, /app) set helmet's instead.
  useSecurityHeaders(app, API_SECURITY_HEADERS);
  await app.register(authPlugin, { findToken: (token) => findActiveToken(deps.db, token), failuresPerMinute: deps.config.AUTH_FAILURES_PER_MINUTE });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Sanctions dossier builder',
        version: '0.1.0',
        description: 'Listing proposals under the EU Global Human Rights Sanctions Regime: cases, sources, anchored excerpts, coalition signatures, reviews and PDF dossiers. Errors are RFC 9457 problem+json.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a token from `npm run token -- create`' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => ('openapiObject' in document ? answeredMediaTypes(document.openapiObject) : document.swaggerObject),
  });
  const pageHeaders = await pageSecurityHeaders();
  await app.register(async (docs) => {
    useSecurityHeaders(docs, pageHeaders);
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(serviceRoutes);
  await app.register(casesRoutes);
  await app.register(evidenceRoutes);
  await app.register(signaturesRoutes);
  await app.register(reviewsRoutes);
  await app.register(dossierRoutes);
  await app.register(suggestionsRoutes);
  // The web pages under /app: their own cookies, sessions, CSRF checks and HTML errors, encapsulated from the API.
  await app.register(webPages);
  await app.ready();
  return app;
}
