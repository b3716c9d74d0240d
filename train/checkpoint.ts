// Checkpoints: everything a training run needs to continue exactly where it stopped, in one
// .safetensors file (written atomically: a temporary file, then a rename).
//
//   tensors     param/<name>   every parameter, in the store's dtype
//               optim/<name>   every optimizer state buffer (moments, accumulators)
//               run/<name>     what else the caller's next step depends on (a carried state)
//   __metadata__ format  'rnnlab-checkpoint/1'
//               step     training steps done
//               optimizer {name, lr, stepCount} as JSON
//               rngs     {name: [four 32-bit words]} as JSON: every random stream the run draws from
//               schedule the learning-rate schedule's state as JSON
//               config   the caller's description of the run (model, task, flags) as JSON
//
// Loading checks every name, shape and dtype against the model and optimizer first and
// writes nothing unless all of it fits, so a rejected file leaves the run as it was.
import { checkFiniteValues, FormatError, shapeStr, type Buf, type ParamStore, type Rng } from '../core/index.js';
import { loadSafetensors, saveSafetensors } from '../core/files.js';
import type { Optimizer } from './optimizers.js';
import type { Schedule } from './schedule.js';

export const CHECKPOINT_FORMAT = 'rnnlab-checkpoint/1';

export interface TrainingState {
  store: ParamStore;
  optimizer?: Optimizer;
  rngs?: Record<string, Rng>;
  schedule?: Schedule;
  /** Tensors saved beside the weights as run/<name> (loading hands them back). */
  tensors?: Record<string, { shape: readonly number[]; data: Buf }>;
}

export interface CheckpointInfo {
  step: number;
  config: unknown;
}

export interface LoadedCheckpoint extends CheckpointInfo {
  /** The run/<name> tensors, by name, checked to be finite. */
  tensors: Record<string, { shape: number[]; data: Buf }>;
}

export function saveCheckpoint(path: string, state: TrainingState, step: number, config: unknown = null): void {
  const tensors: Record<string, { shape: readonly number[]; data: Buf }> = {};
  for (const [name, t] of state.store.entries()) tensors[`param/${name}`] = { shape: t.shape, data: t.data };
  const optimizer = state.optimizer;
  if (optimizer !== undefined)
    for (const [name, buf] of optimizer.state()) tensors[`optim/${name}`] = { shape: [buf.length], data: buf };
  for (const [name, t] of Object.entries(state.tensors ?? {}))
    tensors[`run/${name}`] = { shape: t.shape, data: t.data };
  const rngs = Object.fromEntries(Object.entries(state.rngs ?? {}).map(([name, rng]) => [name, rng.getState()]));
  saveSafetensors(path, tensors, {
    format: CHECKPOINT_FORMAT,
    step: String(step),
    optimizer: JSON.stringify(
      optimizer === undefined ? null : { name: optimizer.name, lr: optimizer.lr, stepCount: optimizer.stepCount },
    ),
    rngs: JSON.stringify(rngs),
    schedule: JSON.stringify(state.schedule?.state() ?? null),
    config: JSON.stringify(config),
  });
}

/** Read a checkpoint's step and config without loading it (to rebuild the model it fits). */
export function readCheckpointInfo(path: string): CheckpointInfo {
  const { metadata } = loadSafetensors(path);
  checkFormat(path, metadata);
  return { step: Number(metadata.step), config: parse(path, metadata, 'config') };
}

