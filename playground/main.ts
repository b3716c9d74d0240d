// The playground page: controls that write the configuration into the URL, a worker that
// trains, and panels redrawn from what it reports. The page itself only draws: every number
// comes from the worker, so the page never waits on training.
import {
  cellChoices,
  defaults,
  formatConfig,
  lstmVariantChoices,
  optimizerChoices,
  parseConfig,
  structural,
  taskChoices,
  taskDefaults,
  type Config,
} from './config.js';
import type { Command, EvalView, InspectView, Metric, Report, StepView } from './messages.js';
import * as panels from './panels.js';

const $ = (id: string) => document.getElementById(id)!;

const state = {
  config: parseConfig(location.search).config,
  metric: null as Metric | null,
  backend: '–',
  steps: [] as StepView[],
  evals: [] as EvalView[],
  inspect: null as InspectView | null,
  term: 'c',
  scale: 'auto' as 'auto' | 'linear' | 'log',
  unit: 0,
  /** Whether the reader chose the unit (else the one that tracks quotes best is shown). */
  pinned: false,
  hovered: 0,
  playing: false,
  compare: null as { fused: number; unfused: number } | null,
  /** The run the page shows: reports of an earlier one (in flight when it was replaced) are dropped. */
  run: 0,
};

const worker = new Worker('/playground/worker.js', { type: 'module' });
const send = (command: Command) => worker.postMessage(command);

/** A labelled select or number input bound to a key of the configuration. */
function field(key: keyof Config, label: string, options: readonly string[] | null, step = 'any'): string {
  const value = String(state.config[key]);
  const input =
    options === null
      ? `<input type="number" id="cfg-${key}" step="${step}" value="${value}">`
      : `<select id="cfg-${key}">${options.map((o) => `<option${o === value ? ' selected' : ''}>${o}</option>`).join('')}</select>`;
  return `<label>${label} ${input}</label>`;
}

function drawControls(): void {
  const c = state.config;
  $('choices').innerHTML = [
    field('task', 'task', taskChoices),
    field('cell', 'cell', cellChoices),
    c.cell === 'lstm' ? field('variant', 'LSTM variant', lstmVariantChoices) : '',
    c.cell === 'gru' ? field('resetAfter', 'GRU reset after', ['true', 'false']) : '',
    c.cell === 'gru' ? field('updateGate', 'GRU z', ['keeps', 'writes']) : '',
    field('hidden', 'hidden', null, '1'),
    field('layers', 'layers', null, '1'),
    field('optimizer', 'optimizer', optimizerChoices),
    field('seed', 'seed', null, '1'),
    field('backend', 'backend', ['wasm', 'js']),
  ].join('');
  $('live').innerHTML = [
    field('lr', 'learning rate', null),
    field('clip', 'clip norm (0: off)', null),
    field('temperature', 'temperature', null),
    field('build', 'kernels', ['fused', 'unfused']),
    '<button id="compare">Time fused vs unfused</button>',
  ].join('');
  for (const key of Object.keys(defaults) as (keyof Config)[]) {
    const input = document.getElementById(`cfg-${key}`) as HTMLInputElement | HTMLSelectElement | null;
    input?.addEventListener('change', () => changed(key, input.value));
  }
  $('compare').addEventListener('click', () => send({ kind: 'compare' }));
}

/**
 * A control changed: check it through the URL's parser, then restart or apply it live. A value
 * the parser refuses is named and the field shows the value in force again; the run goes on.
 * A new task starts from that task's defaults.
 */
function changed(key: keyof Config, value: string): void {
  const query = new URLSearchParams(formatConfig(state.config));
  query.set(key, value);
  if (key === 'task')
    for (const [k, v] of Object.entries(taskDefaults[value as Config['task']] ?? {})) query.set(k, String(v));
  const { config, ignored } = parseConfig(query.toString());
  if (ignored.length > 0) {
    showError(`not a valid setting, so not applied: ${ignored.join(', ')}`);
    drawControls();
    return;
  }
  showError(null);
  state.config = config;
  history.replaceState(null, '', `?${formatConfig(config)}`);
  if (structural.includes(key)) restart();
  else send({ kind: 'live', config });
  if (key === 'temperature') send({ kind: 'inspect' });
  if (key === 'cell' || key === 'task') drawControls();
}

function restart(): void {
  Object.assign(state, {
    steps: [],
    evals: [],
    inspect: null,
    compare: null,
    metric: null,
    unit: 0,
    pinned: false,
    hovered: 0,
    run: state.run + 1,
  });
  $('status').textContent = 'building the model…';
  send({ kind: 'reset', config: state.config, run: state.run });
}

function showError(message: string | null): void {
  const box = $('error');
  box.hidden = message === null;
  box.textContent = message ?? '';
}

