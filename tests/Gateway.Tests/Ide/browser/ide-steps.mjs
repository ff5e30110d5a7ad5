// The steps docs/banana-cake-pop.md tells a person to take, shared by the scripts that drive
// Banana Cake Pop in headless Debian chromium (never a downloaded browser).
import { chromium } from 'playwright-core';

/** Debian's chromium, headless, with nothing that reaches beyond loopback. */
export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * Opens the IDE and clicks "Create Document"; the status bar says "Schema available" once the
 * IDE has introspected the gateway.
 */
export async function createDocument(page, url) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.getByRole('button', { name: 'Create Document' }).click();
  await page.getByText('Schema available', { exact: true }).waitFor({ timeout: 90_000 });
}

/**
 * Sets request headers in the document's Connection Settings and checks what it kept.
 * The gear at the top right ("Connection Settings") opens a dialog with the tabs General,
 * Authorization and HTTP Headers. The HTTP Headers tab is a Name/Value table that starts with
 * one empty row; there is no "Add" button: the IDE adds the next empty row once a row has a
 * name. "Apply" keeps the headers with the document.
 * The table takes in an edit 250 ms after the last keystroke in it (a debounce with no sign on
 * the screen), and only the newest pending one: typing in the next row, or clicking Apply,
 * sooner than that loses the last edit. A person is never that quick; the script, after each
 * row, waits for a 500 ms timer of the page itself (the page runs its timers in order, so the
 * IDE's has fired by then even on a loaded machine), and at the end opens the dialog again to
 * read back what the document kept.
 */
export async function setHeaders(page, headers) {
  const dialog = page.locator('[data-section-name="dialog"]');
  const names = dialog.getByPlaceholder('Name', { exact: true });
  const values = dialog.getByPlaceholder('Value', { exact: true });
  const openHeaders = async () => {
    await page.getByRole('button', { name: 'Connection Settings' }).click();
    await dialog.getByRole('heading', { name: 'Connection Settings' }).waitFor();
    await dialog.getByRole('tab', { name: 'HTTP Headers' }).click();
    await names.first().waitFor();
  };
  await openHeaders();
  // Typed key by key, as a person does; on a loaded machine the table can drop a keystroke
  // while it re-renders, and then, as a person would on seeing the typo, the field is set again.
  const typeInto = async (field, text) => {
    await field.click();
    await page.keyboard.type(text);
    if (await field.inputValue() !== text) {
      await field.fill(text);
    }
  };
  for (const [row, [name, value]] of headers.entries()) {
    await typeInto(names.nth(row), name);
    await typeInto(values.nth(row), value);
    await names.nth(row + 1).waitFor();
    await page.evaluate(() => new Promise(resolve => { setTimeout(resolve, 500); }));
  }
  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });

  await openHeaders();
  // The reopened table shows its empty row first and the document's headers a moment later:
  // wait (bounded) for what was typed, then compare whatever is there.
  const expected = JSON.stringify([...headers.flat(), '', '']);
  await page.waitForFunction(
    wanted => JSON.stringify([...document.querySelectorAll('[data-section-name="dialog"] input[type=text]')].map(input => input.value)) === wanted,
    expected,
    { timeout: 10000 },
  ).catch(() => { /* compared and reported just below */ });
  const kept = await dialog.locator('input[type=text]').evaluateAll(inputs => inputs.map(input => input.value));
  if (JSON.stringify(kept) !== expected) {
    throw new Error(`Connection Settings kept other headers than typed: ${JSON.stringify(kept)}`);
  }
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/**
 * Pastes the document into the Request editor (the left of the two big editors) and waits until
 * the Builder lists its operation (e.g. "Query"): a Run before that would send the previous,
 * empty document.
 */
export async function enterDocument(page, text, operation) {
  await page.locator('.monaco-editor').first().click();
  await page.keyboard.insertText(text);
  await page.getByRole('treeitem', { name: operation }).waitFor();
}
