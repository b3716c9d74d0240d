// rnnlab's public API: everything a user imports comes from here. It is browser.ts's list
// and the names that need Node's files, each listed.
export * from './browser.js';
export {
  trainFor,
  trainForAsync,
  type CurvePoint,
  type LoopOptions,
  type LoopResult,
  type Trainable,
} from './train/loop.js';
export { loadSafetensors, saveSafetensors, writeFileAtomic } from './core/files.js';
export { loadCheckpoint, readCheckpointInfo, saveCheckpoint } from './train/checkpoint.js';
export { brownCategories, brownSplit, loadBrown, loadBrownText, universalTag } from './data/brown.js';
export {
  buildPosVocabulary,
  PosTagger,
  tagAccuracy,
  wordShape,
  type PosTaggerOptions,
  type PosVocabulary,
} from './models/posTagger.js';
export { namedCells } from './experiments/compare.js';
export { lsaVectors, symmetricEigen, truncatedSvdRows } from './experiments/lsa.js';
export {
  checkpointFile,
  createRun,
  loadCharModel,
  loadTagger,
  loadWordModel,
  resumeRun,
  runKinds,
} from './experiments/registry.js';
export type { Run } from './experiments/runBase.js';
export { cellChoice, completeSettings, type RunSettings } from './experiments/settings.js';
export {
  nearestWords,
  randomVectors,
  scoreAnalogies,
  type AnalogyScore,
  type WordVectors,
} from './experiments/wordVectors.js';
