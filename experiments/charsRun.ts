// A character-level language model of the Brown corpus text: the training text read as B
// parallel streams, 64 characters per step, the state carried (detached) from chunk to
// chunk; scored in bits per character against a unigram model of the training text.
//
// Its checkpoint adds what the next step depends on: the position in the streams and the
// carried state, so that a resumed run continues exactly where it stopped.
import type { Module } from '../cells/index.js';
import { carry, Tensor } from '../core/index.js';
import { corpusText } from './brownRun.js';
import { unigramBits } from '../data/index.js';
import { CharLM, TokenStreams } from '../models/index.js';
import type { Metric, RecurrentState, StepReport, Trainer } from '../train/index.js';
import { BrownRun } from './brownRun.js';
import { trainerFor, type RunTensor } from './runBase.js';
import { cellChoice, type RunSettings } from './settings.js';

export class CharsRun extends BrownRun {
  readonly lm: CharLM;

  get module(): Module {
    return this.lm;
  }
  readonly trainer: Trainer;
  readonly title = 'chars: a character-level language model of the Brown corpus text';
  readonly metric: Metric;
  readonly devText: string;
  readonly testText: string;
  readonly chunk = 64;
  private readonly streams: TokenStreams;
  private state: RecurrentState | null = null;

  /** alphabet: the one a saved run was built with (by default, the training text's characters). */
  constructor(settings: RunSettings, alphabet?: string) {
    super(settings);
    const text = corpusText();
    const train = text.train;
    this.lm = new CharLM({
      alphabet: alphabet ?? CharLM.alphabetOf(train),
      layer: { ...cellChoice(this.settings), hiddenSize: this.settings.hiddenSize, numLayers: this.settings.numLayers },
      seed: this.settings.seed,
    });
    this.trainer = trainerFor(this.settings, this.lm.store);
    this.streams = new TokenStreams(this.lm.encode(train), this.settings.batch);
    this.devText = this.known(text.dev).slice(0, 8_000);
    this.testText = this.known(text.test).slice(0, 40_000);
    this.metric = { name: 'bpc', baseline: unigramBits(train, this.testText), higherIsBetter: false };
  }

  /** The text without characters the alphabet lacks (a handful in dev and test). */
  known(text: string): string {
    // One pass of a regular expression over the text: no array of half a million one-character
    // strings, nor as many string pieces to join.
    const alphabet = [...this.lm.alphabet].map((ch) => (/[\\\]^-]/.test(ch) ? `\\${ch}` : ch)).join('');
    return text.replace(new RegExp(`[^${alphabet}]`, 'gu'), '');
  }

  trainStep(): StepReport {
    const { tokens, reset } = this.streams.next(this.chunk);
    if (reset) this.state = carry(this.state, null);
    const report = this.trainer.stepWith(() => {
      const r = this.lm.chunkGradients(tokens, this.chunk, this.settings.batch, this.state);
      this.state = carry(this.state, r.state);
      return r.loss;
    });
    this.step++;
    return report;
  }

  /** Nats and bits per character on 8,000 characters of dev text (quick enough to check every 25 steps). */
  evaluate(): { loss: number; value: number } {
    const nats = this.lm.evaluate(this.devText, this.chunk, 16);
    return { loss: nats, value: nats / Math.LN2 };
  }

  /** Bits per character on the first 40,000 characters of test text (the baseline's text too). */
  test(): number {
    return this.lm.evaluate(this.testText, this.chunk, 16) / Math.LN2;
  }

  protected override modelConfig(): unknown {
    return { alphabet: this.lm.alphabet };
  }

  protected override progress(): unknown {
    return { position: this.streams.position, carried: this.state !== null };
  }

  protected override restoreProgress(progress: unknown): void {
    const saved = progress as { position: number; carried: boolean };
    this.streams.position = saved.position;
  }

  protected override carried(): Record<string, RunTensor> {
    if (this.state === null) return {};
    const out: Record<string, RunTensor> = { h: this.state.h };
    if (this.state.c !== null) out.c = this.state.c;
    return out;
  }

  protected override restoreCarried(tensors: Record<string, RunTensor>): void {
    const dtype = this.lm.store.dtype;
    const t = (x: RunTensor) => Tensor.from(x.data, x.shape, dtype);
    this.state = tensors.h === undefined ? null : { h: t(tensors.h), c: tensors.c === undefined ? null : t(tensors.c) };
  }
}
