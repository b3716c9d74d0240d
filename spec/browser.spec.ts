// The playground in a real browser: Debian's Chromium driven by playwright-core, the page
// served by the playground's own server, on the backend this spec run tests (the page's
// `backend` setting). It trains, stays responsive while it trains, draws what it claims,
// checks its gradients, restores a run from its URL, and logs no error. Screenshots go to
// runs/playground/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { playgroundServer } from '../cli/playgroundCommand.js';
import { getBackend } from '../index.js';
import { repoRoot } from './helpers.js';

// What the functions passed to page.evaluate use of the page (they run there, not in Node).
declare const document: {
  getElementById(id: string): { dataset: Record<string, string | undefined>; textContent: string | null } | null;
};
declare function requestAnimationFrame(callback: () => void): number;

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const backend = getBackend();
const shots = join(repoRoot, 'runs', 'playground');
let server: Server,
  browser: Browser,
  base = '';
const problems: string[] = [];

test.before(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(
      `Chromium is not at ${chromiumPath}: apt-get install -y chromium (as .ci/run does), or set CHROMIUM_PATH`,
    );
  mkdirSync(shots, { recursive: true });
  server = playgroundServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
});

test.after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
});

/** A page at a configuration, its console errors and uncaught exceptions collected. */
async function open(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${query}: console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${query}: ${e.message}`));
  await page.goto(`${base}/?${query}&backend=${backend}`);
  await page.waitForFunction(
    () =>
      document.getElementById('curves')?.dataset.evals !== undefined &&
      document.getElementById('activations')?.dataset.steps !== undefined,
    null,
    { timeout: 60_000 },
  );
  return page;
}

const step = (page: Page) => page.evaluate(() => Number(document.getElementById('status')!.dataset.step));
const evals = (page: Page) =>
  page.evaluate(
    () => JSON.parse(document.getElementById('curves')!.dataset.evals!) as { examples: number; loss: number }[],
  );

test('a character model trains past the unigram baseline in 50 steps, and the page stays responsive while it trains', async () => {
  const page = await open('task=chars&hidden=32&seed=1');
  assert.match((await page.textContent('#backend')) ?? '', new RegExp(`^${backend}`));
  const baseline = Number(await page.evaluate(() => document.getElementById('curves')!.dataset.baseline));
  assert.ok(baseline > 4 && baseline < 5, `unigram baseline ${baseline} bits per character`);
  assert.ok((await evals(page))[0].loss > baseline, 'the untrained model is worse than the unigram model');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('status')!.dataset.step) >= 5, null, {
    timeout: 60_000,
  });
  // While the worker trains, the page keeps drawing: the wait below polls on animation
  // frames, so it ends only if frames keep coming while ten more steps complete. And a click
  // pins another unit.
  const before = await step(page);
  await page.waitForFunction((b) => Number(document.getElementById('status')!.dataset.step) >= b + 10, before, {
    polling: 'raf',
    timeout: 60_000,
  });
  const pinned = Number(await page.getAttribute('#activations', 'data-unit'));
  const target = Number(
    await page.locator(`#ranking .unit:not([data-unit="${pinned}"])`).first().getAttribute('data-unit'),
  );
  await page.locator(`#ranking .unit[data-unit="${target}"]`).first().click();
  await page.waitForFunction((u) => document.getElementById('activations')!.dataset.unit === String(u), target, {
    timeout: 30_000,
  });
  const after = await step(page);
  assert.ok(after > before, `training went on (step ${before} → ${after})`);
  await page.waitForFunction(() => Number(document.getElementById('status')!.dataset.step) >= 50, null, {
    timeout: 120_000,
  });
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('status')!.dataset.playing === 'false');
  const at50 = (await evals(page)).find((e) => e.examples === 50 * 32);
  assert.ok(at50 !== undefined, 'an evaluation at step 50');
  assert.ok(
    at50.loss < baseline,
    `held-out ${at50.loss.toFixed(3)} bits per character after 50 steps, baseline ${baseline.toFixed(3)}`,
  );
  // The heatmap: one cell per character of the inspected text.
  const cells = await page.locator('#activations span').count();
  assert.is(cells, Number(await page.getAttribute('#activations', 'data-steps')));
  assert.is(cells, 600);
  // Hovering a character: the five likeliest next characters, and the equations at that step.
  await page.hover('#activations span[data-t="20"]');
  await page.waitForFunction(() => /step 20\)/.test(document.getElementById('top5')!.textContent ?? ''));
  assert.is(((await page.textContent('#top5')) ?? '').split(' · ').length, 5);
  assert.match((await page.textContent('#equations')) ?? '', /step 20 .*c = f ⊙ c₋₁ \+ i ⊙ g = /s);
  // Gate saturation: a scatter per LSTM gate, a point per unit; gradient flow: the model and the three cells at init.
  assert.is(await page.locator('#saturation svg').count(), 3);
  assert.is(await page.locator('#saturation svg').first().locator('circle').count(), 32);
  await page.waitForSelector('#flow svg');
  assert.equal(
    await page.locator('#flow polyline').evaluateAll((lines) => lines.map((l) => l.getAttribute('data-series'))),
    ['current LSTM', 'RNN at init', 'GRU at init', 'LSTM at init'],
  );
  // The fused/unfused timing, side by side, and the build switched live.
  await page.click('#compare');
  await page.waitForSelector('#unfused-ms', { timeout: 60_000 });
  await page.selectOption('#cfg-build', 'unfused');
  await page.click('#step');
  await page.waitForFunction(() => document.getElementById('build')?.textContent === 'unfused', null, {
    timeout: 30_000,
  });
  await page.screenshot({ path: join(shots, `chars-${backend}.png`), fullPage: true });
  await page.close();
});

