import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

import { PROJECT_ROOT } from '../utils/cli';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it); CHROMIUM_PATH names another. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the screenshots of docs/console.md are written. */
export const SCREENSHOT_DIR = resolve(PROJECT_ROOT, 'docs', 'console');

/** A wait on a condition of the page: generous, for a loaded machine; it ends as soon as the condition holds. */
export const WAIT_MS = 60_000;

export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`the console's browser tests need Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // As root (CI) Chromium runs only without its sandbox; /dev/shm may be small in containers.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--font-render-hinting=none'],
    timeout: WAIT_MS,
  });
};

/** A browser session of its own (its own cookies), at a fixed size so that screenshots are alike from run to run. */
export const newSession = async (browser: Browser): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    acceptDownloads: true,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  return { context, page: await context.newPage() };
};

/**
 * What changes from one run to the next (ids, times, schema names, rates, durations, hosts) is
 * written the same in the page before a screenshot, so that the images change only when the
 * pages do. The page itself is left as the app served it for every assertion made before.
 */
const STEADY_TEXT = `(() => {
  const rules = [
    [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '00000000-0000-0000-0000-000000000000'],
    [/\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z| UTC)?/g, '2026-01-01 00:00:00 UTC'],
    [/workspace_[a-z0-9]+/g, 'workspace_0'],
  ];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let text = node.textContent;
    for (const [pattern, replacement] of rules) text = text.replace(pattern, replacement);
    node.textContent = text;
  }
  document.querySelectorAll('[data-volatile]').forEach((element) => { element.textContent = '·'; });
  document.querySelectorAll('input[type=file]').forEach((element) => { element.value = ''; });
})()`;

/** A full-page screenshot of docs/console/<name>.png. */
export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.evaluate(STEADY_TEXT);
  await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
};

/** The values of an attribute over the elements a selector finds, in order. */
export const attributes = async (page: Page, selector: string, attribute: string): Promise<string[]> => {
  const values: string[] = [];
  for (const element of await page.locator(selector).all()) values.push((await element.getAttribute(attribute)) ?? '');
  return values;
};

export const texts = async (page: Page, selector: string): Promise<string[]> =>
  (await page.locator(selector).allTextContents()).map((text) => text.trim());
