// The playground's panels as HTML: each a function from the worker's views to markup, with
// the charts drawn by the same code as the CLI's reports (plot/svg.ts).
import { escapeXml, lineChart, scatterChart, spansDecades, type Series } from '../plot/svg.js';
import type { Config } from './config.js';
import type { EvalView, FlowView, GradcheckView, InspectView, Metric, StepView } from './messages.js';

/** Training loss averaged over each run of `every` steps (one point per run), against examples seen. */
function smoothed(steps: readonly StepView[], every: number): [number, number][] {
  const out: [number, number][] = [];
  for (let q = 0; q < steps.length; q += every) {
    const run = steps.slice(q, q + every).filter((s) => Number.isFinite(s.loss));
    if (run.length > 0) out.push([run[run.length - 1].examples, run.reduce((a, s) => a + s.loss, 0) / run.length]);
  }
  return out;
}

/** The loss chart; its y axis linear, logarithmic, or ('auto') logarithmic once the losses span more than a decade. */
export function curves(
  steps: readonly StepView[],
  evals: readonly EvalView[],
  metric: Metric,
  scale: 'auto' | 'linear' | 'log',
): string {
  const train = smoothed(steps, Math.max(1, Math.ceil(steps.length / 300)));
  const dev = evals.map((e): [number, number] => [e.examples, e.loss]);
  const lastX = Math.max(1, ...train.map((p) => p[0]), ...dev.map((p) => p[0]));
  const series: Series[] = [
    { name: 'training loss', points: train },
    { name: 'held-out loss', points: dev.length === 1 ? [dev[0], [lastX, dev[0][1]]] : dev, color: '#d62728' },
    {
      name: `baseline (${metric.loss.baselineName})`,
      points: [
        [0, metric.loss.baseline],
        [lastX, metric.loss.baseline],
      ],
      color: '#777',
      dashed: true,
    },
  ];
  const logY = scale === 'log' || (scale === 'auto' && spansDecades([...train, ...dev].map((p) => p[1])));
  return lineChart(series, {
    title: 'Loss while training',
    xLabel: 'examples seen',
    yLabel: metric.loss.name,
    logY,
    width: 820,
    height: 300,
  });
}

export function speed(
  steps: readonly StepView[],
  backend: string,
  compare: { fused: number; unfused: number } | null,
): string {
  const recent = steps
    .slice(-20)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  const median = recent.length === 0 ? NaN : recent[Math.floor(recent.length / 2)];
  const build = steps.at(-1)?.build ?? '–';
  const versus =
    compare === null
      ? ''
      : ` · one training batch's forward and backward: fused <b id="fused-ms">${compare.fused.toFixed(1)} ms</b>, unfused <b id="unfused-ms">${compare.unfused.toFixed(1)} ms</b> (${(compare.unfused / compare.fused).toFixed(2)}×)`;
  return `<p class="status">${Number.isFinite(median) ? `<b id="ms-per-step">${median.toFixed(1)} ms</b> per step (median of the last ${recent.length})` : 'no steps yet'} · kernels: <b id="build">${build}</b> build on the <b id="backend">${escapeXml(backend)}</b> backend${versus}</p>`;
}

/** The text, each step coloured by unit `unit` of term `term` (tanh(c) for the cell state: bounded, as the literature shows it). */
export function activations(view: InspectView, term: string, unit: number): string {
  const series = termValues(view, term).map((v) => v[unit] ?? 0);
  return view.symbols
    .map((symbol, t) => {
      const v = Math.max(-1, Math.min(1, series[t])),
        a = Math.abs(v).toFixed(2);
      const color = v >= 0 ? `rgba(214,39,40,${a})` : `rgba(31,119,180,${a})`;
      const shown = symbol === '\n' ? '↵\n' : view.text === null ? `${escapeXml(symbol)} ` : escapeXml(symbol);
      return `<span data-t="${t}" title="${series[t].toFixed(3)}" style="background:${color}">${shown}</span>`;
    })
    .join('');
}

/** The values of a term, [t][unit]; the cell state passes through tanh. */
export function termValues(view: InspectView, term: string): number[][] {
  const values = view.terms[term] ?? [];
  return term === 'c' ? values.map((v) => v.map(Math.tanh)) : values;
}

export function termLabel(term: string): string {
  return term === 'c' ? 'tanh(c)' : term;
}

/** The five likeliest next characters after step t, as plain text. */
export function top5(view: InspectView, t: number): string {
  if (view.top5 === null) return '';
  const next = view.top5[t].map((p) => `${JSON.stringify(p.symbol)} ${(100 * p.p).toFixed(1)}%`).join(' · ');
  return `after ${JSON.stringify(view.symbols[t])} (step ${t}), the model expects: ${next}`;
}

export function ranking(view: InspectView, pinned: number): string {
  if (view.ranking === null) return '';
  const rows = view.ranking
    .map(
      (r) =>
        `<tr><th>${escapeXml(r.feature)}</th><td>${
          r.top.length === 0
            ? 'the text does not vary in it'
            : r.top
                .map(
                  (u) =>
                    `<span class="unit${u.unit === pinned ? ' pinned' : ''}" data-unit="${u.unit}">unit ${u.unit}</span> (r = ${u.r.toFixed(2)})`,
                )
                .join(', ')
        }</td></tr>`,
    )
    .join('');
  return `<p class="caption">Units of ${escapeXml(view.ranking[0]?.state ?? 'h')} most correlated (Pearson r) with features of the text:</p><table>${rows}</table>`;
}

