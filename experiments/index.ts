export { modelForTask, taskLoss, taskMetric } from './taskModel.js';
export { TaskRun, defaultRunConfig, type RunConfig, type RunSummary, type Evaluation } from './taskRun.js';
export { PosRun, GenreRun, CharsRun, brownDefaults, mostFrequentTagAccuracy, rawText, unigramBits, type BrownConfig } from './brownRuns.js';
export { gradientProfile, geometricMean, type GradientProfile, type VanishOptions } from './vanish.js';
