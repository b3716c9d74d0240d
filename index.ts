// rnnlab's public API: everything a user imports comes from here.
export * from './core/index.js';
export * as kernels from './kernels/index.js';
export { RecurrentLayer, mergeModes, type LayerOptions, type ForwardOptions, type LayerOutput, type MergeMode, type ParameterCount } from './cells/layer.js';
export { Cell, cellKinds, type CellKind, type Build, type BiasKind, type Pass } from './cells/cell.js';
export { LstmCell, lstmVariants, type LstmVariant, type LstmOptions } from './cells/lstm.js';
export { GruCell, type GruOptions } from './cells/gru.js';
export { RnnCell, type RnnOptions } from './cells/rnn.js';
export { MutCell, type MutKind, type MutOptions } from './cells/mut.js';
export { unrollUnfused } from './cells/unroll.js';
export { exportStateDict, importStateDict, type StateDict, type NamedArray } from './cells/interop.js';
export { cellCases } from './cells/cellCases.js';
