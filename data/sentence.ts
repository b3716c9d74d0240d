// What the Brown corpus reader makes: tagged sentences in three splits.

export type Split = 'train' | 'dev' | 'test';
export type Tagset = 'brown' | 'universal';

export interface Sentence {
  words: string[];
  tags: string[];
  /** The category code: ca … cr. */
  category: string;
  file: string;
}

export type BrownSplits = Record<Split, Sentence[]>;