export function loadCheckpoint(path: string, state: TrainingState): LoadedCheckpoint {
  const { tensors, metadata } = loadSafetensors(path);
  checkFormat(path, metadata);
  const fail = (why: string): never => {
    throw new Error(`checkpoint ${path}: ${why}; nothing was loaded`);
  };
  const { store, optimizer } = state;
  const wanted = store.dtype === 'f64' ? 'F64' : 'F32';
  /** A tensor of the store's dtype, checked finite. */
  const values = (key: string, what: string): Buf => {
    const saved = tensors[key];
    if (saved.dtype !== wanted) fail(`${what} is ${saved.dtype} in the file but the model is ${store.dtype}`);
    checkFinite(path, key, saved.data as Buf);
    return saved.data as Buf;
  };
  const loaded = new Map<string, Buf>();
  const expected = new Set<string>();
  for (const [name, t] of store.entries()) {
    const key = `param/${name}`;
    expected.add(key);
    const saved = tensors[key];
    if (saved === undefined) fail(`it has no parameter ${name} (the model has ${store.entries().length} parameters)`);
    if (saved.shape.length !== t.shape.length || saved.shape.some((d, q) => d !== t.shape[q])) {
      fail(`parameter ${name} is ${shapeStr(saved.shape)} in the file but ${shapeStr(t.shape)} in the model`);
    }
    loaded.set(key, values(key, `parameter ${name}`));
  }
  const optimizerMeta = parse(path, metadata, 'optimizer') as { name: string; lr: number; stepCount: number } | null;
  if (optimizer !== undefined) {
    if (optimizerMeta === null) fail('it holds no optimizer state');
    if (optimizerMeta!.name !== optimizer.name)
      fail(`its optimizer is ${optimizerMeta!.name}, the run's is ${optimizer.name}`);
    // Read from a file, the optimizer's learning rate and step count pass the checks its constructor makes.
    const { lr, stepCount } = optimizerMeta!;
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0)
      fail(`its optimizer's lr must be a finite number ≥ 0, got ${JSON.stringify(lr)}`);
    if (!Number.isSafeInteger(stepCount) || stepCount < 0)
      fail(`its optimizer's stepCount must be an integer ≥ 0, got ${JSON.stringify(stepCount)}`);
    for (const [name, buf] of optimizer.state()) {
      const key = `optim/${name}`;
      expected.add(key);
      const saved = tensors[key];
      if (saved === undefined || saved.data.length !== buf.length)
        fail(`optimizer state ${name} is missing or has the wrong size`);
      loaded.set(key, values(key, `optimizer state ${name}`));
    }
  }
  const runTensors: LoadedCheckpoint['tensors'] = {};
  for (const [key, t] of Object.entries(tensors)) {
    if (!key.startsWith('run/')) continue;
    expected.add(key);
    runTensors[key.slice(4)] = { shape: t.shape, data: values(key, `tensor ${key}`) };
  }
  const extra = Object.keys(tensors).filter(
    (k) => !expected.has(k) && (optimizer !== undefined || !k.startsWith('optim/')),
  );
  if (extra.length > 0) fail(`it holds tensors the model does not have: ${extra.slice(0, 5).join(', ')}`);
  const rngStates = parse(path, metadata, 'rngs') as Record<string, number[]>;
  for (const name of Object.keys(state.rngs ?? {}))
    if (rngStates?.[name] === undefined) fail(`it has no state for the random stream ${name}`);

  for (const [name, t] of store.entries()) t.data.set(loaded.get(`param/${name}`)!);
  if (optimizer !== undefined) {
    for (const [name, buf] of optimizer.state()) buf.set(loaded.get(`optim/${name}`)!);
    optimizer.lr = optimizerMeta!.lr;
    optimizer.stepCount = optimizerMeta!.stepCount;
  }
  for (const [name, rng] of Object.entries(state.rngs ?? {})) rng.setState(rngStates[name]);
  const scheduleState = parse(path, metadata, 'schedule');
  if (state.schedule !== undefined && scheduleState !== null)
    state.schedule.setState(scheduleState as Record<string, number>);
  return { step: Number(metadata.step), config: parse(path, metadata, 'config'), tensors: runTensors };
}

/** A loaded tensor must be finite: a checkpoint with NaN weights is a broken run, not a model. */
function checkFinite(path: string, key: string, data: Buf): void {
  checkFiniteValues(`checkpoint ${path}`, key, data, '; values must be finite, so nothing was loaded');
}

function checkFormat(path: string, metadata: Record<string, string>): void {
  if (metadata.format !== CHECKPOINT_FORMAT) {
    throw new FormatError(
      'checkpoint',
      path,
      `is not an rnnlab checkpoint: its format is ${JSON.stringify(metadata.format)}, expected ${CHECKPOINT_FORMAT}`,
    );
  }
  if (!/^\d+$/.test(metadata.step ?? ''))
    throw new Error(`checkpoint ${path}: step is ${JSON.stringify(metadata.step)}, expected a whole number`);
}

function parse(path: string, metadata: Record<string, string>, key: string): unknown {
  try {
    return JSON.parse(metadata[key] ?? 'null');
  } catch {
    throw new Error(`checkpoint ${path}: metadata ${key} is not valid JSON`);
  }
}
