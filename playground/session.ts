// One playground run, inside the worker: a model, its task, its trainer, and the views of
// the model the panels draw. Everything here is the library (rnnlab/browser); this file only
// wires it to a configuration.
import {
  CharLM,
  carry,
  Rng,
  Tape,
  Tensor,
  TokenStreams,
  Trainer,
  gradcheck,
  gradientFlow,
  gradientProfile,
  geometricMean,
  initializeLayer,
  makeOptimizer,
  makeTask,
  modelForTask,
  ops,
  quotesText,
  taskLoss,
  taskMetric,
  traceCell,
  unigramBits,
  defaultForgetBias,
  rankUnits,
  RecurrentLayer,
  type LayerOptions,
  type ParamStore,
  type RecurrentState,
  type SequenceModel,
  type Task,
  type TaskBatch,
  type Optimizer,
} from '../browser.js';
import type { Config } from './config.js';
import type { FlowView, GradcheckView, InspectView, Metric, StepView } from './messages.js';

/** The corpus of a character task: training text and held-out text. */
export interface TextData {
  train: string;
  dev: string;
}

const CHUNK = 64;
const TEXT_BATCH = 32;
/** The memory tasks' batch: the command line's 64 (at 32 the adding problem learned half as fast). */
const TASK_BATCH = 64;
/** The memory tasks' lengths in the page: the adding problem's 50, and the temporal-order problem at 30 (at its command-line 60 it learns nothing in 1,200 steps; at 30, in 150). */
const TASK_LENGTH = { adding: 50, order: 30 } as const;
/** How many characters the inspection panels read: a stretch of held-out text with quotes in it. */
const INSPECT_CHARS = 600;

/** The layer options a configuration asks for. */
function layerOptions(config: Config): Omit<LayerOptions, 'inputSize' | 'store' | 'dtype' | 'name'> {
  return {
    cell: config.cell,
    hiddenSize: config.hidden,
    numLayers: config.layers,
    build: config.build,
    ...(config.cell === 'lstm' ? { variant: config.variant, forgetBias: defaultForgetBias('lstm') } : {}),
    ...(config.cell === 'gru' ? { resetAfter: config.resetAfter, updateGate: config.updateGate } : {}),
  };
}

function makeTrainer(optimizer: Optimizer, clip: number): Trainer {
  return new Trainer({ optimizer, clip: clip > 0 ? { mode: 'norm', max: clip } : undefined, onNonFinite: 'skip' });
}

export abstract class Session {
  abstract readonly metric: Metric;
  abstract readonly layer: RecurrentLayer;
  abstract readonly examplesPerStep: number;
  protected abstract trainer: Trainer;
  steps = 0;

  constructor(readonly config: Config) {}

  /** One training step; its loss and how long it took. */
  step(): StepView {
    const t0 = performance.now();
    const loss = this.trainStep();
    const ms = performance.now() - t0;
    this.steps++;
    return { step: this.steps, examples: this.steps * this.examplesPerStep, loss, ms, build: this.layer.build };
  }

  /**
   * Median ms of each build's forward and backward pass on one training batch, over a few
   * passes (gradients only: the weights, the optimizer and the data stay where they were).
   */
  compareBuilds(passes = 3): { fused: number; unfused: number } {
    const before = this.layer.build,
      times = { fused: 0, unfused: 0 };
    for (const build of ['fused', 'unfused'] as const) {
      this.layer.setBuild(build);
      const ms: number[] = [];
      for (let k = 0; k < passes; k++) {
        const t0 = performance.now();
        this.gradientsOnce();
        ms.push(performance.now() - t0);
      }
      times[build] = ms.sort((a, b) => a - b)[Math.floor(passes / 2)];
    }
    this.layer.setBuild(before);
    this.layer.store.zeroGrad();
    return times;
  }

