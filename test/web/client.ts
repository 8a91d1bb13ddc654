import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';

/** Text of an HTML page as a reader sees it: tags dropped, entities decoded, white space collapsed. */
export function pageText(html: string): string {
  return decode(html.replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

export function decode(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** An error answered as a page: its status, HTML, and each of `says` in the text a reader sees. Returns that text. */
export function assertErrorPage(t: Test, response: LightMyRequestResponse, status: number, ...says: Array<string | RegExp>): string {
  t.equal(response.statusCode, status, `answered ${status}`);
  t.match(response.headers['content-type'], /^text\/html/, 'as a page');
  const text = pageText(response.body);
  for (const words of says) t.match(text, words, `the page says ${String(words)}`);
  return text;
}

/** The CSRF token of the first form of a page (every form of a page carries the same). */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('the page has no form with a CSRF token');
  return decode(match[1]!);
}

/**
 * A browser's worth of state for `inject`: a cookie jar (cookies as the server
 * set them, sent back on every request) and the language it asks for. Enough
 * to walk through the pages as a user would, without a browser.
 */
export class PageClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly app: FastifyInstance,
    readonly acceptLanguage = 'en',
  ) {}

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const payload = form
      ? new URLSearchParams(Object.entries(form).flatMap(([k, v]): Array<[string, string]> => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]]))).toString()
      : undefined;
    const res = await this.app.inject({
      method,
      url,
      headers: {
        'accept-language': this.acceptLanguage,
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      ...(payload !== undefined ? { payload } : {}),
    });
    for (const cookie of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now()) || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return res;
  }

  get(url: string) {
    return this.request('GET', url);
  }

  /** Posts a form the way a browser does after loading `page`: with that page's CSRF token. */
  async submit(page: string, action: string, form: Record<string, string | string[]>) {
    const html = (await this.get(page)).body;
    return this.request('POST', action, { _csrf: csrfOf(html), ...form });
  }

  async signIn(token: string) {
    const res = await this.submit('/app/sign-in', '/app/sign-in', { token });
    if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode} ${pageText(res.body).slice(0, 300)}`);
    return res;
  }
}
