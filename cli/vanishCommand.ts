// `rnnlab vanish`: the textbook vanishing-gradient picture, computed. The norm of ∂L/∂h_t
// for every step t of a sequence whose loss sits on the last step only, for a plain RNN (tanh,
// and the sigmoid of Elman's network), a GRU and an LSTM (averaged over seeds), plus the
// LSTM's carousel path ∏ f.
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../index.js';
import { dirname } from 'node:path';
import { geometricMean, gradientProfile, type GradientProfile } from '../experiments/vanish.js';
import { commonOptions, type Command } from './command.js';
import { formatTable } from './table.js';
import { htmlPage, lineChart, type Series } from '../plot/svg.js';

export const vanishCommand: Command = {
  name: 'vanish',
  summary: 'measure ‖∂L/∂h_t‖ over time for an RNN (sigmoid and tanh), a GRU and an LSTM, and plot it on a log scale',
  usage: '[--length T] [--hidden H] [--seeds N] [--forget-bias B] [--out FILE] [--json]',
  options: {
    length: { type: 'integer', min: 2, help: 'sequence length T', default: 100 },
    hidden: { type: 'integer', min: 2, help: 'hidden units', default: 32 },
    seeds: { type: 'integer', min: 2, help: 'random initialisations to average over (geometric mean)', default: 5 },
    'forget-bias': { type: 'real', help: "the second LSTM's forget-gate bias (the first has 1)", default: 3 },
    out: { type: 'string', help: 'where to write the HTML page with the plot', default: 'runs/vanish.html' },
    ...commonOptions,
  },
  run(options) {
    const T = options.length as number,
      H = options.hidden as number,
      seeds = options.seeds as number;
    const bias = options['forget-bias'] as number;
    const carouselRun = `LSTM, forget bias ${bias}`;
    const runs: [string, 'rnn' | 'gru' | 'lstm', number, 'tanh' | 'sigmoid'][] = [
      ['RNN (sigmoid)', 'rnn', 1, 'sigmoid'],
      ['RNN (tanh)', 'rnn', 1, 'tanh'],
      ['GRU', 'gru', 1, 'tanh'],
      ['LSTM, forget bias 1', 'lstm', 1, 'tanh'],
      [carouselRun, 'lstm', bias, 'tanh'],
    ];
    const profiles = new Map<string, GradientProfile[]>();
    for (const [name, cell, forgetBias, nonlinearity] of runs) {
      profiles.set(
        name,
        Array.from({ length: seeds }, (_, s) =>
          gradientProfile(cell, { length: T, hiddenSize: H, inputSize: 8, seed: s + 1, forgetBias, nonlinearity }),
        ),
      );
    }
    const norms = new Map([...profiles].map(([name, ps]) => [name, geometricMean(ps.map((p) => p.h))]));
    // The carousel: ∂c_{T−1}/∂c_t along the cell state alone is ∏_{s>t} f_s (here the mean gate).
    const last = profiles.get(carouselRun)!;
    const carousel = geometricMean(
      last.map((p) => {
        const f = p.f!,
          product = new Array<number>(T).fill(1);
        for (let t = T - 2; t >= 0; t--) product[t] = product[t + 1] * f[t + 1];
        return product;
      }),
    );
    const at = [T - 1, Math.round(0.75 * (T - 1)), Math.round(0.5 * (T - 1)), Math.round(0.25 * (T - 1)), 0];
    const rows = [...norms].map(([name, n]) => [
      name,
      ...at.map((t) => n[t].toExponential(1)),
      `${Math.log10(n[T - 1] / n[0]).toFixed(1)}`,
    ]);
    rows.push([
      `∏ f (forget bias ${bias})`,
      ...at.map((t) => carousel[t].toExponential(1)),
      `${Math.log10(carousel[T - 1] / carousel[0]).toFixed(1)}`,
    ]);
    console.log(`‖∂L/∂h_t‖ with the loss at step ${T - 1} only, hidden ${H}, geometric mean over ${seeds} seeds`);
    console.log(formatTable(['', ...at.map((t) => `t=${t}`), 'orders lost'], rows));
    const series: Series[] = [...norms].map(([name, n]) => ({
      name,
      points: n.map((v, t) => [t, v] as [number, number]),
    }));
    series.push({
      name: `∏ f, forget bias ${bias}`,
      points: carousel.map((v, t) => [t, v] as [number, number]),
      dashed: true,
    });
    // In the picture, subscripts are typeset (Unicode in the chart, <sub> in the caption), not written as TeX.
    const svg = lineChart(series, {
      title: `‖∂L/∂hₜ‖, loss at the last of ${T} steps`,
      xLabel: 'step t',
      yLabel: '‖∂L/∂hₜ‖',
      logY: true,
      width: 760,
    });
    const out = options.out as string;
    mkdirSync(dirname(out), { recursive: true });
    writeFileAtomic(
      out,
      htmlPage(
        'The vanishing gradient, measured',
        `${svg}\n<p>Each curve is the geometric mean over ${seeds} random initialisations of the norm of ∂L/∂h<sub>t</sub>, where L = Σ h<sub>${T - 1}</sub> ⊙ r. The dashed curve is the product of the LSTM's mean forget gates from t to the end: the path of the constant error carousel, ∂c<sub>t</sub>/∂c<sub>t−1</sub> = f<sub>t</sub>.</p>`,
      ),
    );
    console.log(`plot ${out}`);
    if (options.json) {
      console.log(
        JSON.stringify({
          length: T,
          hidden: H,
          seeds,
          norms: Object.fromEntries([...norms].map(([k, v]) => [k, v])),
          carousel,
        }),
      );
    }
    return 0;
  },
};
