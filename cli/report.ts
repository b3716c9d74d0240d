// The HTML report of a training run: its settings, the training curves (train and dev loss
// against examples seen), the final figures, and whatever the task adds (samples, gate
// histograms).
import { escapeXml, htmlPage, lineChart, spansDecades, type Series } from '../plot/svg.js';
import type { CurvePoint, Metric } from '../train/index.js';

export interface ReportInput {
  title: string;
  settings: Record<string, unknown>;
  curve: readonly CurvePoint[];
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
    case 'mse': return { name: 'mean squared error', baseline: metric.baseline };
    case 'bpc': return { name: 'cross-entropy (nats per character)', baseline: metric.baseline * Math.LN2 };
    case 'nats': return { name: 'cross-entropy (nats per prediction)', baseline: metric.baseline };
    case 'perplexity': return { name: 'cross-entropy (nats per word)', baseline: Math.log(metric.baseline) };
    case 'accuracy': return { name: 'cross-entropy (nats per prediction)', baseline: null };
  }
}

/** Train and dev loss against examples seen, with the baseline as a dashed line; on a log axis when the losses span decades. */
export function curveChart(curve: readonly CurvePoint[], metric: Metric, title = 'Training curves'): string {
  const loss = lossOf(metric);
  const train = curve.filter((p) => Number.isFinite(p.trainLoss)).map((p): [number, number] => [p.examples, p.trainLoss]);
  const dev = curve.map((p): [number, number] => [p.examples, p.devLoss]);
  const lastX = Math.max(1, ...curve.map((p) => p.examples));
  const series: Series[] = [{ name: 'train loss', points: train }, { name: 'dev loss', points: dev }];
  if (loss.baseline !== null) series.push({ name: 'baseline', points: [[0, loss.baseline], [lastX, loss.baseline]], color: '#777', dashed: true });
  const logY = spansDecades([...train, ...dev].map((p) => p[1]));
  return lineChart(series, { title, xLabel: 'examples seen', yLabel: loss.name, logY });
}

export function reportHtml(input: ReportInput): string {
  const settings = Object.entries(input.settings).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`).join('');
  const results = input.results.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('');
  const points = input.curve.map((p) => `<tr><td>${p.step}</td><td>${p.examples}</td><td>${p.trainLoss.toFixed(4)}</td><td>${p.devLoss.toFixed(4)}</td><td>${p.value.toFixed(4)}</td></tr>`).join('');
  return htmlPage(input.title, [
    '<h2>Results</h2>', `<table>${results}</table>`,
    '<h2>Training curves</h2>', curveChart(input.curve, input.metric),
    `<table><tr><th>step</th><th>examples</th><th>train loss</th><th>dev loss</th><th>dev ${escapeXml(input.metric.name)}</th></tr>${points}</table>`,
    ...(input.sections ?? []).flatMap((s) => [`<h2>${escapeXml(s.heading)}</h2>`, s.html]),
    '<h2>Settings</h2>', `<table>${settings}</table>`,
  ].join('\n'));
}
