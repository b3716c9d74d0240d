// What the Brown corpus runs share: the corpus (loaded once per tagset), batches of
// sentences of similar length, and a seeded batch order saved with each checkpoint.
import { Rng } from '../core/index.js';
import { loadBrown, loadBrownText, type BrownSplits, type Tagset } from '../data/index.js';
import { RunBase } from './runBase.js';
import type { RunSettings } from './settings.js';

let cached: { tagset: Tagset; splits: BrownSplits } | null = null;

/** The Brown splits with the given tags, read from disk once and kept. */
export function corpus(tagset: Tagset): BrownSplits {
  if (cached?.tagset !== tagset) cached = { tagset, splits: loadBrown(tagset) };
  return cached.splits;
}

let texts: { train: string; dev: string; test: string } | null = null;

/**
 * The Brown splits as running text, kept once read. A character model needs only these, not
 * the sentences (about 100 MB of objects) that the sentence-level runs keep.
 */
export function corpusText(): { train: string; dev: string; test: string } {
  texts ??= loadBrownText();
  return texts;
}

/** Sentence indices in batches of similar length, so that little of a batch is padding. */
export function lengthBatches(lengths: readonly number[], size: number): number[][] {
  const order = lengths.map((_, q) => q).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: number[][] = [];
  for (let q = 0; q < order.length; q += size) batches.push(order.slice(q, q + size));
  return batches;
}

/** Batches in a seeded order, reshuffled each epoch; its position is saved with a checkpoint. */
export class BatchOrder {
  order: number[] = [];
  cursor = 0;
  constructor(
    readonly count: number,
    readonly rng: Rng,
  ) {}

  next(): number {
    if (this.cursor >= this.order.length) {
      this.order = this.rng.shuffle(Array.from({ length: this.count }, (_, q) => q));
      this.cursor = 0;
    }
    return this.order[this.cursor++];
  }
}

/** A Brown run: a data stream seeded from the settings; pos and genre also walk a batch order. */
export abstract class BrownRun extends RunBase {
  readonly dataRng: Rng;

  constructor(settings: RunSettings) {
    super(settings);
    this.dataRng = new Rng(this.settings.seed + 7);
  }

  protected rngs(): Record<string, Rng> {
    return { data: this.dataRng };
  }
}

/** A Brown run that draws whole batches of sentences in a seeded order. */
export abstract class SentenceRun extends BrownRun {
  protected abstract readonly batchOrder: BatchOrder;

  protected override progress(): unknown {
    return { order: this.batchOrder.order, cursor: this.batchOrder.cursor };
  }

  protected override restoreProgress(progress: unknown): void {
    const saved = progress as { order: number[]; cursor: number } | null;
    if (saved !== null) Object.assign(this.batchOrder, { order: saved.order, cursor: saved.cursor });
  }
}
