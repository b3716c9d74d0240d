export {
  SGD,
  RMSprop,
  Adagrad,
  Adam,
  AdamW,
  Optimizer,
  makeOptimizer,
  optimizerNames,
  type OptimizerName,
  type OptimizerConfig,
  type OptimizerSnapshot,
} from './optimizers.js';
export { clipGradValue, clipGradNorm, clipGradNormPerTensor, type ClipNormOptions } from './clip.js';
export { StepDecay, ExponentialDecay, HalveOnPlateau, type Schedule } from './schedule.js';
export { initializeLayer, randomOrthogonal, type InitOptions } from './init.js';
export {
  stepCrossEntropy,
  lastStep,
  lastStepCrossEntropy,
  meanSquaredError,
  type StepLossOptions,
  type LastStepOptions,
} from './losses.js';
export { truncatedBptt, detachState, type RecurrentState, type WindowModel, type TbpttOptions } from './bptt.js';
export { Trainer, NonFiniteStepError, firstNonFinite, type TrainerOptions, type StepReport } from './trainer.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  readCheckpointInfo,
  CHECKPOINT_FORMAT,
  type TrainingState,
} from './checkpoint.js';
export {
  trainFor,
  trainForAsync,
  type Trainable,
  type Metric,
  type CurvePoint,
  type StepPoint,
  type LoopOptions,
  type LoopResult,
} from './loop.js';
