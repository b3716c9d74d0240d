// The HTML report of a training run: its settings, the training curves (the training loss
// at every step, smoothed, with the held-out loss over it; the metric on held-out data), the
// final figures, and whatever the task adds (samples, example outputs, gate histograms).
import { escapeXml, htmlPage, lineChart, spansDecades, type Series } from '../plot/svg.js';
import type { CurvePoint, Metric, StepPoint } from '../train/index.js';

export interface ReportInput {
  title: string;
  settings: Record<string, unknown>;
  curve: readonly CurvePoint[];
  /** The training loss of every step. */
  steps: readonly StepPoint[];
  /** The split the evaluations measure. */
  heldOut: 'dev' | 'test';
  metric: Metric;
  /** Rows of the final-figures table. */
  results: [string, string][];
  /** Extra HTML sections. */
  sections?: { heading: string; html: string }[];
}

/**
 * The loss a metric's task trains on, named with its unit, and the baseline in the same
 * unit where there is one: the mean's MSE, or the unigram model's cross-entropy in nats.
 */
export function lossOf(metric: Metric): { name: string; baseline: number | null } {
  switch (metric.name) {
    case 'mse':
      return { name: 'mean squared error', baseline: metric.baseline };
    case 'bpc':
      return { name: 'cross-entropy (nats per character)', baseline: metric.baseline * Math.LN2 };
    case 'nats':
      return { name: 'cross-entropy (nats per prediction)', baseline: metric.baseline };
    case 'perplexity':
      return { name: 'cross-entropy (nats per word)', baseline: Math.log(metric.baseline) };
    case 'accuracy':
      return { name: 'cross-entropy (nats per prediction)', baseline: null };
  }
}

/** The mean of each value and the ones before it, `window` in all (fewer at the start). */
export function movingAverage(values: readonly number[], window: number): number[] {
  let sum = 0;
  return values.map((v, q) => {
    sum += v - (q >= window ? values[q - window] : 0);
    return sum / Math.min(q + 1, window);
  });
}

/**
 * The training loss at every step (faint), its moving average over a fortieth of the steps,
 * and the held-out loss at each evaluation (dots), against examples seen, with the baseline
 * dashed; on a log axis when the losses span decades.
 */
export function curveChart(
  curve: readonly CurvePoint[],
  steps: readonly StepPoint[],
  metric: Metric,
  heldOut: 'dev' | 'test',
  title = 'Loss while training',
): string {
  const loss = lossOf(metric);
  const window = Math.max(1, Math.round(steps.length / 40));
  const raw = steps.map((p): [number, number] => [p.examples, p.loss]);
  const smooth = movingAverage(
    steps.map((p) => p.loss),
    window,
  ).map((v, q): [number, number] => [steps[q].examples, v]);
  const held = curve.map((p): [number, number] => [p.examples, p.devLoss]);
  const lastX = Math.max(1, ...curve.map((p) => p.examples), ...steps.map((p) => p.examples));
  const series: Series[] = [
    { name: 'train loss, each step', points: raw, color: '#1f77b4', faint: true },
    { name: `train loss, mean of ${window} step${window === 1 ? '' : 's'}`, points: smooth, color: '#1f77b4' },
    { name: `${heldOut} loss`, points: held, color: '#d62728', dotsOnly: true },
  ];
  if (loss.baseline !== null)
    series.push({
      name: 'baseline',
      points: [
        [0, loss.baseline],
        [lastX, loss.baseline],
      ],
      color: '#777',
      dashed: true,
    });
  const logY = spansDecades([...smooth, ...held].map((p) => p[1]));
  return lineChart(series, { title, xLabel: 'examples seen', yLabel: loss.name, logY });
}

/** The metric on the held-out split at each evaluation (an accuracy curve, for the classification tasks), with its baseline. */
export function metricChart(curve: readonly CurvePoint[], metric: Metric, heldOut: 'dev' | 'test'): string {
  const points = curve.map((p): [number, number] => [p.examples, p.value]);
  const lastX = Math.max(1, ...curve.map((p) => p.examples));
  const series: Series[] = [
    { name: `${heldOut} ${metric.name}`, points, color: '#d62728', markers: true },
    {
      name: 'baseline',
      points: [
        [0, metric.baseline],
        [lastX, metric.baseline],
      ],
      color: '#777',
      dashed: true,
    },
  ];
  const better = metric.higherIsBetter ? 'higher is better' : 'lower is better';
  return lineChart(series, {
    title: `${heldOut === 'dev' ? 'Dev' : 'Test'} ${metric.name} while training (${better})`,
    xLabel: 'examples seen',
    yLabel: `${heldOut} ${metric.name}`,
    logY: metric.name === 'perplexity' && spansDecades(points.map((p) => p[1])),
    ...(metric.name === 'accuracy' ? { yRange: [0, 1] as [number, number] } : {}),
  });
}

export function reportHtml(input: ReportInput): string {
  const settings = Object.entries(input.settings)
    .filter(([, v]) => v !== undefined)
    .map(
      ([k, v]) =>
        `<tr><th>${escapeXml(k)}</th><td>${escapeXml(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`,
    )
    .join('');
  const results = input.results.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('');
  const points = input.curve
    .map(
      (p) =>
        `<tr><td>${p.step}</td><td>${p.examples}</td><td>${p.trainLoss.toFixed(4)}</td><td>${p.devLoss.toFixed(4)}</td><td>${p.value.toFixed(4)}</td><td>${Number.isFinite(p.stepMs) ? p.stepMs.toFixed(1) : ''}</td></tr>`,
    )
    .join('');
  const split = input.heldOut;
  return htmlPage(
    input.title,
    [
      '<h2>Results</h2>',
      `<table>${results}</table>`,
      '<h2>Training curves</h2>',
      curveChart(input.curve, input.steps, input.metric, split),
      metricChart(input.curve, input.metric, split),
      `<p>The ${split === 'dev' ? 'dev split is held out from training and used for these checks; the final figure is on the test split' : 'task has no dev split: these checks, and the final figure, are on its held-out test set'}.</p>`,
      `<table><tr><th>step</th><th>examples</th><th>train loss (mean since the last row)</th><th>${split} loss</th><th>${split} ${escapeXml(input.metric.name)}</th><th>ms per training step</th></tr>${points}</table>`,
      ...(input.sections ?? []).flatMap((s) => [`<h2>${escapeXml(s.heading)}</h2>`, s.html]),
      '<h2>Settings</h2>',
      `<table>${settings}</table>`,
    ].join('\n'),
  );
}
