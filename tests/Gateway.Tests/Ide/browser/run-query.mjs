// Does in Banana Cake Pop what docs/banana-cake-pop.md tells a person to do: open the IDE,
// create a document, set the two request headers in the document's Connection Settings (HTTP
// Headers tab, one Name/Value row each, Apply), paste the query into the Request editor, click
// Run, and read the result in the Response pane. Saves a screenshot of the result.
// Usage: node run-query.mjs <ide-url> <X-Auth-Token> <workspace> <query> <screenshot.png>
// Exits non-zero, with the reason, if any step fails or the response has errors.
import { chromium } from 'playwright-core';

const [url, token, workspace, query, screenshot] = process.argv.slice(2);
if (!url || !token || !workspace || !query || !screenshot) {
  console.error('usage: node run-query.mjs <ide-url> <X-Auth-Token> <workspace> <query> <screenshot.png>');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--disable-quic'],
});
let page;
try {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(45_000);
  const origin = new URL(url).origin;

  // 1. Open the IDE and click "Create Document"; the status bar says "Schema available" once
  //    the IDE has introspected the gateway.
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.getByRole('button', { name: 'Create Document' }).click();
  await page.getByText('Schema available', { exact: true }).waitFor({ timeout: 90_000 });

  // 2. The gear at the top right of the document ("Connection Settings") opens a dialog with the
  //    tabs General, Authorization and HTTP Headers. The HTTP Headers tab is a Name/Value table
  //    that starts with one empty row; there is no "Add" button: the IDE adds the next empty row
  //    once a row has a name. "Apply" keeps the headers with the document.
  //    The table takes in an edit 250 ms after the last keystroke in it (a debounce with no
  //    sign on the screen), and only the newest pending one: typing in the next row, or clicking
  //    Apply, sooner than that loses the last edit. A person is never that quick; the script,
  //    after each row, waits for a 500 ms timer of the page itself (the page runs its timers in
  //    order, so the IDE's has fired by then even on a loaded machine), and at the end opens
  //    the dialog again to read back what the document kept.
  const dialog = page.locator('[data-section-name="dialog"]');
  const names = dialog.getByPlaceholder('Name', { exact: true });
  const values = dialog.getByPlaceholder('Value', { exact: true });
  const headers = [['X-Auth-Token', token], ['workspace', workspace]];
  const openHeaders = async () => {
    await page.getByRole('button', { name: 'Connection Settings' }).click();
    await dialog.getByRole('heading', { name: 'Connection Settings' }).waitFor();
    await dialog.getByRole('tab', { name: 'HTTP Headers' }).click();
    await names.first().waitFor();
  };
  await openHeaders();
  for (const [row, [name, value]] of headers.entries()) {
    await names.nth(row).click();
    await page.keyboard.type(name);
    await values.nth(row).click();
    await page.keyboard.type(value);
    await names.nth(row + 1).waitFor();
    await page.evaluate(() => new Promise(resolve => { setTimeout(resolve, 500); }));
  }
  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });

  await openHeaders();
  const kept = await dialog.locator('input[type=text]').evaluateAll(inputs => inputs.map(input => input.value));
  if (JSON.stringify(kept) !== JSON.stringify([...headers.flat(), '', ''])) {
    throw new Error(`Connection Settings kept other headers than typed: ${JSON.stringify(kept)}`);
  }
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });

  // 3. Paste the query into the Request editor (the left of the two big editors). The Builder
  //    on the left lists the operation ("Query") once the IDE has taken the text in; a Run
  //    before that would send the previous, empty document.
  await page.locator('.monaco-editor').first().click();
  await page.keyboard.insertText(query);
  await page.getByRole('treeitem', { name: 'Query' }).waitFor();

  // 4. Click "Run" (Ctrl+Alt+Enter in the editor does the same) and take the response the IDE got.
  const answered = page.waitForResponse(response =>
    response.url().startsWith(origin + '/graphql') && response.request().method() === 'POST'
    && (response.request().postData() ?? '').includes('qualityTaskInstances'), { timeout: 60_000 });
  await page.getByRole('button', { name: /^Run Operation/ }).click();
  const response = await answered;

  const sent = response.request().headers();
  if (sent['x-auth-token'] !== token || sent['workspace'] !== workspace) {
    throw new Error(`the IDE did not send the headers set in Connection Settings: ${JSON.stringify(sent)}`);
  }
  const body = await response.json();
  const total = body?.data?.qualityTaskInstances?.totalCount;
  if (response.status() !== 200 || body.errors !== undefined || typeof total !== 'number') {
    throw new Error(`the query answered ${response.status()}: ${JSON.stringify(body).slice(0, 800)}`);
  }

  // 5. The Response pane (right) shows the JSON, with "totalCount" near the top.
  await page.locator('.monaco-editor .view-line', { hasText: `"totalCount": ${total}` }).first().waitFor();
  await page.screenshot({ path: screenshot, fullPage: false });
  console.log(`totalCount ${total}; screenshot at ${screenshot}`);
} catch (error) {
  // A picture of where it stopped says more than a timeout.
  await page?.screenshot({ path: screenshot.replace(/\.png$/, '') + '-failed.png' }).catch(() => {});
  throw error;
} finally {
  await browser.close();
}