test('the gradient check of the current model reports pass', async () => {
  const page = await open('task=chars&hidden=16&seed=2');
  await page.click('#step');
  await page.click('#gradcheck');
  const verdict = await page.waitForSelector('#gradcheck-verdict', { timeout: 120_000 });
  assert.is(await verdict.getAttribute('class'), 'pass', (await verdict.textContent()) ?? '');
  const verdicts = await page.locator('#gradcheck-result td:last-child').allTextContents();
  assert.ok(verdicts.length >= 5, `a row per parameter tensor (embedding, the LSTM's, the head's): ${verdicts.length}`);
  assert.ok(
    verdicts.every((v) => v === 'pass'),
    verdicts.join(', '),
  );
  await page.screenshot({ path: join(shots, `gradcheck-${backend}.png`), fullPage: true });
  await page.close();
});

test('a link restores its configuration', async () => {
  const page = await open(
    'task=quotes&cell=gru&resetAfter=false&updateGate=writes&hidden=16&seed=3&lr=0.02&optimizer=rmsprop',
  );
  const value = (id: string) => page.inputValue(`#cfg-${id}`);
  assert.equal(
    [
      await value('task'),
      await value('cell'),
      await value('resetAfter'),
      await value('hidden'),
      await value('seed'),
      await value('lr'),
      await value('optimizer'),
    ],
    ['quotes', 'gru', 'false', '16', '3', '0.02', 'rmsprop'],
  );
  const query = new URL(page.url()).searchParams;
  assert.is(query.get('cell'), 'gru');
  assert.is(query.get('resetAfter'), 'false');
  assert.match((await page.textContent('#equations')) ?? '', /U_n·\(r ⊙ h₋₁\)/);
  assert.match((await page.textContent('#equations')) ?? '', /h = \(1 − z\) ⊙ h₋₁ \+ z ⊙ n = .*\(z writes\)/);
  assert.is(await page.inputValue('#cfg-updateGate'), 'writes');
  assert.match((await page.textContent('#ranking')) ?? '', /bracket depth/);
  // A live setting: a new temperature draws a new sample from the same model.
  const sample = await page.textContent('#sample');
  await page.fill('#cfg-temperature', '1.5');
  await page.dispatchEvent('#cfg-temperature', 'change');
  await page.waitForFunction((before) => document.getElementById('sample')!.textContent !== before, sample, {
    timeout: 30_000,
  });
  assert.is(new URL(page.url()).searchParams.get('temperature'), '1.5');
  await page.screenshot({ path: join(shots, `quotes-gru-${backend}.png`), fullPage: true });
  await page.close();
});

test('the adding problem shows its 50 steps and no sample', async () => {
  const page = await open('task=adding&cell=rnn&hidden=8');
  await page.click('#step');
  await page.waitForFunction(() => Number(document.getElementById('status')!.dataset.step) === 1);
  assert.is(await page.locator('#activations span').count(), 50);
  assert.is(await page.textContent('#sample'), '(character tasks only)');
  assert.not.match((await page.textContent('#curves')) ?? '', /log scale/);
  await page.selectOption('#scale', 'log');
  assert.match((await page.textContent('#curves')) ?? '', /mean squared error \(log scale\)/);
  await page.close();
});

