export {
  loadBrown,
  loadBrownText,
  brownSplit,
  parseBrownFile,
  universalTag,
  brownCategories,
  type Sentence,
  type Split,
  type Tagset,
  type BrownSplits,
} from './brown.js';
export { mostFrequentTagAccuracy, majorityCategory, frequentWords, rawText, unigramBits } from './baselines.js';
export { quotesText } from './quotesText.js';
export { wordVocabulary, wordTokens, BigramModel, tunedBigram, END, UNKNOWN } from './words.js';
export {
  analogyPairs,
  analogyQuestions,
  tagCounts,
  relations,
  analogyColumns,
  type AnalogyPair,
  type AnalogyQuestion,
  type Relation,
} from './analogies.js';
