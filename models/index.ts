export { SequenceModel, type SequenceModelOptions, type SequenceInput } from './sequenceModel.js';
export { CharLM, pick, type CharLMOptions, type SampleOptions } from './charLM.js';
export { TokenLM, TokenStreams, type TokenLMOptions } from './tokenLM.js';
export { Seq2Seq, digitPairs, pairAccuracy, type Seq2SeqOptions, type PairBatch } from './seq2seq.js';
export {
  PosTagger,
  POS_WORD_DIM,
  POS_AFFIX_DIM,
  SHAPE_DIM,
  buildPosVocabulary,
  tagAccuracy,
  wordShape,
  type PosVocabulary,
  type PosTaggerOptions,
} from './posTagger.js';
export { Model } from './model.js';
export { OneToMany, type OneToManyOptions, type OneToManyBatch } from './oneToMany.js';
export { Decoder, decodedAccuracy, type TargetBatch, type StartState } from './decoder.js';
export { WordLM, type WordLMOptions } from './wordLM.js';
