import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { startService, type TestService } from '../helpers/app.ts';
import { chromiumMissing, launchBrowser, listen, screenshot } from '../helpers/browser.ts';
import { flatten, readPdf } from '../helpers/pdf.ts';

const skip = chromiumMissing();
const browser: Browser | undefined = skip ? undefined : await launchBrowser(t);

/** What the pages say in each language, for the steps below. */
const WORDS = {
  en: {
    token: 'Your token', signIn: 'Sign in', cases: 'Cases', accept: 'Accept as an excerpt', accepted: 'The suggestion is now an excerpt of the case.',
    matrix: 'Criteria matrix', download: 'Download the draft PDF in English', requestReview: 'Request a review', inReview: 'The case is now in review.',
    signer: 'Name of the person who signs', signerRole: 'Their role in the organisation', sign: 'Sign for Test Partner Org', signed: 'Your signature is on the list.',
    withdraw: 'Withdraw our signature', withdrawn: 'Your signature is withdrawn.', reviews: 'Reviews', approve: 'Approve this revision',
    approved: 'Your approval is recorded.', oneOfTwo: '1 of 2 approvals', signOut: 'Sign out', signedOut: 'You are signed out.', signatures: 'Signatures',
  },
  fr: {
    token: 'Votre jeton', signIn: 'Se connecter', cases: 'Dossiers', accept: 'Accepter comme extrait', accepted: 'La suggestion est désormais un extrait du dossier.',
    matrix: 'Grille des critères', download: 'Télécharger le projet en PDF, en anglais', requestReview: 'Demander une relecture', inReview: 'Le dossier est maintenant en relecture.',
    signer: 'Nom de la personne qui signe', signerRole: 'Sa fonction dans l’organisation', sign: 'Signer pour Test Partner Org', signed: 'Votre signature figure sur la liste.',
    withdraw: 'Retirer notre signature', withdrawn: 'Votre signature est retirée.', reviews: 'Relectures', approve: 'Approuver cette révision',
    approved: 'Votre approbation est enregistrée.', oneOfTwo: '1 sur 2 approbations', signOut: 'Se déconnecter', signedOut: 'Vous êtes déconnecté·e.', signatures: 'Signatures',
  },
} as const;
type Lang = keyof typeof WORDS;

interface Pass {
  lang: Lang;
  javaScript: boolean;
}

