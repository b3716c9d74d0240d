export { modelForTask, taskLoss, taskMetric } from './taskModel.js';
export { RunBase, readSavedRun, type Run, type RunTensor, type SavedRun } from './runBase.js';
export {
  orderedSettings,
  cellChoice,
  completeSettings,
  taskSettings,
  type RunSettings,
  type TaskSettings,
  type ExtraSetting,
} from './settings.js';
export { TaskRun } from './taskRun.js';
export { PosRun } from './posRun.js';
export { GenreRun } from './genreRun.js';
export { CharsRun } from './charsRun.js';
export { SpellRun } from './spellRun.js';
export { WordLMRun, WORDLM_VOCABULARY } from './wordlmRun.js';
export {
  runKinds,
  runNames,
  runKind,
  createRun,
  resumeRun,
  checkpointFile,
  loadCharModel,
  loadTagger,
  loadWordModel,
  type RunKind,
} from './registry.js';
export { gradientProfile, gradientFlow, geometricMean, type GradientProfile, type VanishOptions } from './vanish.js';
export {
  textFeatures,
  correlation,
  rankUnits,
  firstRankedUnit,
  featureNames,
  type FeatureName,
  type FeatureRanking,
} from './textFeatures.js';
export { scoreAnalogies, nearestWords, randomVectors, type WordVectors, type AnalogyScore } from './wordVectors.js';
export { lsaVectors, truncatedSvdRows, symmetricEigen, cooccurrence } from './lsa.js';
export {
  namedCells,
  namedCellNames,
  namedCell,
  jobCount,
  sweepJobs,
  seedJobs,
  bestRate,
  runJob,
  summarize,
  solved,
  groupKey,
  type NamedCell,
  type GridOptions,
  type Job,
  type JobResult,
  type GroupSummary,
} from './compare.js';
