// `rnnlab train --task wordlm`: a word-level language model of the Brown text (the Elman
// network with the sigmoid of Mikolov et al. by default; --cell lstm for the LSTM), its
// vocabulary the 5,000 commonest training words with </s> and <unk>; scored in perplexity
// on held-out text beside the add-k bigram model (k chosen on the dev text). The softmax
// stays affordable by keeping the vocabulary at 5,000: its product is [1024 × H] · [H × 5000]
// for a chunk of 32 steps of 32 streams, most of a step's time.
import type { Module } from '../cells/index.js';
import { carry, Tensor } from '../core/index.js';
import { tunedBigram, wordTokens, wordVocabulary, type BigramModel } from '../data/index.js';
import { TokenStreams, WordLM } from '../models/index.js';
import type { Metric, RecurrentState, StepReport, Trainer } from '../train/index.js';
import { BrownRun, corpus } from './brownRun.js';
import { trainerFor, type RunTensor } from './runBase.js';
import { cellChoice, type RunSettings } from './settings.js';

export const WORDLM_VOCABULARY = 5000;

/** The model a run's settings describe: the Elman network with the sigmoid, as in the paper (the kind's default), or another cell. */
export function wordModel(settings: RunSettings, words: readonly string[]): WordLM {
  const layer = { ...cellChoice(settings), hiddenSize: settings.hiddenSize, numLayers: settings.numLayers };
  return new WordLM({ words, layer, seed: settings.seed });
}
/** Steps per chunk of truncated BPTT. */
const CHUNK = 32;

export class WordLMRun extends BrownRun {
  readonly title = `wordlm: a word-level language model of the Brown text (${WORDLM_VOCABULARY} words)`;
  readonly lm: WordLM;

  get module(): Module {
    return this.lm;
  }
  readonly trainer: Trainer;
  readonly metric: Metric;
  readonly bigram: BigramModel;
  readonly devTokens: Int32Array;
  readonly testTokens: Int32Array;
  private readonly streams: TokenStreams;
  private state: RecurrentState | null = null;

  /** words: the vocabulary a saved run was built with. */
  constructor(settings: RunSettings, words?: string[]) {
    super(settings);
    const splits = corpus('brown');
    const vocabulary = words ?? wordVocabulary(splits.train, WORDLM_VOCABULARY);
    this.lm = wordModel(this.settings, vocabulary);
    this.trainer = trainerFor(this.settings, this.lm.store);
    const train = wordTokens(splits.train, vocabulary);
    this.devTokens = wordTokens(splits.dev, vocabulary);
    this.testTokens = wordTokens(splits.test, vocabulary);
    this.streams = new TokenStreams(train, this.settings.batch);
    this.bigram = tunedBigram(train, this.devTokens, vocabulary.length);
    this.metric = { name: 'perplexity', baseline: Math.exp(this.bigram.nats(this.testTokens)), higherIsBetter: false };
  }

  override get examplesPerStep(): number {
    return this.settings.batch * CHUNK;
  }

  trainStep(): StepReport {
    const { tokens, reset } = this.streams.next(CHUNK);
    if (reset) this.state = carry(this.state, null);
    const report = this.trainer.stepWith(() => {
      const r = this.lm.chunkGradients(tokens, CHUNK, this.settings.batch, this.state);
      this.state = carry(this.state, r.state);
      return r.loss;
    });
    this.step++;
    return report;
  }

  /** Nats per word and perplexity on the dev text (16 streams). */
  evaluate(): { loss: number; value: number } {
    const nats = this.lm.evaluateTokens(this.devTokens, 200, 16);
    return { loss: nats, value: Math.exp(nats) };
  }

  /** Perplexity on the test text. */
  test(): number {
    return Math.exp(this.lm.evaluateTokens(this.testTokens, 200, 16));
  }

  protected override modelConfig(): unknown {
    return { words: this.lm.words };
  }

  protected override progress(): unknown {
    return { position: this.streams.position, carried: this.state !== null };
  }

  protected override restoreProgress(progress: unknown): void {
    this.streams.position = (progress as { position: number }).position;
  }

  protected override carried(): Record<string, RunTensor> {
    return this.state === null ? {} : { h: this.state.h, ...(this.state.c === null ? {} : { c: this.state.c }) };
  }

  protected override restoreCarried(tensors: Record<string, RunTensor>): void {
    const t = (x: RunTensor) => Tensor.from(x.data, x.shape, this.lm.store.dtype);
    this.state = tensors.h === undefined ? null : { h: t(tensors.h), c: tensors.c === undefined ? null : t(tensors.c) };
  }
}