/** Per gate, a scatter of every unit: the fraction of steps below 0.1 against the fraction above 0.9. */
export function saturation(view: InspectView): string {
  const gates = ['f', 'i', 'o', 'r', 'z'].filter((g) => view.terms[g] !== undefined);
  if (gates.length === 0) return '<p class="caption">This cell has no gates.</p>';
  const names: Record<string, string> = {
    f: 'forget gate f',
    i: 'input gate i',
    o: 'output gate o',
    r: 'reset gate r',
    z: 'update gate z',
  };
  return gates
    .map((g) => {
      const steps = view.terms[g],
        H = steps[0].length;
      const points = Array.from({ length: H }, (_, u) => {
        const col = steps.map((v) => v[u]);
        const x = col.filter((v) => v < 0.1).length / col.length,
          y = col.filter((v) => v > 0.9).length / col.length;
        return { x, y, label: `unit ${u}: ${(100 * x).toFixed(0)}% below 0.1, ${(100 * y).toFixed(0)}% above 0.9` };
      });
      return scatterChart(points, { title: names[g], xLabel: 'fraction of steps < 0.1', yLabel: 'fraction > 0.9' });
    })
    .join('');
}

export function flow(view: FlowView, cell: string): string {
  const points = (v: number[]) => v.map((y, t): [number, number] => [t, y]);
  const series: Series[] = [
    { name: `current ${cell.toUpperCase()}`, points: points(view.current.h), color: '#000' },
    ...Object.entries(view.init).map(([name, v]) => ({
      name: `${name.toUpperCase()} at init`,
      points: points(v),
      dashed: true,
    })),
  ];
  return lineChart(series, {
    title: '‖∂L/∂hₜ‖, loss on the last step (the current model in float64)',
    xLabel: 'step t',
    yLabel: '‖∂L/∂hₜ‖',
    logY: true,
    width: 820,
    height: 300,
  });
}

/** The cell's equations with the numbers of unit u at step t (h and c of the step before for the recurrent terms). */
export function equations(
  view: InspectView,
  config: Pick<Config, 'cell' | 'resetAfter' | 'updateGate'>,
  t: number,
  u: number,
): string {
  const { cell, resetAfter } = config;
  const at = (term: string, step: number) => view.terms[term]?.[step]?.[u];
  const n = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(3));
  const hPrev = t > 0 ? at('h', t - 1) : 0;
  const head = `<p class="caption">step ${t} (${escapeXml(JSON.stringify(view.symbols[t] ?? ''))}), unit ${u}</p>`;
  if (cell === 'lstm') {
    const cPrev = t > 0 ? at('c', t - 1) : 0;
    const f = at('f', t),
      i = at('i', t),
      g = at('g', t),
      o = at('o', t),
      c = at('c', t),
      h = at('h', t);
    return (
      head +
      `<div class="eq">
f = σ(W_f·[x, h₋₁] + b_f) = ${n(f)}<br>
i = σ(W_i·[x, h₋₁] + b_i) = ${n(i)}<br>
g = tanh(W_g·[x, h₋₁] + b_g) = ${n(g)}<br>
o = σ(W_o·[x, h₋₁] + b_o) = ${n(o)}<br>
c = f ⊙ c₋₁ + i ⊙ g = ${n(f ?? 1)} × ${n(cPrev)} + ${n(i ?? 1)} × ${n(g)} = ${n(c)}<br>
h = o ⊙ tanh(c) = ${n(o ?? 1)} × ${n(c === undefined ? undefined : Math.tanh(c))} = ${n(h)}<br>
∂c/∂c₋₁ = f = ${n(f ?? 1)} (the carousel: what of the cell state survives this step)</div>`
    );
  }
  if (cell === 'gru') {
    const r = at('r', t),
      z = at('z', t),
      nn = at('n', t),
      h = at('h', t);
    return (
      head +
      `<div class="eq">
r = σ(W_r·x + U_r·h₋₁ + b_r) = ${n(r)}<br>
z = σ(W_z·x + U_z·h₋₁ + b_z) = ${n(z)}<br>
${resetAfter ? 'n = tanh(W_n·x + r ⊙ (U_n·h₋₁ + b_hn) + b_in)' : 'n = tanh(W_n·x + U_n·(r ⊙ h₋₁) + b_n)'} = ${n(nn)}<br>
${
  config.updateGate === 'keeps'
    ? `h = (1 − z) ⊙ n + z ⊙ h₋₁ = ${n(z === undefined ? undefined : 1 - z)} × ${n(nn)} + ${n(z)} × ${n(hPrev)} = ${n(h)} (z keeps)`
    : `h = (1 − z) ⊙ h₋₁ + z ⊙ n = ${n(z === undefined ? undefined : 1 - z)} × ${n(hPrev)} + ${n(z)} × ${n(nn)} = ${n(h)} (z writes)`
}</div>`
    );
  }
  return head + `<div class="eq">h = tanh(W·x + U·h₋₁ + b) = ${n(at('h', t))}<br>with h₋₁ = ${n(hPrev)}</div>`;
}

export function gradcheckTable(view: GradcheckView): string {
  const rows = view.tensors
    .map(
      (t) =>
        `<tr><td>${escapeXml(t.name)}</td><td>[${t.shape.join(', ')}]</td><td>${t.maxRelErr.toExponential(2)}</td><td>${t.failures === 0 ? '<span class="pass">pass</span>' : `<span class="fail">${t.failures} fail</span>`}</td></tr>`,
    )
    .join('');
  return `<p id="gradcheck-verdict" class="${view.ok ? 'pass' : 'fail'}">${view.ok ? 'pass' : 'FAIL'}: ${escapeXml(view.what)}; ε = ${view.eps}, passing when |analytic − numeric| ≤ ${view.atol} + ${view.rtol}·|numeric|.</p>
<table><tr><th>parameter</th><th>shape</th><th>worst relative error</th><th></th></tr>${rows}</table>`;
}
