// The HTML report of a training run: its settings, the training curves (train and dev loss
// against examples seen), the final figures, and whatever the task adds (samples, gate
// histograms).
import { escapeXml, htmlPage, lineChart } from '../plot/svg.js';
import type { CurvePoint } from '../train/loop.js';

export interface ReportInput {
  title: string;
  settings: Record<string, unknown>;
  curve: readonly CurvePoint[];
  metric: string;
  /** Rows of the final-figures table. */
  results: [string, string][];
  /** Extra HTML sections. */
  sections?: { heading: string; html: string }[];
}

export function curveChart(curve: readonly CurvePoint[], title = 'Training curves'): string {
  return lineChart([
    { name: 'train loss', points: curve.filter((p) => Number.isFinite(p.trainLoss)).map((p) => [p.examples, p.trainLoss]) },
    { name: 'dev loss', points: curve.map((p) => [p.examples, p.devLoss]) },
  ], { title, xLabel: 'examples seen', yLabel: 'loss (nats)' });
}

export function reportHtml(input: ReportInput): string {
  const settings = Object.entries(input.settings).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`).join('');
  const results = input.results.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('');
  const points = input.curve.map((p) => `<tr><td>${p.step}</td><td>${p.examples}</td><td>${p.trainLoss.toFixed(4)}</td><td>${p.devLoss.toFixed(4)}</td><td>${p.value.toFixed(4)}</td></tr>`).join('');
  return htmlPage(input.title, [
    '<h2>Results</h2>', `<table>${results}</table>`,
    '<h2>Training curves</h2>', curveChart(input.curve),
    `<table><tr><th>step</th><th>examples</th><th>train loss</th><th>dev loss</th><th>dev ${escapeXml(input.metric)}</th></tr>${points}</table>`,
    ...(input.sections ?? []).flatMap((s) => [`<h2>${escapeXml(s.heading)}</h2>`, s.html]),
    '<h2>Settings</h2>', `<table>${settings}</table>`,
  ].join('\n'));
}
