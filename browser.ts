// rnnlab's public API, the part that runs in a browser page or worker: every name a user may
// import, listed one by one, so that what is public is a decision (index.ts adds what needs
// Node's files: safetensors files, checkpoints, the Brown corpus and what reads it, the
// runs). The playground imports this module as 'rnnlab/browser'; spec/playground.spec.ts
// checks that nothing it reaches imports a Node-only API, and spec/api.spec.ts that every
// name here and in index.ts is described in docs/api.md. The project's own code imports
// internals from their modules.
export {
  alloc,
  allocationCount,
  AllocationError,
  allocPinned,
  allocScoped,
  formatBytes,
  type DType,
} from './core/alloc.js';
export { backendNames, getBackend, setBackend, setBackendByVariable, wasmAvailable } from './core/backend.js';
export { ArgumentError, checkFiniteValues, describe, FormatError, NonFiniteError } from './core/errors.js';
export {
  gradcheck,
  GRADCHECK_DEFAULTS,
  randomTensor,
  weightedSum,
  type GradcheckInputReport,
  type GradcheckOptions,
  type GradcheckReport,
} from './core/gradcheck.js';
export { checkIndices, checkTensors, output, record, rowsAndCols } from './core/ops/common.js';
export type { DropoutOptions } from './core/ops/dropout.js';
export * as ops from './core/ops/index.js';
export type { CrossEntropyOptions, Reduction } from './core/ops/losses.js';
export { gruSequence } from './core/ops/recurrent/gru.js';
export { lstmSequence } from './core/ops/recurrent/lstm.js';
export { rnnSequence } from './core/ops/recurrent/rnn.js';
export { ParamStore } from './core/params.js';
export { Rng } from './core/rng.js';
export { argmaxRows, padTimeMajor } from './core/rows.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  fromHalf,
  toHalf,
  type SafetensorsArray,
  type SafetensorsDtype,
  type SafetensorsEntry,
  type SafetensorsFile,
  type SafetensorsInput,
} from './core/safetensors.js';
export { carry, dispose, inScope, keep, withScope } from './core/scope.js';
export { shapeStr, sizeOf, type Shape } from './core/shape.js';
export { Tape, wantsGrad } from './core/tape.js';
export { Tensor, type TensorOptions } from './core/tensor.js';
export type { BackendName } from './kernels/backend/choice.js';
export type { Buf } from './kernels/js/types.js';
export { Cell, cellKinds, defaultForgetBias, hasFusedBuild, type CellKind } from './cells/cell.js';
export { GruCell, type GruOptions } from './cells/gru.js';
export { exportStateDict, importStateDict } from './cells/interop.js';
export {
  mergeModes,
  RecurrentLayer,
  type CellChoice,
  type ForwardOptions,
  type LayerOptions,
  type LayerOutput,
  type MergeMode,
  type ParameterCount,
} from './cells/layer.js';
export { Embedding, Linear } from './cells/linear.js';
export { LstmCell, lstmVariants, type LstmOptions, type LstmVariant } from './cells/lstm.js';
export { Module, ParameterSummary, type SummaryRow } from './cells/module.js';
export { MutCell, type MutKind, type MutOptions } from './cells/mut.js';
export { RnnCell, rnnNonlinearities, type RnnNonlinearity, type RnnOptions } from './cells/rnn.js';
export {
  loadStateDictInto,
  prefixed,
  sameLayout,
  stateDictOf,
  transposed,
  type LoadOptions,
  type LoadReport,
  type NamedArray,
  type StateDict,
  type StateMapping,
  type StateModule,
} from './cells/stateDict.js';
export { traceCell, traceCellValues } from './cells/trace.js';
export { unrollUnfused } from './cells/unroll.js';
export { detachState, truncatedBptt, type RecurrentState, type TbpttOptions, type WindowModel } from './train/bptt.js';
export { clipGradNorm, clipGradNormPerTensor, clipGradValue, type ClipNormOptions } from './train/clip.js';
export { initializeLayer, randomOrthogonal, type InitOptions } from './train/init.js';
export {
  lastStep,
  lastStepCrossEntropy,
  meanSquaredError,
  stepCrossEntropy,
  type LastStepOptions,
  type StepLossOptions,
} from './train/losses.js';
export type { Metric } from './train/metric.js';
export {
  Adagrad,
  Adam,
  AdamW,
  makeOptimizer,
  Optimizer,
  optimizerNames,
  RMSprop,
  SGD,
  type OptimizerConfig,
  type OptimizerName,
} from './train/optimizers.js';
export { ExponentialDecay, HalveOnPlateau, StepDecay, type Schedule } from './train/schedule.js';
export { NonFiniteStepError, Trainer, type StepReport, type TrainerOptions } from './train/trainer.js';
export {
  analogyPairs,
  analogyQuestions,
  type AnalogyPair,
  type AnalogyQuestion,
  type Relation,
} from './data/analogies.js';
export { frequentWords, majorityCategory, mostFrequentTagAccuracy, rawText, unigramBits } from './data/baselines.js';
export { quotesText } from './data/quotesText.js';
export type { BrownSplits, Sentence, Split, Tagset } from './data/sentence.js';
export { BigramModel, END, tunedBigram, UNKNOWN, wordTokens, wordVocabulary } from './data/words.js';
export { addingTask } from './tasks/adding.js';
export { arithTask } from './tasks/arith.js';
export { copyTask } from './tasks/copy.js';
export { makeTask, taskNames, taskSizes, type TaskName } from './tasks/index.js';
export { orderTask } from './tasks/order.js';
export {
  SPELL_INPUT,
  spellBatch,
  spellMajority,
  spellNumber,
  spellSplit,
  spellWords,
  type SpellBatch,
} from './tasks/spell.js';
export type { TargetKind, Task, TaskBatch } from './tasks/task.js';
export { xmlTask } from './tasks/xml.js';
export { CharLM, pick, type CharLMOptions, type SampleOptions } from './models/charLM.js';
export { decodedAccuracy, Decoder, type StartState, type TargetBatch } from './models/decoder.js';
export { Model } from './models/model.js';
export { OneToMany, type OneToManyBatch, type OneToManyOptions } from './models/oneToMany.js';
export { digitPairs, pairAccuracy, Seq2Seq, type PairBatch, type Seq2SeqOptions } from './models/seq2seq.js';
export { SequenceModel, type SequenceInput, type SequenceModelOptions } from './models/sequenceModel.js';
export { TokenLM, TokenStreams, type TokenLMOptions } from './models/tokenLM.js';
export { WordLM, type WordLMOptions } from './models/wordLM.js';
export { modelForTask, taskLoss, taskMetric } from './experiments/taskModel.js';
export {
  correlation,
  featureNames,
  firstRankedUnit,
  rankUnits,
  textFeatures,
  type FeatureName,
  type FeatureRanking,
} from './experiments/textFeatures.js';
export {
  geometricMean,
  gradientFlow,
  gradientProfile,
  type GradientProfile,
  type VanishOptions,
} from './experiments/vanish.js';
