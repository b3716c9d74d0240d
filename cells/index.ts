export {
  Cell,
  cellKinds,
  hasFusedBuild,
  defaultForgetBias,
  type CellKind,
  type Build,
  type BiasKind,
  type Pass,
} from './cell.js';
export {
  RecurrentLayer,
  mergeModes,
  optionCell,
  type LayerOptions,
  type CellChoice,
  type ForwardOptions,
  type LayerOutput,
  type MergeMode,
  type ParameterCount,
} from './layer.js';
export { LstmCell, lstmVariants, type LstmVariant, type LstmOptions } from './lstm.js';
export { GruCell, type GruOptions } from './gru.js';
export { RnnCell, rnnNonlinearities, type RnnOptions, type RnnNonlinearity } from './rnn.js';
export { MutCell, type MutKind, type MutOptions } from './mut.js';
export { Linear, Embedding } from './linear.js';
export { Module, ParameterSummary, type SummaryRow } from './module.js';
export { unrollUnfused } from './unroll.js';
export { exportStateDict, importStateDict } from './interop.js';
export {
  stateDictOf,
  loadStateDictInto,
  prefixed,
  sameLayout,
  transposed,
  type StateDict,
  type NamedArray,
  type StateMapping,
  type StateModule,
  type LoadOptions,
  type LoadReport,
} from './stateDict.js';
export { traceCell, traceCellValues } from './trace.js';
