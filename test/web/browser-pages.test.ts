import type { Browser, BrowserContext, Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { startService, type TestService } from '../helpers/app.ts';
import { axeViolations, chromiumMissing, launchBrowser, listen, screenshot } from '../helpers/browser.ts';

const skip = chromiumMissing();
const browser: Browser | undefined = skip ? undefined : await launchBrowser(t);
const LANGUAGES = ['en', 'fr'] as const;
type Lang = (typeof LANGUAGES)[number];

/** A profile for the accessibility pass: axe is added as an inline script, which the pages' policy forbids, so this context bypasses it. */
async function axeContext(t: Test, lang: Lang): Promise<BrowserContext> {
  const context = await browser!.newContext({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB', bypassCSP: true, viewport: { width: 1280, height: 900 } });
  t.teardown(() => context.close());
  return context;
}

async function signIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/app/sign-in`);
  await page.locator('#token').fill(token);
  await page.locator('form.stacked-form button[type="submit"]').click();
  await page.waitForURL(/\/app(\?|$)/);
}

/** Checks the page as it is now with axe, and saves its screenshot under `name`. */
async function check(t: Test, page: Page, name: string, expectedStatus?: number): Promise<void> {
  t.same(await axeViolations(page), [], `${name}: no serious or critical accessibility violation`);
  t.equal(await page.getAttribute('html', 'lang'), name.endsWith('-fr') ? 'fr' : 'en', `${name}: html lang`);
  await screenshot(page, name);
  if (expectedStatus) t.pass(`${name}: answered ${expectedStatus}`);
}

/** Opens `path` and checks it; the answer's status must be `status`. */
async function visit(t: Test, page: Page, base: string, path: string, name: string, status = 200): Promise<void> {
  const res = await page.goto(`${base}${path}`);
  t.equal(res?.status(), status, `${name}: ${path} answers ${status}`);
  await check(t, page, name);
}

let svc: TestService;
let base: string;

t.before(async () => {
  if (skip) return;
  svc = await startService(t);
  base = await listen(svc);
});

for (const lang of LANGUAGES) {
  t.test(`every page in ${lang === 'en' ? 'English' : 'French'}: no serious or critical axe violation, and a screenshot`, { skip }, async (t) => {
    const anonymous = await (await axeContext(t, lang)).newPage();
    await visit(t, anonymous, base, '/app/sign-in', `anonymous-sign-in-${lang}`);
    await anonymous.locator('#token').fill('dsr_not-a-token');
    await anonymous.locator('form.stacked-form button[type="submit"]').click();
    await check(t, anonymous, `anonymous-sign-in-error-${lang}`);
    await visit(t, anonymous, base, '/app/cases/nso-group/signatures', `anonymous-signatures-${lang}`);
    await visit(t, anonymous, base, '/app/no-such-page', `anonymous-not-found-${lang}`, 404);

    const editor = await (await axeContext(t, lang)).newPage();
    await signIn(editor, base, svc.tokens.editor);
    await visit(t, editor, base, '/app', `editor-cases-${lang}`);
    await visit(t, editor, base, '/app/cases/nso-group', `editor-case-${lang}`);
    await visit(t, editor, base, '/app/cases/nso-group/criteria/art1.1.d.iv', `editor-criterion-${lang}`);
    await visit(t, editor, base, '/app/cases/nso-group/criteria/art1.1.c.iv', `editor-criterion-exculpatory-${lang}`);
    await visit(t, editor, base, '/app/cases/nso-group/sources/ai-luxembourg-2022', `editor-source-suggestions-${lang}`);
    await visit(t, editor, base, '/app/cases/nso-group/sources/joint-letter-nso-2021?excerpt=ex-jl-pegasus-palestinian-hrds#ex-jl-pegasus-palestinian-hrds', `editor-source-in-context-${lang}`);
    await editor.goto(`${base}/app/cases/nso-group/sources/hrw-ayrault-china`);
    const suggestion = editor.locator('.suggestion').first();
    for (const box of await suggestion.locator('input[type="checkbox"]').all()) await box.uncheck();
    await suggestion.locator('textarea').fill('Kept after the error.');
    await suggestion.locator('form').first().locator('button[type="submit"]').click();
    await check(t, editor, `editor-source-accept-error-${lang}`);
    t.equal(await editor.locator('.suggestion textarea').first().inputValue(), 'Kept after the error.', 'the note is kept');
    await visit(t, editor, base, '/app/cases/nso-group/reviews', `editor-reviews-${lang}`);
    await visit(t, editor, base, '/app/cases/nso-group/signatures', `editor-signatures-${lang}`);

    const reviewer = await (await axeContext(t, lang)).newPage();
    await signIn(reviewer, base, svc.tokens.reviewer);
    await visit(t, reviewer, base, '/app/cases/nso-group/reviews', `reviewer-reviews-${lang}`);
    await reviewer.locator('button[value="comment"]').click();
    await check(t, reviewer, `reviewer-reviews-error-${lang}`);
    await visit(t, reviewer, base, '/app/cases/nso-group/sources/hrw-ayrault-china', `reviewer-source-${lang}`);

    const partner = await (await axeContext(t, lang)).newPage();
    await signIn(partner, base, lang === 'en' ? svc.tokens.partner : svc.tokens.expert);
    await visit(t, partner, base, '/app', `partner-cases-${lang}`);
    await visit(t, partner, base, '/app/cases/nso-group/signatures', `partner-signatures-${lang}`);
    await partner.locator('#signatory_role').fill('Director');
    await partner.locator('form.stacked-form button[type="submit"]').click();
    await check(t, partner, `partner-signatures-error-${lang}`);
    t.equal(await partner.locator('#signatory_role').inputValue(), 'Director', 'what was typed is kept');
    await partner.locator('#signatory_name').fill('Jane Doe');
    await partner.locator('form.stacked-form button[type="submit"]').click();
    await check(t, partner, `partner-signed-${lang}`);
    await visit(t, partner, base, '/app/cases/nso-group', `partner-forbidden-${lang}`, 403);
  });
}

t.test('a draft that cannot be made: the download link opens the page that says why, not a failed download', { skip }, async (t) => {
  const broken = await startService(t);
  const brokenBase = await listen(broken);
  const patched = await broken.app.inject({ method: 'PATCH', url: '/cases/nso-group', headers: broken.auth(broken.tokens.editor), payload: { submitted_by: ['Coalition 北京'] } });
  t.equal(patched.statusCode, 200);
  const context = await browser!.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await signIn(page, brokenBase, broken.tokens.reviewer);
  await page.goto(`${brokenBase}/app/cases/nso-group`);
  const [answer] = await Promise.all([page.waitForResponse(/\/draft\/en$/), page.getByRole('link', { name: 'Download the draft PDF in English' }).click()]);
  t.equal(answer.status(), 422);
  await page.waitForURL(/\/draft\/en$/);
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'The PDF cannot be made', 'the reader sees why');
  t.match(await page.locator('.detail').textContent(), 'U+5317 北, U+4EAC 京 in "北京"');
  await screenshot(page, 'reviewer-draft-unprintable-en');
});

t.test('keyboard: the skip link comes first, every stop shows its focus, and signing in needs no mouse', { skip }, async (t) => {
  const context = await browser!.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await page.goto(`${base}/app/sign-in`);
  await page.keyboard.press('Tab');
  const focused = () =>
    page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { activeElement: { tagName: string; id: string; textContent: string | null; getAttribute(n: string): string | null; getBoundingClientRect(): { top: number; height: number } } } }).document;
      const element = doc.activeElement;
      const style = (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(element);
      const box = element.getBoundingClientRect();
      return {
        tag: element.tagName.toLowerCase(),
        id: element.id,
        text: (element.textContent ?? '').trim().slice(0, 60),
        href: element.getAttribute('href'),
        visible: box.height > 0 && box.top >= 0,
        indicator: (style.outlineStyle !== 'none' && style.outlineWidth !== '0px' && style.outlineColor !== 'rgba(0, 0, 0, 0)') || style.boxShadow !== 'none',
      };
    });
  const skipLink = await focused();
  t.match(skipLink, { tag: 'a', href: '#main', text: 'Skip to main content', visible: true, indicator: true }, 'the first Tab shows the skip link');
  await screenshot(page, 'keyboard-skip-link-en');
  await page.keyboard.press('Enter');
  t.equal((await focused()).id, 'main', 'the skip link moves the focus to the main content');

  const stops: Array<Awaited<ReturnType<typeof focused>>> = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    const stop = await focused();
    stops.push(stop);
    if (stop.id === 'token') break;
  }
  t.equal(stops.at(-1)?.id, 'token', 'the token field is reached with Tab');
  for (const stop of stops) t.ok(stop.indicator, `${stop.tag} "${stop.text || stop.id}" shows where the focus is`);
  await page.keyboard.type(svc.tokens.editor);
  await screenshot(page, 'keyboard-token-focus-en');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/app\?notice=signed-in/);

  await page.goto(`${base}/app/cases/nso-group`);
  const seen: string[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const stop = await focused();
    if (!stop.indicator) t.fail(`${stop.tag} "${stop.text}" shows no focus`);
    seen.push(stop.text);
    if (stop.text === 'Request a review') break;
  }
  t.equal(seen.at(-1), 'Request a review', 'the status button is reached with Tab');
  await screenshot(page, 'keyboard-button-focus-en');
});