/** A fresh browser profile in a language, with or without JavaScript; CSP violations reported by the page are collected. */
async function newUser(t: Test, pass: Pass): Promise<{ context: BrowserContext; page: Page; cspViolations: string[] }> {
  const context = await browser!.newContext({ locale: pass.lang === 'fr' ? 'fr-FR' : 'en-GB', javaScriptEnabled: pass.javaScript, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return { context, page, cspViolations };
}

async function signIn(page: Page, base: string, token: string, lang: Lang): Promise<void> {
  await page.goto(`${base}/app`);
  await page.getByLabel(WORDS[lang].token).fill(token);
  await page.getByRole('button', { name: WORDS[lang].signIn, exact: true }).click();
  await page.waitForURL(/\/app(\?|$)/);
}

async function matrixCells(page: Page, criterion: string): Promise<{ excerpts: number; independent: number }> {
  const row = page.locator(`tr[data-criterion="${criterion}"]`);
  return {
    excerpts: Number(await row.locator('[data-cell="excerpts"]').textContent()),
    independent: Number(await row.locator('[data-cell="independent"]').textContent()),
  };
}

async function flows(t: Test, pass: Pass): Promise<void> {
  const words = WORDS[pass.lang];
  const tag = `${pass.lang}-${pass.javaScript ? 'js' : 'nojs'}`;
  const svc: TestService = await startService(t);
  const base = await listen(svc);

  await t.test('an editor accepts a suggestion, sees the matrix change, and downloads the PDF with the quote', async (t) => {
    const { page, cspViolations } = await newUser(t, pass);
    await signIn(page, base, svc.tokens.editor, pass.lang);
    t.equal(await page.getAttribute('html', 'lang'), pass.lang, 'the page is in the language the browser asks for');
    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), words.cases);
    const header = await page.locator('.site-header').evaluate((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor);
    t.equal(header, 'rgb(20, 33, 61)', "the stylesheet applies under the service's content security policy");
    await page.getByRole('link', { name: /NSO Group/ }).click();
    await page.waitForURL(/\/app\/cases\/nso-group$/);
    const before = await matrixCells(page, 'art1.1.d.iii');
    await screenshot(page, `flow-${tag}-case-before`);

    await page.getByRole('link', { name: 'Letter to Foreign Minister Ayrault ahead of his visit to China' }).click();
    const suggestion = page.locator('.suggestion').first();
    const quote = (await suggestion.locator('mark.suggested').textContent())!;
    t.ok(quote.length > 20, 'a suggested passage is shown inline');
    await screenshot(page, `flow-${tag}-source-suggestions`);
    await suggestion.getByRole('button', { name: new RegExp(`^${words.accept}`) }).click();
    await page.waitForURL(/notice=accepted/);
    t.match(await page.getByRole('status').textContent(), words.accepted);
    t.equal(await page.locator('.source-text mark.current').first().textContent(), quote, 'the new excerpt is highlighted in the text');
    await screenshot(page, `flow-${tag}-source-accepted`);

    await page.getByRole('navigation', { name: pass.lang === 'en' ? 'Parts of the case' : 'Parties du dossier' }).getByRole('link', { name: words.matrix }).click();
    const after = await matrixCells(page, 'art1.1.d.iii');
    t.same(after, { excerpts: before.excerpts + 1, independent: before.independent }, 'the matrix counts the new excerpt, and its publisher as one voice with the joint letter it signed');
    await screenshot(page, `flow-${tag}-case-after`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: words.download }).click()]);
    t.equal(download.suggestedFilename(), 'nso-group-draft-en.pdf');
    const bytes = await readFile((await download.path())!);
    t.equal(bytes.subarray(0, 4).toString(), '%PDF', 'a PDF');
    t.ok((await readPdf(bytes)).all.includes(flatten(quote)), 'its text holds the accepted quote');

    await page.getByRole('button', { name: words.requestReview }).click();
    await page.waitForURL(/notice=status-request-review/);
    t.match(await page.getByRole('status').textContent(), words.inReview);
    t.same(cspViolations, [], 'the pages break no rule of the content security policy');
  });

  await t.test('a partner signs and withdraws its own signature', async (t) => {
    const { page } = await newUser(t, pass);
    await signIn(page, base, svc.tokens.partner, pass.lang);
    await page.getByRole('link', { name: /NSO Group/ }).click();
    await page.waitForURL(/\/signatures$/);
    await page.getByLabel(words.signer).fill('Jane Doe');
    await page.getByLabel(words.signerRole).fill('Director');
    await page.getByRole('button', { name: words.sign }).click();
    await page.waitForURL(/notice=signed/);
    t.match(await page.getByRole('status').textContent(), words.signed);
    const mine = page.locator('tr.mine');
    t.match(await mine.textContent(), /Test Partner Org[\s\S]*Jane Doe, Director/);
    await screenshot(page, `flow-${tag}-signed`);
    await page.getByRole('button', { name: words.withdraw }).click();
    await page.waitForURL(/notice=withdrawn/);
    t.match(await page.getByRole('status').textContent(), words.withdrawn);
    t.equal(await page.locator('tr.mine').count(), 0, 'the signature has left the list');
    t.equal(await page.getByText('Jane Doe').count(), 0);
    await page.getByRole('button', { name: words.signOut }).click();
    await page.waitForURL(/notice=signed-out/);
    t.match(await page.getByRole('status').textContent(), words.signedOut);
  });

  await t.test('a reviewer approves the case in review', async (t) => {
    const { page } = await newUser(t, pass);
    await signIn(page, base, svc.tokens.reviewer, pass.lang);
    await page.getByRole('link', { name: /NSO Group/ }).click();
    await page.getByRole('link', { name: words.reviews, exact: true }).click();
    await page.getByRole('button', { name: words.approve }).click();
    await page.waitForURL(/notice=review-approve/);
    t.match(await page.getByRole('status').textContent(), words.approved);
    t.match(await page.locator('main').textContent(), words.oneOfTwo);
    await screenshot(page, `flow-${tag}-approved`);
  });
}

t.test('with JavaScript, in English', { skip }, (t) => flows(t, { lang: 'en', javaScript: true }));
t.test('without JavaScript, in French', { skip }, (t) => flows(t, { lang: 'fr', javaScript: false }));
