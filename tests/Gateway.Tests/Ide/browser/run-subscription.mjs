// Runs a subscription in Banana Cake Pop as docs/banana-cake-pop.md tells a person to: open the
// IDE, create a document, set the two headers in Connection Settings > HTTP Headers, paste the
// subscription into the Request editor, click Run, and wait until the Response pane shows an
// event (the test starts a run at the emulator once the subscription's first poll is in).
// Usage: node run-subscription.mjs <ide-url> <X-Auth-Token> <workspace> <subscription> <expected text> <screenshot.png>
// Prints the transport the IDE used; exits non-zero, with the reason, if any step fails.
import { createDocument, enterDocument, launch, setHeaders } from './ide-steps.mjs';

const [url, token, workspace, query, expected, screenshot] = process.argv.slice(2);
if (!url || !token || !workspace || !query || !expected || !screenshot) {
  console.error('usage: node run-subscription.mjs <ide-url> <X-Auth-Token> <workspace> <subscription> <expected text> <screenshot.png>');
  process.exit(2);
}

const browser = await launch();
let page;
try {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(45_000);
  page.on('websocket', socket => {
    console.log(`websocket ${socket.url()}`);
    // Message types only: the connection_init payload carries the token.
    const type = frame => { try { return JSON.parse(String(frame.payload)).type; } catch { return '?'; } };
    socket.on('framesent', frame => console.log(`sent ${type(frame)}`));
    socket.on('framereceived', frame => console.log(`received ${type(frame)}`));
  });
  page.on('request', request => {
    if ((request.headers()['accept'] ?? '').includes('text/event-stream')) console.log(`event stream ${request.method()} ${request.url()}`);
  });

  // 1. Open the IDE, "Create Document", wait for the schema (ide-steps.mjs).
  await createDocument(page, url);

  // 2. Connection Settings > HTTP Headers: one Name/Value row per header, Apply, read back.
  await setHeaders(page, [['X-Auth-Token', token], ['workspace', workspace]]);

  // 3. The subscription in the Request editor; the Builder lists "Subscription" once it is in.
  await enterDocument(page, query, 'Subscription');

  // 4. Run. The IDE keeps the subscription open; each event appears in the Response pane.
  await page.getByRole('button', { name: /^Run Operation/ }).click();
  console.log('subscribed');
  await page.locator('.monaco-editor .view-line', { hasText: expected }).first().waitFor({ timeout: 60_000 });
  await page.screenshot({ path: screenshot, fullPage: false });
  console.log(`event shown; screenshot at ${screenshot}`);
} catch (error) {
  await page?.screenshot({ path: screenshot.replace(/\.png$/, '') + '-failed.png' }).catch(() => {});
  throw error;
} finally {
  await browser.close();
}
