// `rnnlab cells --model FILE --text FILE`: the activations of a character model's units over
// a text, as an HTML page that colours every character by one unit's value, with the units
// that correlate most with simple features of the text (inside quotes, bracket depth,
// position in the line): the "cell that tracks quotes" of Karpathy, Johnson & Fei-Fei (2015).
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { firstRankedUnit, loadCharModel, rankUnits, type FeatureRanking } from '../experiments/index.js';
import { writeFileAtomic } from '../index.js';
import { UsageError } from './args.js';
import { commonOptions, type Command } from './command.js';
import { escapeXml, htmlPage } from '../plot/svg.js';
import { formatTable } from './table.js';

/** What counts as quoted text: the Brown corpus writes its quotes as two backquotes and two apostrophes. */
const QUOTES_NOTE =
  "quotes: the characters from `` to '' (how the Brown corpus writes quotation marks) or between two \"";

export const cellsCommand: Command = {
  name: 'cells',
  summary:
    "colour a text by a character model's unit, and find the units that track quotes, bracket depth, line position",
  usage: '--model FILE --text FILE [--state h|c] [--unit N] [--chars N] [--out FILE] [--json]',
  options: {
    model: { type: 'string', help: 'a model.safetensors written by train --task chars' },
    text: { type: 'string', help: 'the text to read' },
    state: { type: 'string', help: 'hidden state h or cell state c (LSTM)', choices: ['h', 'c'], default: 'c' },
    unit: {
      type: 'integer',
      min: 0,
      help: 'the unit to colour by (default: the one most correlated with being inside quotes)',
    },
    chars: { type: 'integer', min: 2, help: 'read at most this many characters', default: 4000 },
    out: { type: 'string', help: 'where to write the HTML page', default: 'runs/cells.html' },
    ...commonOptions,
  },
  run(options) {
    if (options.model === undefined || options.text === undefined)
      throw new UsageError(
        'cells: --model and --text are required',
        options.model === undefined ? '--model' : '--text',
      );
    const textPath = options.text as string;
    if (!existsSync(textPath))
      throw new UsageError(`cells: --text ${textPath} does not exist; give a text file`, '--text');
    if (statSync(textPath).isDirectory())
      throw new UsageError(`cells: --text ${textPath} is a folder; give a text file`, '--text');
    const lm = loadCharModel(options.model as string);
    const alphabet = new Set(lm.alphabet);
    const read = [...readFileSync(textPath, 'utf8')];
    const unknown = read.filter((ch) => !alphabet.has(ch));
    const text = read
      .filter((ch) => alphabet.has(ch))
      .join('')
      .slice(0, options.chars as number);
    if (text.length < 2) throw new UsageError(`cells: ${options.text} has fewer than two characters the model knows`);
    const trace = lm.trace(text);
    // The cell state drifts far from zero; tanh(c), what the output gate reads, is bounded like h.
    const which = options.state === 'c' && trace.c !== undefined ? 'tanh(c)' : 'h';
    const states = which === 'tanh(c)' ? trace.c.map((v) => v.map(Math.tanh)) : trace.h;
    const H = states[0].length;
    const ranking = rankUnits(text, states);
    const unit = options.unit === undefined ? firstRankedUnit(ranking) : (options.unit as number);
    if (!Number.isInteger(unit) || unit < 0 || unit >= H)
      throw new UsageError(`cells: --unit must be an integer in [0, ${H}), got ${unit}`, '--unit');
    const values = states.map((v) => v[unit]);
    const spans = [...text]
      .map((ch, q) => {
        const v = values[q],
          alpha = Math.min(1, Math.abs(v)).toFixed(2);
        const color = v >= 0 ? `rgba(214,39,40,${alpha})` : `rgba(31,119,180,${alpha})`;
        const shown = ch === '\n' ? '↵<br>' : escapeXml(ch);
        return `<span title="${v.toFixed(3)}" style="background:${color}">${shown}</span>`;
      })
      .join('');
    const units = (r: FeatureRanking, each: (t: { unit: number; r: number }) => string) =>
      r.top.length === 0 ? 'the text does not vary in it' : r.top.map(each).join(', ');
    const table = ranking
      .map(
        (r) =>
          `<tr><th>${escapeXml(r.feature)}</th><td>${units(r, (t) => `unit ${t.unit} (r = ${t.r.toFixed(2)})`)}</td></tr>`,
      )
      .join('');
    const dropped =
      unknown.length === 0
        ? ''
        : `${unknown.length} characters of the file are not in the model's alphabet and were left out (${[
            ...new Set(unknown),
          ]
            .slice(0, 8)
            .map((ch) => JSON.stringify(ch))
            .join(', ')}).`;
    const legend =
      '<span style="display:inline-block;width:160px;height:12px;vertical-align:middle;border:1px solid #ccc;background:linear-gradient(to right,rgb(31,119,180),#fff,rgb(214,39,40))"></span>';
    const out = options.out as string;
    mkdirSync(dirname(out), { recursive: true });
    writeFileAtomic(
      out,
      htmlPage(
        `Unit ${unit} of ${which} over ${text.length} characters`,
        `<p>Each character coloured by the value of unit ${unit} of ${which} after reading it: −1 ${legend} +1. Hover a character for its value. ${escapeXml(dropped)}</p>
<h2>Units most correlated with features of the text</h2><table>${table}</table><p>${escapeXml(QUOTES_NOTE)}</p>
<h2>The text, coloured by unit ${unit}</h2><div style="font-family:monospace;line-height:1.6">${spans}</div>`,
      ),
    );
    if (dropped !== '') console.log(dropped);
    console.log(
      formatTable(
        ['feature', `units of ${which} most correlated (Pearson r)`],
        ranking.map((r) => [r.feature, units(r, (t) => `${t.unit} (${t.r.toFixed(2)})`)]),
      ),
    );
    console.log(QUOTES_NOTE);
    console.log(`coloured by unit ${unit}: ${out}`);
    if (options.json) console.log(JSON.stringify({ state: which, unit, characters: text.length, features: ranking }));
    return 0;
  },
};
