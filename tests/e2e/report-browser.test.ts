import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPersonas } from '../../src/personas/build-personas.js';
import { buildDemoPersonaInput } from '../../src/personas/demo.js';
import { buildCharts } from '../../src/report/charts.js';
import { renderHtmlReport } from '../../src/report/render-report.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) {
  throw new Error(`${CHROMIUM} is missing: CI must install the Debian package "chromium" (see .ci/run)`);
}
if (!available) {
  console.warn(`skipping the report browser test: ${CHROMIUM} is not installed (apt-get install chromium); it always runs in CI`);
}

describe.skipIf(!available)('persona report in a real browser (headless Chromium)', () => {
  let dir: string;
  let context: BrowserContext;
  let htmlPath: string;
  let chartNames: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'personae-report-'));
    const doc = buildPersonas(buildDemoPersonaInput({ seed: 11, customers: 3000, withPrevious: true }));
    chartNames = buildCharts(doc, 'en').map((c) => c.name);
    htmlPath = join(dir, 'personas.html');
    await writeFile(htmlPath, renderHtmlReport(doc, 'en'), 'utf8');
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1200, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders every chart offline with no console error and no failed request', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    const failed: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('requestfailed', (request) => failed.push(request.url()));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    // Browser-side code as strings: the project compiles without the DOM library.
    await page.waitForFunction(`document.querySelectorAll('.chart svg.marks').length >= ${chartNames.length}`, undefined, { timeout: 30_000 });
    const charts = (await page.evaluate(`Array.from(document.querySelectorAll('.chart')).map((node) => {
      const graphic = node.querySelector('svg.marks, canvas');
      const box = graphic ? graphic.getBoundingClientRect() : null;
      return {
        name: node.getAttribute('data-chart'),
        marks: graphic ? graphic.querySelectorAll('path, rect, text, line').length : 0,
        width: box ? box.width : 0,
        height: box ? box.height : 0,
      };
    })`)) as { name: string; marks: number; width: number; height: number }[];
    expect(charts.map((c) => c.name)).toEqual(chartNames);
    for (const chart of charts) {
      expect(chart.width, `${chart.name} width`).toBeGreaterThan(100);
      expect(chart.height, `${chart.name} height`).toBeGreaterThan(50);
      expect(chart.marks, `${chart.name} marks`).toBeGreaterThan(10);
    }
    // The sizes chart draws one bar per persona and measure.
    expect(await page.locator('#chart-sizes svg.marks g.mark-rect path').count()).toBe(2 * 5);
    expect(await page.locator('article.persona').count()).toBe(5);
    // Tooltips: hovering a bar shows the vega-tooltip element with the persona's numbers.
    await page.locator('#chart-sizes svg.marks g.mark-rect path').first().hover();
    await expect.poll(async () => page.locator('#vg-tooltip-element.visible').count()).toBe(1);
    expect(await page.locator('#vg-tooltip-element').innerText()).toContain('P1');

    expect(errors).toEqual([]);
    expect(failed).toEqual([]);
    // Offline: the only request is the file itself.
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);

    await mkdir('tests/artifacts', { recursive: true });
    await page.screenshot({ path: 'tests/artifacts/report.png', fullPage: true });
  });
});
