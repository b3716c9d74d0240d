// The part of rnnlab that runs in a browser page or worker: everything but the files,
// checkpoints, the Brown corpus reader and the run folders, which need Node's fs. The
// playground imports this module as 'rnnlab/browser'; spec/playground.spec.ts checks that
// nothing it reaches imports a Node-only API.
export * from './core/index.js';
export * from './cells/index.js';
export {
  SGD, RMSprop, Adagrad, Adam, AdamW, Optimizer, makeOptimizer, optimizerNames, type OptimizerName, type OptimizerConfig,
} from './train/optimizers.js';
export { clipGradValue, clipGradNorm } from './train/clip.js';
export { initializeLayer } from './train/init.js';
export { truncatedBptt, detachState, type RecurrentState } from './train/bptt.js';
export { Trainer, type TrainerOptions, type StepReport } from './train/trainer.js';
export type { Metric } from './train/metric.js';
export { makeTask, taskNames, taskSizes, addingTask, orderTask, type Task, type TaskBatch } from './tasks/index.js';
export { CharLM, pick } from './models/charLM.js';
export { TokenLM, TokenStreams } from './models/tokenLM.js';
export { SequenceModel } from './models/sequenceModel.js';
export { unigramBits } from './data/baselines.js';
export { quotesText } from './data/quotesText.js';
export { modelForTask, taskLoss, taskMetric } from './experiments/taskModel.js';
export { textFeatures, correlation, rankUnits, firstRankedUnit, featureNames, type FeatureName, type FeatureRanking } from './experiments/textFeatures.js';
export { gradientProfile, gradientFlow, geometricMean, type GradientProfile } from './experiments/vanish.js';