/** Train a page until its status reads step n, then pause; its evaluation at step n. */
async function trainTo(
  page: Page,
  n: number,
  batch: number,
): Promise<{ examples: number; loss: number; value: number }> {
  await page.click('#play');
  await page.waitForFunction((k) => Number(document.getElementById('status')!.dataset.step) >= k, n, {
    timeout: 240_000,
  });
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('status')!.dataset.playing === 'false');
  const at = ((await evals(page)) as { examples: number; loss: number; value: number }[]).find(
    (e) => e.examples === n * batch,
  );
  assert.ok(at !== undefined, `an evaluation at step ${n}`);
  return at;
}

// Each task with the page's own defaults (only the task in the link) learns it within a fixed
// number of steps: the adding problem once stayed at the mean's error after 660 steps.
for (const [task, steps, batch, bound] of [
  ['adding', 600, 64, 'held-out MSE under 0.02 (the mean: 0.167)'],
  ['order', 300, 64, 'held-out accuracy over 0.9 (chance: 0.25)'],
  ['quotes', 150, 32, 'held-out loss under the unigram baseline'],
] as const) {
  test(`${task}, with the page's defaults, learns within ${steps} steps: ${bound}`, async () => {
    const page = await open(`task=${task}`);
    const at = await trainTo(page, steps, batch);
    if (task === 'adding') assert.ok(at.value < 0.02, `MSE ${at.value} after ${steps} steps`);
    if (task === 'order') assert.ok(at.value > 0.9, `accuracy ${at.value} after ${steps} steps`);
    if (task === 'quotes') {
      const baseline = Number(await page.evaluate(() => document.getElementById('curves')!.dataset.baseline));
      assert.ok(at.loss < baseline, `held-out ${at.loss} against the unigram model's ${baseline}`);
    }
    await page.close();
  });
}

test('changing the task while it trains starts a clean run: no step, point or count of the old one reaches the new chart', async () => {
  const page = await open('task=quotes&hidden=16');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('status')!.dataset.step) >= 30, null, {
    timeout: 60_000,
  });
  const oldRun = Number(await page.evaluate(() => document.getElementById('curves')!.dataset.run));
  await page.selectOption('#cfg-task', 'adding');
  await page.waitForFunction(
    (r) =>
      Number(document.getElementById('curves')?.dataset.run) > r &&
      Number(document.getElementById('status')!.dataset.step) === 0,
    oldRun,
    { timeout: 60_000 },
  );
  assert.is(await page.inputValue('#cfg-hidden'), '32', "the adding task's own default");
  await trainTo(page, 40, 64);
  const steps = await page.evaluate(() => JSON.parse(document.getElementById('curves')!.dataset.steps!) as number[]);
  assert.equal(
    steps,
    Array.from({ length: steps.length }, (_, q) => q + 1),
    "the new run's steps, 1, 2, 3, … and nothing else",
  );
  const points = await evals(page);
  assert.ok(
    points.every((e) => e.examples % 64 === 0 && e.examples <= steps.length * 64),
    `every evaluation of the new run (batches of 64): ${points.map((e) => e.examples).join(', ')}`,
  );
  assert.is(points[0].examples, 0, 'starting from the untrained model');
  await page.close();
});

test('an invalid value is refused in place: the field shows the value in force, and the run goes on', async () => {
  const page = await open('task=quotes&hidden=16');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('status')!.dataset.step) >= 10, null, {
    timeout: 60_000,
  });
  const run = await page.evaluate(() => document.getElementById('curves')!.dataset.run);
  await page.fill('#cfg-hidden', '2.5');
  await page.dispatchEvent('#cfg-hidden', 'change');
  await page.waitForFunction(() =>
    /not a valid setting, so not applied: hidden=2.5/.test(document.getElementById('error')!.textContent ?? ''),
  );
  assert.is(await page.inputValue('#cfg-hidden'), '16');
  assert.is(new URL(page.url()).searchParams.get('hidden'), '16');
  const before = await step(page);
  await page.waitForFunction((k) => Number(document.getElementById('status')!.dataset.step) > k + 5, before, {
    timeout: 60_000,
  });
  assert.is(await page.evaluate(() => document.getElementById('curves')!.dataset.run), run, 'the same run');
  await page.close();
});

test("the gradient flow of the current model is computed in float64: its line runs the whole text, below float32's range", async () => {
  const page = await open('task=chars&hidden=16&seed=4');
  await page.waitForSelector('#flow svg');
  const points = await page.locator('#flow polyline[data-series="current LSTM"]').getAttribute('points');
  assert.is((points ?? '').trim().split(' ').length, 600, 'a point for each of the 600 characters');
  await page.close();
});

test('no page logged an error', () => {
  assert.equal(problems, []);
});

test.run();
