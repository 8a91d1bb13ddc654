import { accessSync, constants, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Test } from 'tap';
import { PROJECT_ROOT } from '../../src/paths.ts';
import type { TestService } from './app.ts';

/** Debian's chromium (package `chromium`): the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const AXE_SCRIPT = join(PROJECT_ROOT, 'node_modules/axe-core/axe.min.js');
export const SCREENSHOTS = join(PROJECT_ROOT, 'test/web/screenshots');

/** Why the browser tests cannot run here, or undefined when they can. CI installs chromium, so CI never skips. */
export function chromiumMissing(): string | undefined {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return undefined;
  } catch {
    return `no executable ${CHROMIUM}: install Debian's chromium (apt-get install chromium) to run the browser tests`;
  }
}

/** One headless Chromium for a whole test file, closed when the file's tests end. */
export async function launchBrowser(t: Test): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  t.teardown(() => browser.close());
  return browser;
}

/** The service listening on 127.0.0.1 on a port of its own; its address. Closed with the service. */
export async function listen(svc: TestService): Promise<string> {
  await svc.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(svc.app.server.address() as AddressInfo).port}`;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * The serious and critical accessibility violations axe-core finds on the page
 * (WCAG 2.0–2.2 A and AA and its best practices). The page's context must have
 * `bypassCSP: true`: axe is added as an inline script, which the pages' policy forbids.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async () => {
    // Runs in the page: its globals, not Node's.
    const page = globalThis as unknown as {
      document: unknown;
      axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> };
    };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A full-page PNG in test/web/screenshots/ (ignored by git), to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
