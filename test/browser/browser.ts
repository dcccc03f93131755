import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ARTIFACTS } from './stack';

const DOCS = path.resolve(__dirname, '..', '..', 'docs');

/** Debian's chromium, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** Whether this run refreshes the screenshots committed under docs/ (`npm run screenshots`); tests never modify tracked files otherwise. */
const REFRESH_DOCS = process.env.JOBGATE_DOCS_SCREENSHOTS === '1';

/** Saves a screenshot under test/artifacts/, and under docs/ too when `docsName` is given and `npm run screenshots` runs. */
export async function screenshot(page: Page, name: string, docsName?: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  if (docsName !== undefined && REFRESH_DOCS) {
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({ path: path.join(DOCS, docsName) });
  }
}