  /** Learning rate, clipping, build: the settings that apply to the running model. */
  applyLive(config: Config): void {
    this.trainer.optimizer.lr = config.lr;
    if (config.clip !== this.config.clip) this.trainer = makeTrainer(this.trainer.optimizer, config.clip);
    this.layer.setBuild(config.build);
    Object.assign(this.config, {
      lr: config.lr,
      clip: config.clip,
      temperature: config.temperature,
      build: config.build,
    });
  }

  /**
   * ‖∂L/∂h_t‖ for L = h_T · r over the inspected input, with the current weights, computed on
   * a float64 copy of the layer: over hundreds of steps the norms fall below float32's
   * smallest number (1e-45) long before the float64 reference curves end (near 1e-160), and
   * the line would stop there.
   */
  flow(): FlowView {
    const x = this.inspectInput();
    const twin = new RecurrentLayer({ ...layerOptions(this.config), inputSize: this.layer.inputSize, dtype: 'f64' });
    twin.loadStateDict(this.layer.stateDict());
    const r = Tensor.zeros([1, this.layer.hiddenSize], 'f64');
    new Rng(7).fillUniform(r.data, -1, 1);
    const p = gradientFlow(twin, Tensor.from(x.data, x.shape, 'f64'), r);
    return { current: { h: p.h, c: p.c }, init: initComparison(x.shape[0]) };
  }

  /** The gradient check of a float64 copy of the model on a short example. */
  abstract gradcheck(): GradcheckView;
  abstract evaluate(): { loss: number; value: number };
  abstract inspect(temperature: number): InspectView;
  protected abstract trainStep(): number;
  /** The gradients of one training batch, without an update. */
  protected abstract gradientsOnce(): void;
  /** The input the inspection panels read, [T, 1, I], through the model's input layer. */
  protected abstract inspectInput(): Tensor;

  protected terms(x: Tensor): Record<string, number[][]> {
    const terms = traceCell(null, this.layer.cells[0][0], x);
    return Object.fromEntries(
      Object.entries(terms).map(([name, steps]) => [name, steps.map((t) => Array.from(t.data))]),
    );
  }
}

/** A store's parameters, each a tensor gradcheck can perturb. */
function parameters(store: ParamStore): Tensor[] {
  return store.entries().map(([, t]) => t);
}

/** The per-parameter report of gradcheck, worst relative error first. */
function gradcheckView(report: ReturnType<typeof gradcheck>, what: string): GradcheckView {
  return {
    what,
    ok: report.ok,
    eps: report.eps,
    atol: report.atol,
    rtol: report.rtol,
    tensors: report.inputs.map((t) => ({
      name: t.name,
      shape: [...t.shape],
      maxRelErr: t.maxRelErr,
      failures: t.failures,
    })),
  };
}

/** A character model: the Brown text (served by the playground's server) or the quotes-and-brackets text. */
export class TextSession extends Session {
  readonly lm: CharLM;
  readonly metric: Metric;
  readonly examplesPerStep = TEXT_BATCH;
  protected trainer: Trainer;
  private readonly streams: TokenStreams;
  private state: RecurrentState | null = null;
  private readonly devText: string;

  constructor(config: Config, data: TextData) {
    super(config);
    const train = data.train;
    const alphabet = CharLM.alphabetOf(train);
    this.lm = new CharLM({ alphabet, layer: layerOptions(config), seed: config.seed });
    const known = new Set(alphabet);
    this.devText = [...data.dev]
      .filter((ch) => known.has(ch))
      .join('')
      .slice(0, 4000);
    this.trainer = makeTrainer(makeOptimizer(config.optimizer, this.lm.store, { lr: config.lr }), config.clip);
    this.streams = new TokenStreams(this.lm.encode(train), TEXT_BATCH);
    const unigram = unigramBits(train, this.devText);
    this.metric = {
      loss: { name: 'bits per character', baseline: unigram, baselineName: 'unigram model' },
      measure: { name: 'bits per character', baseline: unigram, higherIsBetter: false },
    };
  }

  get layer(): RecurrentLayer {
    return this.lm.rnn;
  }

