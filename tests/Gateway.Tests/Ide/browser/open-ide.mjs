// Opens Banana Cake Pop at the given URL in headless Debian chromium, creates a document,
// waits until the IDE has introspected the gateway's schema, and saves a screenshot.
// Usage: node open-ide.mjs <ide-url> <screenshot.png>
// Exits non-zero, with the reason, if any step fails. Playwright starts the browser with a
// fresh, empty profile, so the IDE opens on its start screen.
import { chromium } from 'playwright-core';

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: node open-ide.mjs <ide-url> <screenshot.png>');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--disable-quic'],
});
const external = [];
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(45_000);
  const origin = new URL(url).origin;
  page.on('request', request => {
    const target = request.url();
    if (!target.startsWith(origin) && !target.startsWith('data:') && !target.startsWith('blob:')) {
      external.push(target);
    }
  });

  // The introspection request is what proves the IDE found and read the schema.
  const introspection = page.waitForResponse(response =>
    response.url().startsWith(origin + '/graphql') && response.request().method() === 'POST'
    && (response.request().postData() ?? '').includes('__schema'), { timeout: 90_000 });

  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const create = page.getByText('Create Document', { exact: false }).first();
  await create.waitFor({ state: 'visible' });
  await create.click();

  const response = await introspection;
  const body = await response.json();
  const types = (body?.data?.__schema?.types ?? []).map(type => type.name);
  if (response.status() !== 200 || !types.includes('QualityTaskInstance')) {
    throw new Error(`introspection answered ${response.status()} without QualityTaskInstance: ${JSON.stringify(body).slice(0, 500)}`);
  }

  // Give the editor a moment to render the schema before the picture is taken.
  await page.waitForTimeout(1500);
  await page.screenshot({ path: screenshot, fullPage: false });
  if (external.length > 0) {
    throw new Error(`the IDE tried to reach other origins: ${[...new Set(external)].join(', ')}`);
  }
  console.log(`introspected ${types.length} types; screenshot at ${screenshot}`);
} finally {
  await browser.close();
}