function drawCurves(): void {
  if (state.metric === null) return;
  $('curves').innerHTML = panels.curves(state.steps, state.evals, state.metric, state.scale);
  $('speed').innerHTML = panels.speed(state.steps, state.backend, state.compare);
  const last = state.steps.at(-1),
    e = state.evals.at(-1),
    m = state.metric.measure;
  const measure =
    e === undefined ? '' : ` · held-out ${m.name} ${e.value.toFixed(3)} (baseline ${m.baseline.toFixed(3)})`;
  $('status').textContent =
    `${state.playing ? 'training' : 'paused'} · step ${last?.step ?? 0} · ${last?.examples ?? 0} examples${measure}`;
  // The figures the charts show, as data: for a reader's tools and the browser spec.
  Object.assign($('status').dataset, { step: String(last?.step ?? 0), playing: String(state.playing) });
  Object.assign($('curves').dataset, {
    baseline: String(state.metric.loss.baseline),
    evals: JSON.stringify(state.evals),
    run: String(state.run),
    steps: JSON.stringify(state.steps.map((v) => v.step)),
  });
}

function drawInspection(): void {
  const view = state.inspect;
  if (view === null) return;
  const terms = Object.keys(view.terms);
  if (!terms.includes(state.term)) state.term = terms.includes('c') ? 'c' : 'h';
  const H = view.terms.h[0].length;
  $('unit-controls').innerHTML =
    `<label>colour by <select id="term">${terms.map((t) => `<option value="${t}"${t === state.term ? ' selected' : ''}>${panels.termLabel(t)}</option>`).join('')}</select></label>
<label>unit <input type="number" id="unit" min="0" max="${H - 1}" step="1" value="${state.unit}"></label>
<span class="caption">−1 <span class="legend"></span> +1</span>`;
  $('term').addEventListener('change', (e) => {
    state.term = (e.target as HTMLSelectElement).value;
    drawInspection();
  });
  $('unit').addEventListener('change', (e) => pin(Number((e.target as HTMLInputElement).value)));
  $('activations').innerHTML = panels.activations(view, state.term, state.unit);
  Object.assign($('activations').dataset, { steps: String(view.symbols.length), unit: String(state.unit) });
  $('ranking').innerHTML = panels.ranking(view, state.unit);
  $('sample').textContent = view.sample ?? '(character tasks only)';
  $('saturation').innerHTML = panels.saturation(view);
  drawHover();
}

function drawHover(): void {
  const view = state.inspect;
  if (view === null) return;
  const t = Math.min(state.hovered, view.symbols.length - 1);
  $('top5').textContent = panels.top5(view, t);
  $('equations').innerHTML = panels.equations(view, state.config, t, state.unit);
}

function pin(unit: number): void {
  const H = state.inspect?.terms.h[0].length ?? 1;
  if (!Number.isInteger(unit) || unit < 0 || unit >= H)
    return showError(`unit must be a whole number in [0, ${H}), got ${unit}`);
  state.unit = unit;
  state.pinned = true;
  drawInspection();
}

worker.onmessage = (event: MessageEvent<Report>) => {
  const r = event.data;
  if (r.run !== state.run) return;
  switch (r.kind) {
    case 'ready':
      Object.assign(state, { metric: r.metric, backend: `${r.backend}: ${r.backendNote}` });
      $('status').textContent = `ready: ${r.parameters} parameters`;
      break;
    case 'steps':
      state.steps.push(...r.steps);
      drawCurves();
      break;
    case 'eval':
      state.evals.push(r.eval);
      drawCurves();
      break;
    case 'state':
      state.playing = r.playing;
      $('play').textContent = r.playing ? 'Pause' : 'Play';
      drawCurves();
      break;
    case 'inspect':
      state.inspect = r.view;
      if (!state.pinned && r.view.ranking !== null)
        state.unit = r.view.ranking.find((f) => f.top.length > 0)?.top[0].unit ?? 0;
      drawInspection();
      break;
    case 'flow':
      $('flow').innerHTML = panels.flow(r.view, state.config.cell);
      break;
    case 'gradcheck':
      $('gradcheck-result').innerHTML = panels.gradcheckTable(r.view);
      break;
    case 'compare':
      state.compare = { fused: r.fused, unfused: r.unfused };
      drawCurves();
      break;
    case 'error':
      showError(r.message);
      break;
  }
};
worker.onerror = (event) => showError(`the worker failed: ${event.message}`);

$('scale').addEventListener('change', (e) => {
  state.scale = (e.target as HTMLSelectElement).value as typeof state.scale;
  drawCurves();
});
$('play').addEventListener('click', () => send({ kind: state.playing ? 'pause' : 'play' }));
$('step').addEventListener('click', () => send({ kind: 'step' }));
$('reset').addEventListener('click', restart);
$('gradcheck').addEventListener('click', () => {
  $('gradcheck-result').textContent = 'checking…';
  send({ kind: 'gradcheck' });
});
$('activations').addEventListener('mouseover', (e) => {
  const t = (e.target as HTMLElement).dataset.t;
  if (t === undefined) return;
  state.hovered = Number(t);
  document.querySelector('.text-map span.hovered')?.classList.remove('hovered');
  (e.target as HTMLElement).classList.add('hovered');
  drawHover();
});
$('ranking').addEventListener('click', (e) => {
  const unit = (e.target as HTMLElement).dataset.unit;
  if (unit !== undefined) pin(Number(unit));
});

const { ignored } = parseConfig(location.search);
if (ignored.length > 0) showError(`the link's settings ${ignored.join(', ')} are not valid; their defaults are used`);
history.replaceState(null, '', `?${formatConfig(state.config)}`);
drawControls();
restart();
