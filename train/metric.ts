// How a model is judged: a measure on held-out data and its baseline.

/** How a model is judged on held-out data, and what a model that learned nothing gets. */
export interface Metric {
  /** 'mse', 'accuracy', 'nats' (cross-entropy per scored step), 'bpc' (bits per character) or 'perplexity' (e^nats per word). */
  name: 'mse' | 'accuracy' | 'nats' | 'bpc' | 'perplexity';
  /** What a model that learned nothing about the sequence gets. */
  baseline: number;
  higherIsBetter: boolean;
}
