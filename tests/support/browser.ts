import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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

// Runs in every page of a context before its own scripts: records each element that only
// injected markup would add (an <img>, <iframe>, <object> or <embed>, an inline <script>, or
// any `on…` handler attribute), even one removed again at once. The dashboard renders none.
const WATCH_INJECTED_MARKUP = `(() => {
  const found = [];
  Object.defineProperty(window, '__injectedMarkup', { value: found });
  const suspect = (el) =>
    ['IMG', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName) ||
    (el.tagName === 'SCRIPT' && !el.hasAttribute('src')) ||
    [...el.attributes].some((attr) => attr.name.toLowerCase().startsWith('on'));
  const check = (node) => {
    if (node.nodeType !== 1) return;
    for (const el of [node, ...node.querySelectorAll('*')]) {
      if (suspect(el)) found.push(el.outerHTML.slice(0, 200));
    }
  };
  new MutationObserver((records) => {
    for (const record of records) record.addedNodes.forEach(check);
  }).observe(document, { childList: true, subtree: true });
})()`;

/** Start recording injected markup in every page `context` opens (see {@link injectedMarkup}). */
export const watchInjectedMarkup = async (context: BrowserContext): Promise<void> => {
  await context.addInitScript(WATCH_INJECTED_MARKUP);
};

/** The elements injected markup added to `page` since it loaded, described. */
export const injectedMarkup = async (page: Page): Promise<string[]> =>
  (await page.evaluate('window.__injectedMarkup')) as string[];
