// Does in Banana Cake Pop what docs/banana-cake-pop.md tells a person to do: open the IDE,
// create a document, set the two request headers in the document's Connection Settings (HTTP
// Headers tab, one Name/Value row each, Apply), paste the query into the Request editor, click
// Run, and read the result in the Response pane. Saves a screenshot of the result.
// Usage: node run-query.mjs <ide-url> <X-Auth-Token> <workspace> <query> <screenshot.png>
// Exits non-zero, with the reason, if any step fails or the response has errors.
import { createDocument, enterDocument, launch, setHeaders } from './ide-steps.mjs';

const [url, token, workspace, query, screenshot] = process.argv.slice(2);
if (!url || !token || !workspace || !query || !screenshot) {
  console.error('usage: node run-query.mjs <ide-url> <X-Auth-Token> <workspace> <query> <screenshot.png>');
  process.exit(2);
}

const browser = await launch();
let page;
try {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(45_000);
  const origin = new URL(url).origin;

  // 1. Open the IDE and "Create Document" (ide-steps.mjs).
  await createDocument(page, url);

  // 2. The two headers in Connection Settings > HTTP Headers, read back after Apply.
  await setHeaders(page, [['X-Auth-Token', token], ['workspace', workspace]]);

  // 3. The query in the Request editor, taken in once the Builder lists "Query".
  await enterDocument(page, query, 'Query');

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
