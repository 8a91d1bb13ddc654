import { chromium, type Browser } from 'playwright-core';
import { dossierInputOf, loadProject } from '../src/cli/load-project.ts';
import { composeDossier } from '../src/render/compose-dossier.ts';
import { dossierModel, renderDossier } from '../src/render/dossier-pdf.ts';
import { loadDossierText } from '../src/render/text/dossier-text.ts';
import { dossierHtml, printOptions } from './dossier-html.ts';
import type { BenchResult } from './mapper.ts';
import { median, percentile, round, table, timeRuns } from './support/stats.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface RenderOptions {
  /** Timed renders of each kind (the median is reported); at least 20. */
  renders?: number;
}

async function pageCount(pdf: Uint8Array): Promise<number> {
  // Loaded only now: pdf.js polyfills built-in prototypes on import, which slows every render after it by a fifth; the service never loads it.
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const pages = doc.numPages;
  await doc.destroy();
  return pages;
}

/**
 * The NSO dossier in English, rendered in this (warm) process by the service's
 * renderer (model → blocks → pdfkit → bytes), against the same blocks written
 * as HTML and printed by headless Chromium (warm browser; timed from newPage
 * through setContent to the bytes of page.pdf()). Medians of `renders` runs
 * each, after three untimed ones.
 */
export async function benchRender(options: RenderOptions = {}): Promise<BenchResult> {
  const renders = Math.max(20, options.renders ?? 20);
  const at = new Date('2026-11-23T00:00:00Z');
  const project = await loadProject('nso-group');
  const model = dossierModel(dossierInputOf(project, 'en', at));

  let pdf: Uint8Array = new Uint8Array();
  const pdfkitTimes = await timeRuns(renders, 3, async () => {
    pdf = await renderDossier(model, at);
  });

  const composed = composeDossier(model, loadDossierText('en'));
  const html = dossierHtml(composed);
  const print = printOptions(composed);
  let browser: Browser | undefined;
  let chromiumPdf: Uint8Array = new Uint8Array();
  let chromiumTimes: number[];
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext();
    chromiumTimes = [];
    for (let i = -3; i < renders; i++) {
      const start = performance.now();
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      chromiumPdf = await page.pdf(print);
      if (i >= 0) chromiumTimes.push(performance.now() - start);
      // Closing the page is not the print's cost, and is over before the next one starts.
      await page.close();
    }
  } finally {
    await browser?.close();
  }

  const ms = median(pdfkitTimes);
  const chromiumMs = median(chromiumTimes);
  const [pages, chromiumPages] = [await pageCount(pdf), await pageCount(chromiumPdf)];
  const figures = {
    warmMsP50: round(ms),
    warmMsP90: round(percentile(pdfkitTimes, 90)),
    chromiumMsP50: round(chromiumMs),
    chromiumMsP90: round(percentile(chromiumTimes, 90)),
    speedupVsChromium: round(chromiumMs / ms),
    pages,
    chromiumPages,
    kib: Math.round(pdf.length / 1024),
    chromiumKib: Math.round(chromiumPdf.length / 1024),
    renders,
  };
  const excerpts = project.file.excerpts.length;
  const signatories = model.signatories.organisation.length + model.signatories.expert.length;
  return {
    key: 'render',
    figures,
    table: [
      `render benchmark: the NSO dossier in English (${excerpts} excerpts, ${model.sources.length} sources, ${signatories} signatories), median of ${renders} warm renders each`,
      ...table(
        ['what', 'ms p50', 'ms p90', 'pages', 'KiB'],
        [
          ['pdfkit renderer (model → PDF bytes)', figures.warmMsP50, figures.warmMsP90, pages, figures.kib],
          ['same blocks as HTML, Chromium page.pdf()', figures.chromiumMsP50, figures.chromiumMsP90, chromiumPages, figures.chromiumKib],
        ],
      ),
      `  speed-up against Chromium: ${figures.speedupVsChromium}× (goal ≥ 5×); warm render ${figures.warmMsP50} ms (goal < 100 ms)`,
    ],
  };
}
