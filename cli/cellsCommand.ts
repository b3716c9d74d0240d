// `rnnlab cells --model FILE --text FILE`: the activations of a character model's units over
// a text, as an HTML page that colours every character by one unit's value, with the units
// that correlate most with simple features of the text (inside quotes, bracket depth,
// position in the line): the "cell that tracks quotes" of Karpathy, Johnson & Fei-Fei (2015).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadCharModel, rankUnits } from '../experiments/index.js';
import { UsageError } from './args.js';
import { commonOptions, type Command } from './command.js';
import { escapeXml, htmlPage } from '../plot/svg.js';
import { formatTable } from './table.js';

export const cellsCommand: Command = {
  name: 'cells',
  summary: 'colour a text by a character model\'s unit, and find the units that track quotes, bracket depth, line position',
  usage: '--model FILE --text FILE [--state h|c] [--unit N] [--chars N] [--out FILE] [--json]',
  options: {
    model: { type: 'string', help: 'a model.safetensors written by train --task chars' },
    text: { type: 'string', help: 'the text to read' },
    state: { type: 'string', help: 'hidden state h or cell state c (LSTM)', choices: ['h', 'c'], default: 'c' },
    unit: { type: 'number', help: 'the unit to colour by (default: the one most correlated with being inside quotes)' },
    chars: { type: 'number', help: 'read at most this many characters', default: 4000 },
    out: { type: 'string', help: 'where to write the HTML page', default: 'runs/cells.html' },
    ...commonOptions,
  },
  run(options) {
    if (options.model === undefined || options.text === undefined) throw new UsageError('cells: --model and --text are required', options.model === undefined ? '--model' : '--text');
    const lm = loadCharModel(options.model as string);
    const alphabet = new Set(lm.alphabet);
    const text = [...readFileSync(options.text as string, 'utf8')].filter((ch) => alphabet.has(ch)).join('').slice(0, options.chars as number);
    if (text.length < 2) throw new UsageError(`cells: ${options.text} has fewer than two characters the model knows`);
    const trace = lm.trace(text);
    const which = options.state as 'h' | 'c';
    const states = which === 'c' && trace.c !== undefined ? trace.c : trace.h;
    const H = states[0].length;
    const unitSeries = (u: number) => states.map((v) => v[u]);
    const ranking = rankUnits(text, states);
    const unit = options.unit === undefined ? ranking[0].top[0].unit : (options.unit as number);
    if (!Number.isInteger(unit) || unit < 0 || unit >= H) throw new UsageError(`cells: --unit must be an integer in [0, ${H}), got ${unit}`, '--unit');
    const values = unitSeries(unit), scale = Math.max(1e-9, ...values.map(Math.abs));
    const spans = [...text].map((ch, q) => {
      const v = values[q] / scale, alpha = Math.abs(v).toFixed(2);
      const color = v >= 0 ? `rgba(214,39,40,${alpha})` : `rgba(31,119,180,${alpha})`;
      const shown = ch === '\n' ? '↵<br>' : escapeXml(ch);
      return `<span title="${values[q].toFixed(3)}" style="background:${color}">${shown}</span>`;
    }).join('');
    const table = ranking.map((r) => `<tr><th>${escapeXml(r.feature)}</th><td>${r.top.map((t) => `unit ${t.unit} (r = ${t.r.toFixed(2)})`).join(', ')}</td></tr>`).join('');
    const out = options.out as string;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, htmlPage(`Unit ${unit} of ${which} over ${text.length} characters`,
      `<p>Red: positive, blue: negative, strength by magnitude (largest |value| ${scale.toFixed(3)}). Hover a character for its value.</p>
<h2>Units most correlated with features of the text</h2><table>${table}</table>
<h2>The text, coloured by unit ${unit}</h2><div style="font-family:monospace;line-height:1.6">${spans}</div>`));
    console.log(formatTable(['feature', `units of ${which} most correlated (Pearson r)`], ranking.map((r) => [r.feature, r.top.map((t) => `${t.unit} (${t.r.toFixed(2)})`).join(', ')])));
    console.log(`coloured by unit ${unit}: ${out}`);
    if (options.json) console.log(JSON.stringify({ state: which, unit, characters: text.length, features: ranking }));
    return 0;
  },
};
