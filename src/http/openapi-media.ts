/**
 * The OpenAPI document as the service answers, not as the schemas' JSON would
 * have it: @fastify/swagger writes every response as application/json, while
 * refusals are RFC 9457 application/problem+json and some answers are not JSON
 * at all (a route declares those with a schema described by its media type,
 * such as `z.any().describe('application/pdf')`). Every route that takes a
 * token may also be refused 429 by the failed-attempt limit, and every route
 * with a path parameter 422 when the parameter is not well-formed (each is a
 * zod schema, and a failed schema is 422 validation-failed).
 */
type Schema = { description?: string; required?: string[]; [key: string]: unknown };
type Response = { description?: string; content?: Record<string, { schema?: Schema }> };
type Operation = { security?: unknown[]; responses?: Record<string, Response> };
type Document = { paths?: Record<string, Record<string, Operation>> };

const MEDIA_TYPE = /^(application|text)\/[\w.+-]+$/;
const PROBLEM_MEMBERS = ['type', 'title', 'status', 'detail'];

const isProblem = (schema: Schema | undefined) => PROBLEM_MEMBERS.every((member) => schema?.required?.includes(member));

function mediaOf(response: Response): Response {
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return response;
  if (isProblem(schema)) return { ...response, content: { 'application/problem+json': { schema } } };
  const media = schema.description;
  if (media && MEDIA_TYPE.test(media) && media !== 'application/json') {
    return { ...response, content: { [media]: { schema: media === 'application/pdf' ? { type: 'string', format: 'binary' } : { type: 'string' } } } };
  }
  return response;
}

export function answeredMediaTypes<T>(document: T): T {
  const doc = document as Document;
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const responses = operation.responses;
      if (!responses) continue;
      for (const [status, response] of Object.entries(responses)) responses[status] = mediaOf(response);
      const refusal = responses['401']?.content?.['application/problem+json'];
      const problem = refusal ?? responses['404']?.content?.['application/problem+json'];
      if (operation.security?.length && refusal && !responses['429']) {
        responses['429'] = { description: 'Too many failed token checks from this address', content: { 'application/problem+json': refusal } };
      }
      if (path.includes('{') && problem && !responses['422']) {
        responses['422'] = { description: 'A path parameter that is not well-formed', content: { 'application/problem+json': problem } };
      }
    }
  }
  return document;
}
