import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium; CI installs it (see .ci/run). Never `playwright install`. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

// Runs in the page (a string, so this Node-typed file needs no DOM types).
const UNNAMED_CONTROLS = `(() => {
  const named = (el) => {
    if ((el.getAttribute('aria-label') ?? '').trim() !== '') return true;
    const by = el.getAttribute('aria-labelledby');
    if (by !== null && by.split(/\\s+/).some((id) => (document.getElementById(id)?.textContent ?? '').trim() !== '')) return true;
    if ((el.getAttribute('title') ?? '').trim() !== '') return true;
    if (el.tagName === 'BUTTON') return (el.textContent ?? '').trim() !== '';
    return el.labels !== null && [...el.labels].some((label) => (label.textContent ?? '').trim() !== '');
  };
  return [...document.querySelectorAll('button, input, select, textarea')]
    .filter((el) => !named(el))
    .map((el) => el.outerHTML.slice(0, 120));
})()`;

/**
 * Buttons, inputs, selects and textareas on the page that have no accessible
 * name (no text, aria-label, aria-labelledby, title or <label>), described.
 */
export const unnamedControls = async (page: Page): Promise<string[]> =>
  (await page.evaluate(UNNAMED_CONTROLS)) as string[];
