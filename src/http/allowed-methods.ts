import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { FastifyInstance } from 'fastify';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The methods the service answers at a path, so that a wrong method gets 405
 * with an Allow header rather than 404. Fastify's router says only "not found";
 * this second router, made from the same routes with the same matcher, says
 * which methods exist at a path.
 */
export function trackAllowedMethods(app: FastifyInstance): (path: string) => string[] {
  const routes = FindMyWay();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat().map((m) => m.toUpperCase() as HTTPMethod)) {
      // Fastify adds HEAD for every GET; a route given twice is already known.
      if (!routes.hasRoute(method, route.url)) routes.on(method, route.url, () => undefined);
    }
  });
  return (path) => METHODS.filter((method) => routes.find(method, path) !== null);
}
