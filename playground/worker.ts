// The playground's training worker: it owns the model and trains it in slices of about
// 100 ms, yielding between them so that the page's commands (pause, a new learning rate)
// arrive while it trains, and so that the page itself never waits on training.
import { getBackend, setBackend, wasmAvailable, withScope } from '../browser.js';
import type { Config } from './config.js';
import type { Command, Report, ReportBody, StepView } from './messages.js';
import { makeSession, type Session, type TextData } from './session.js';

interface WorkerScope {
  postMessage(report: Report): void;
  onmessage: ((event: MessageEvent<Command>) => void) | null;
}
const scope = self as unknown as WorkerScope;

/** Evaluate on held-out data every this many steps, and refresh the inspection panels every INSPECT_EVERY. */
const EVAL_EVERY = 10;
const INSPECT_EVERY = 50;
const SLICE_MS = 100;

let session: Session | null = null;
let playing = false;
let brown: Promise<TextData> | null = null;
/** The run the page asked for last: every report carries it. */
let run = 0;

const post = (report: ReportBody) => scope.postMessage({ ...report, run });

async function textFor(config: Config): Promise<TextData | null> {
  if (config.task !== 'chars') return null;
  brown ??= fetch('/data/brown.json').then(async (r) => {
    if (!r.ok) throw new Error(`the server sent no Brown text (HTTP ${r.status})`);
    return (await r.json()) as TextData;
  });
  return brown;
}

async function reset(config: Config, id: number): Promise<void> {
  playing = false;
  session = null;
  run = id;
  const data = await textFor(config);
  if (run !== id) return;
  const wasm = wasmAvailable();
  setBackend(config.backend === 'wasm' && wasm.ok ? 'wasm' : 'js');
  session = makeSession(config, data);
  const note =
    getBackend() === 'wasm'
      ? 'WebAssembly SIMD128 kernels'
      : config.backend === 'wasm'
        ? `TypeScript kernels, since ${wasm.why}`
        : 'TypeScript kernels';
  post({
    kind: 'ready',
    backend: getBackend(),
    backendNote: note,
    metric: session.metric,
    parameters: session.layer.store.size,
    config: session.config,
  });
  post({ kind: 'state', playing });
  evaluate(session);
  inspect(session);
}

function evaluate(s: Session): void {
  // Each view in an allocation scope: what it made is freed when it is drawn up.
  const e = withScope(() => s.evaluate());
  post({ kind: 'eval', eval: { examples: s.steps * s.examplesPerStep, loss: e.loss, value: e.value } });
}

function inspect(s: Session): void {
  post({ kind: 'inspect', view: withScope(() => s.inspect(s.config.temperature)) });
  post({ kind: 'flow', view: withScope(() => s.flow()) });
}

/** Steps for about SLICE_MS, then the reports, then a yield before the next slice. */
function trainSlice(): void {
  const s = session;
  if (s === null || !playing) return;
  const steps: StepView[] = [];
  const start = performance.now();
  try {
    do {
      steps.push(s.step());
      if (s.steps % EVAL_EVERY === 0) break;
    } while (performance.now() - start < SLICE_MS);
    post({ kind: 'steps', steps });
    if (s.steps % EVAL_EVERY === 0) evaluate(s);
    if (s.steps % INSPECT_EVERY === 0) inspect(s);
  } catch (err) {
    playing = false;
    post({ kind: 'state', playing });
    post({ kind: 'error', message: (err as Error).message });
    return;
  }
  setTimeout(trainSlice, 0);
}

async function handle(command: Command): Promise<void> {
  if (command.kind === 'reset') return reset(command.config, command.run);
  const s = session;
  if (s === null) return;
  switch (command.kind) {
    case 'play':
      if (!playing) {
        playing = true;
        post({ kind: 'state', playing });
        setTimeout(trainSlice, 0);
      }
      return;
    case 'pause':
      playing = false;
      post({ kind: 'state', playing });
      return;
    case 'step':
      if (playing) return;
      post({ kind: 'steps', steps: [s.step()] });
      evaluate(s);
      inspect(s);
      return;
    case 'live':
      s.applyLive(command.config);
      return;
    case 'inspect':
      inspect(s);
      return;
    case 'gradcheck':
      post({ kind: 'gradcheck', view: withScope(() => s.gradcheck()) });
      return;
    case 'compare':
      post({ kind: 'compare', ...s.compareBuilds() });
      return;
  }
}

scope.onmessage = (event) => {
  handle(event.data).catch((err: Error) => post({ kind: 'error', message: err.message }));
};