  protected trainStep(): number {
    const { tokens, reset } = this.streams.next(CHUNK);
    if (reset) this.state = carry(this.state, null);
    return (
      this.trainer.stepWith(() => {
        const r = this.lm.chunkGradients(tokens, CHUNK, TEXT_BATCH, this.state);
        this.state = carry(this.state, r.state);
        return r.loss;
      }).loss / Math.LN2
    );
  }

  protected gradientsOnce(): void {
    this.lm.chunkGradients(this.lm.encode(this.devText.slice(0, (CHUNK + 1) * TEXT_BATCH)), CHUNK, TEXT_BATCH, null);
  }

  evaluate(): { loss: number; value: number } {
    const nats = this.lm.evaluate(this.devText, 200, 8);
    return { loss: nats / Math.LN2, value: nats / Math.LN2 };
  }

  private inspectText(): string {
    const quote = Math.max(0, this.devText.search(/``|"/));
    const from = Math.max(0, Math.min(this.devText.length - INSPECT_CHARS, this.devText.lastIndexOf('\n', quote) + 1));
    return this.devText.slice(from, from + INSPECT_CHARS);
  }

  protected inspectInput(): Tensor {
    const tokens = this.lm.encode(this.inspectText());
    return this.lm.embedding.forward(null, tokens, [tokens.length, 1]);
  }

  inspect(temperature: number): InspectView {
    const text = this.inspectText(),
      tokens = this.lm.encode(text);
    const { logits } = this.lm.forward(null, tokens, tokens.length, 1, null);
    const V = this.lm.vocab,
      alphabet = [...this.lm.alphabet];
    const top5 = Array.from(tokens, (_, t) => {
      const row = Array.from(logits.data.subarray(t * V, (t + 1) * V));
      const max = Math.max(...row),
        weights = row.map((v) => Math.exp(v - max)),
        total = weights.reduce((a, b) => a + b, 0);
      return weights
        .map((w, q) => ({ symbol: alphabet[q], p: w / total }))
        .sort((a, b) => b.p - a.p)
        .slice(0, 5);
    });
    const sample = this.lm.sample({ length: 300, temperature, prime: text.slice(0, 1), seed: this.config.seed });
    const terms = this.terms(this.inspectInput());
    const state = terms.c !== undefined ? 'c' : 'h';
    const bounded = state === 'c' ? terms.c.map((v) => v.map(Math.tanh)) : terms.h;
    const ranking = rankUnits(text, bounded).map((r) => ({
      feature: r.feature,
      state: state === 'c' ? 'tanh(c)' : 'h',
      top: r.top,
    }));
    return { symbols: [...text], text, terms, top5, sample, ranking };
  }

  gradcheck(): GradcheckView {
    const twin = new CharLM({ alphabet: this.lm.alphabet, layer: layerOptions(this.config), seed: 0, dtype: 'f64' });
    twin.loadStateDict(this.lm.stateDict());
    const tokens = this.lm.encode(this.devText.slice(0, 4));
    const report = gradcheck((tape) => {
      const { logits } = twin.forward(tape, tokens.slice(0, 3), 3, 1, null);
      return ops.softmaxCrossEntropy(tape, ops.reshape(tape, logits, [3, twin.vocab]), tokens.slice(1, 4));
    }, parameters(twin.store));
    return gradcheckView(
      report,
      `a float64 copy of the current model (${report.inputs.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0)} weights), the loss of 3 characters of dev text`,
    );
  }
}

/** A memory task of the library: the adding problem or the temporal-order problem. */
export class TaskSession extends Session {
  readonly task: Task;
  readonly model: SequenceModel;
  readonly metric: Metric;
  readonly examplesPerStep = TASK_BATCH;
  protected trainer: Trainer;
  private readonly dataRng: Rng;
  private readonly testSet: TaskBatch;
  private readonly example: TaskBatch;
  private readonly timingBatch: TaskBatch;

  constructor(config: Config) {
    super(config);
    this.task = makeTask(config.task, TASK_LENGTH[config.task as 'adding' | 'order']);
    this.model = modelForTask(this.task, layerOptions(config), { seed: config.seed });
    initializeLayer(this.model.rnn, new Rng(config.seed + 1), { forgetBias: defaultForgetBias(config.cell) });
    this.trainer = makeTrainer(makeOptimizer(config.optimizer, this.model.store, { lr: config.lr }), config.clip);
    this.dataRng = new Rng(config.seed);
    this.testSet = this.task.batch(new Rng(config.seed + 1_000_003), 256);
    this.example = this.task.batch(new Rng(config.seed + 17), 1);
    this.timingBatch = this.task.batch(new Rng(config.seed + 23), TASK_BATCH);
    const m = this.task.metric;
    this.metric =
      m.name === 'mse'
        ? {
            loss: { name: 'mean squared error', baseline: m.baseline, baselineName: 'always the mean' },
            measure: { name: 'mean squared error', baseline: m.baseline, higherIsBetter: false },
          }
        : {
            loss: {
              name: 'cross-entropy (nats)',
              baseline: Math.log(this.task.target.classes),
              baselineName: 'chance',
            },
            measure: { name: 'accuracy', baseline: m.baseline, higherIsBetter: true },
          };
  }

  get layer(): RecurrentLayer {
    return this.model.rnn;
  }

  protected trainStep(): number {
    const batch = this.task.batch(this.dataRng, TASK_BATCH);
    return this.trainer.step((tape) => taskLoss(tape, this.model, this.task, batch)).loss;
  }

  protected gradientsOnce(): void {
    const tape = new Tape();
    tape.backward(taskLoss(tape, this.model, this.task, this.timingBatch));
  }

  evaluate(): { loss: number; value: number } {
    return {
      loss: taskLoss(null, this.model, this.task, this.testSet).item(),
      value: taskMetric(this.model, this.task, this.testSet),
    };
  }

  protected inspectInput(): Tensor {
    return this.model.embed(null, this.example);
  }

  inspect(): InspectView {
    const e = this.example;
    const symbols =
      e.tokens !== undefined && this.task.decode !== undefined
        ? [...this.task.decode(e.tokens)]
        : Array.from({ length: e.T }, (_, t) =>
            e.values![t * 2 + 1] === 1 ? `[${e.values![t * 2].toFixed(2)}]` : e.values![t * 2].toFixed(2),
          );
    return { symbols, text: null, terms: this.terms(this.inspectInput()), top5: null, sample: null, ranking: null };
  }

  gradcheck(): GradcheckView {
    const twin = modelForTask(this.task, layerOptions(this.config), { seed: 0, dtype: 'f64' });
    twin.loadStateDict(this.model.stateDict());
    const batch = this.task.batch(new Rng(this.config.seed + 5), 2);
    const report = gradcheck((tape) => taskLoss(tape, twin, this.task, batch), parameters(twin.store));
    return gradcheckView(report, `a float64 copy of the current model, the loss of 2 examples of ${batch.T} steps`);
  }
}

/** The RNN, GRU and LSTM at initialisation, as `rnnlab vanish` measures them (hidden 32, 3 seeds), over T steps. */
const initCache = new Map<number, Record<string, number[]>>();
function initComparison(T: number): Record<string, number[]> {
  let found = initCache.get(T);
  if (found === undefined) {
    found = {};
    for (const cell of ['rnn', 'gru', 'lstm'] as const) {
      const rows = [1, 2, 3].map(
        (seed) => gradientProfile(cell, { length: T, hiddenSize: 32, inputSize: 8, seed, forgetBias: 1 }).h,
      );
      found[cell] = geometricMean(rows);
    }
    initCache.set(T, found);
  }
  return found;
}

/** The session a configuration asks for. */
export function makeSession(config: Config, data: TextData | null): Session {
  if (config.task === 'chars') {
    if (data === null) throw new Error('the chars task needs the Brown text from the server');
    return new TextSession(config, data);
  }
  if (config.task === 'quotes') {
    const rng = new Rng(config.seed + 101);
    return new TextSession(config, { train: quotesText(rng, 400_000), dev: quotesText(rng, 8_000) });
  }
  return new TaskSession(config);
}
