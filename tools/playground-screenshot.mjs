// The README's picture of the playground: the page served by the playground's server, a
// character LSTM trained for 300 steps, a character hovered, the gradient check run; saved
// to docs/img/playground.png. Run: npm run build && node tools/playground-screenshot.mjs
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { playgroundServer } from '../dist/cli/playgroundCommand.js';

const server = playgroundServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`http://127.0.0.1:${server.address().port}/?task=chars&cell=lstm&hidden=64&seed=1`);
  await page.waitForFunction(() => document.getElementById('activations')?.dataset.steps !== undefined, null, {
    timeout: 60_000,
  });
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('status').dataset.step) >= 300, null, {
    timeout: 300_000,
  });
  await page.click('#play');
  await page.click('#step');
  await page.waitForFunction(() => Number(document.getElementById('status').dataset.step) >= 301);
  await page.click('#compare');
  await page.waitForSelector('#unfused-ms', { timeout: 60_000 });
  await page.click('#gradcheck');
  await page.waitForSelector('#gradcheck-verdict', { timeout: 300_000 });
  await page.hover('#activations span[data-t="40"]');
  await page.evaluate(() => window.scrollTo(0, 0));
  mkdirSync('docs/img', { recursive: true });
  await page.screenshot({ path: 'docs/img/playground.png', fullPage: true });
  console.log(await page.textContent('#status'));
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
