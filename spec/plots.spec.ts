// The SVG writers make well-formed SVG with the series asked for; vanish measures what the
// textbooks draw.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTick, histogram, lineChart, logTicks, niceTicks, spansDecades } from '../plot/svg.js';
import { curveChart, lossOf, metricChart, movingAverage } from '../cli/report.js';
import { repoRoot } from './helpers.js';

/** Well-formed XML, checked the simple way: every tag closed in order, attributes quoted, no stray '<' or '&'. */
function checkXml(xml: string): string[] {
  const stack: string[] = [];
  const tags = xml.match(/<[^>]*>/g) ?? [];
  const text = xml.replace(/<[^>]*>/g, '');
  if (/<|>/.test(text)) throw new Error('a stray < or > outside the tags');
  if (/&(?!amp;|lt;|gt;|quot;|#\d+;)/.test(text)) throw new Error('an unescaped &');
  const names: string[] = [];
  for (const tag of tags) {
    const m = /^<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>$/.exec(tag);
    if (m === null) throw new Error(`malformed tag ${tag}`);
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
    } else if (!selfClosing) stack.push(name);
    names.push(name);
  }
  if (stack.length > 0) throw new Error(`unclosed ${stack.join(', ')}`);
  return names;
}

test('a line chart is one well-formed <svg> with a polyline per series, points in order', () => {
  const svg = lineChart(
    [
      {
        name: 'train loss',
        points: [
          [0, 2],
          [100, 1.5],
          [200, 1.2],
        ],
      },
      {
        name: 'dev loss <&>',
        points: [
          [0, 2.1],
          [200, 1.4],
        ],
        dashed: true,
      },
    ],
    { title: 'curves & more', xLabel: 'examples', yLabel: 'nats' },
  );
  const names = checkXml(svg);
  assert.is(names[0], 'svg');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const lines = [...svg.matchAll(/<polyline data-series="([^"]*)"[^>]*points="([^"]*)"/g)];
  assert.equal(
    lines.map((l) => l[1]),
    ['train loss', 'dev loss &lt;&amp;&gt;'],
  );
  assert.equal(
    lines.map((l) => l[2].split(' ').length),
    [3, 2],
  );
  const xs = lines[0][2].split(' ').map((p) => Number(p.split(',')[0]));
  assert.ok(xs[0] < xs[1] && xs[1] < xs[2]);
  const ys = lines[0][2].split(' ').map((p) => Number(p.split(',')[1]));
  assert.ok(ys[0] < ys[1] && ys[1] < ys[2], 'a falling loss is drawn falling (y grows downwards)');
});

test('a log-scale chart drops non-positive points and labels decades; a histogram counts its bins', () => {
  const svg = lineChart(
    [
      {
        name: 'norm',
        points: [
          [0, 1e-20],
          [1, 0],
          [2, 1],
        ],
      },
    ],
    { title: 'g', xLabel: 't', yLabel: 'n', logY: true },
  );
  checkXml(svg);
  assert.is(/points="([^"]*)"/.exec(svg)![1].split(' ').length, 2);
  assert.match(svg, />1e-15</, '21 decades: every fifth is labelled');
  assert.not.match(svg, />1e-18</);
  assert.match(svg, />1</);
  const h = histogram([0.05, 0.06, 0.5, 0.99, 1, 2], { title: 'gate', xLabel: 'value', bins: 10 });
  checkXml(h);
  const counts = [...h.matchAll(/data-count="(\d+)"/g)].map((m) => Number(m[1]));
  assert.equal(counts, [2, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
  assert.equal(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
});

test('ticks read as numbers: 150k, not 2e+5; a one-point series is a dot, a marked series dots every point; a histogram has a y axis of shares', () => {
  assert.equal([150_000, 2_500_000, 5000, 0.25, 1e-6, 0].map(formatTick), [
    '150k',
    '2.5M',
    '5000',
    '0.25',
    '1e-6',
    '0',
  ]);
  const svg = lineChart([{ name: 'dev loss', points: [[100, 2]] }], {
    title: 'one evaluation',
    xLabel: 'examples',
    yLabel: 'loss',
  });
  checkXml(svg);
  assert.is((svg.match(/<circle/g) ?? []).length, 1, 'the single point is drawn');
  const marked = lineChart(
    [
      {
        name: 'span',
        points: [
          [10, 0.9],
          [20, 0.2],
          [40, 0.1],
        ],
        markers: true,
      },
      {
        name: 'line',
        points: [
          [10, 0.5],
          [40, 0.5],
        ],
      },
    ],
    { title: 'span', xLabel: 'T', yLabel: 'accuracy' },
  );
  assert.is(
    (marked.match(/<circle/g) ?? []).length,
    3,
    'a marked series shows each of its three measured points; an unmarked one none',
  );
  const h = histogram([0.1, 0.1, 0.9, 0.9], { title: 'gate', xLabel: 'value', bins: 2 });
  assert.match(h, /share of values/);
  assert.match(h, />0\.4</, 'half the values in each bin: the axis runs to 0.5 in shares');
  assert.ok(spansDecades([1e-3, 0.5]) && !spansDecades([0.2, 0.9]) && !spansDecades([0, 10, 100]));
});

test('the report names the loss by its metric, with the baseline in the same units', () => {
  assert.equal(lossOf({ name: 'mse', baseline: 1 / 6, higherIsBetter: false }), {
    name: 'mean squared error',
    baseline: 1 / 6,
  });
  assert.equal(lossOf({ name: 'bpc', baseline: 4, higherIsBetter: false }), {
    name: 'cross-entropy (nats per character)',
    baseline: 4 * Math.LN2,
  });
  assert.is(lossOf({ name: 'accuracy', baseline: 0.25, higherIsBetter: true }).baseline, null);
  const curve = [
    { step: 10, examples: 640, trainLoss: 0.2, devLoss: 0.19, value: 0.19, stepMs: 3 },
    { step: 20, examples: 1280, trainLoss: 0.001, devLoss: 0.002, value: 0.002, stepMs: 3 },
  ];
  const steps = Array.from({ length: 20 }, (_, q) => ({ step: q + 1, examples: 64 * (q + 1), loss: 0.2 * 0.7 ** q }));
  const svg = curveChart(curve, steps, { name: 'mse', baseline: 1 / 6, higherIsBetter: false }, 'test');
  checkXml(svg);
  assert.match(svg, /mean squared error \(log scale\)/, 'losses over two decades get a log axis');
  assert.match(svg, /data-series="baseline"/);
  assert.not.match(svg, /nats/);
  assert.match(svg, /data-series="train loss, each step"[^>]*stroke-opacity="0.35"/, 'the loss at every step, faint');
  assert.match(
    svg,
    /data-series="train loss, mean of 1 step"/,
    'and its moving average (over a fortieth of 20 steps: 1)',
  );
  assert.is(
    (svg.match(/<circle data-series="test loss"/g) ?? []).length,
    2,
    'the held-out loss as a dot at each evaluation, named by its split',
  );
  assert.equal(movingAverage([1, 2, 3, 4, 5], 2), [1, 1.5, 2.5, 3.5, 4.5]);
  const accuracy = metricChart(
    [
      { ...curve[0], value: 0.4 },
      { ...curve[1], value: 0.9 },
    ],
    { name: 'accuracy', baseline: 0.25, higherIsBetter: true },
    'dev',
  );
  checkXml(accuracy);
  assert.match(
    accuracy,
    /Dev accuracy while training \(higher is better\)/,
    'a classification run gets an accuracy curve',
  );
  assert.match(accuracy, /data-series="dev accuracy"/);
});

test('log axes: at least three labels on a short span, a round stride of decades on a long one', () => {
  // MSE from 0.0004 to 0.2 (the adding task's span chart) once had two labels.
  assert.equal(logTicks(Math.log10(0.04), Math.log10(0.3)), [0.05, 0.1, 0.2]);
  assert.ok(logTicks(Math.log10(4e-4), Math.log10(0.2)).length >= 4);
  // 160 decades (the vanish page) once had a label every 11 decades; now every 20.
  const long = logTicks(-160, 0).map((v) => Math.round(Math.log10(v)));
  assert.equal(long, [-160, -140, -120, -100, -80, -60, -40, -20, 0]);
  assert.equal(
    logTicks(-3.2, 0.1).map((v) => Math.round(Math.log10(v))),
    [-3, -2, -1, 0],
    'every decade when there are few',
  );
});

test('vanish: the RNN loses orders of magnitude over 100 steps, the LSTM with its forget gate near 1 does not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-vanish-'));
  try {
    const out = join(dir, 'vanish.html');
    const r = spawnSync(
      process.execPath,
      [join(repoRoot, 'dist/cli/main.js'), 'vanish', '--seeds', '3', '--out', out, '--json'],
      { encoding: 'utf8' },
    );
    assert.is(r.status, 0, r.stderr);
    const { length, norms, carousel } = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    assert.is(length, 100);
    const lost = (series: number[]) => Math.log10(series[99] / series[0]);
    assert.ok(lost(norms['RNN (tanh)']) > 10, `RNN lost ${lost(norms['RNN (tanh)'])} orders`);
    assert.ok(lost(norms['LSTM, forget bias 3']) < 3, `LSTM lost ${lost(norms['LSTM, forget bias 3'])} orders`);
    assert.ok(lost(norms['LSTM, forget bias 1']) < lost(norms.GRU) && lost(norms.GRU) < lost(norms['RNN (tanh)']));
    assert.ok(
      carousel.every((v: number, t: number) => t === 0 || v >= carousel[t - 1]),
      'the product of forget gates grows towards the last step',
    );
    const html = readFileSync(out, 'utf8');
    const svg = /<svg[\s\S]*<\/svg>/.exec(html)![0];
    checkXml(svg);
    assert.is((svg.match(/<polyline/g) ?? []).length, 6);
    assert.match(html, /∂c<sub>t<\/sub>\/∂c<sub>t−1<\/sub> = f<sub>t<\/sub>/, 'the caption typesets its subscripts');
    assert.not.match(html, /_\{|h_t|c_t/, 'no TeX left in the page');
    assert.ok(
      lost(norms['RNN (sigmoid)']) > lost(norms['RNN (tanh)']) + 0.5 * 99 * Math.log10(4),
      'the sigmoid RNN loses about log10 4 more orders a step (σ′ ≤ 1/4 against tanh′ ≤ 1)',
    );
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test.run();
