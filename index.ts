// rnnlab's public API: everything a user imports comes from here.
export * from './core/index.js';
export { saveSafetensors, loadSafetensors, writeFileAtomic } from './core/files.js';
export * as kernels from './kernels/index.js';
export * from './cells/index.js';
export * from './train/index.js';
export * from './data/index.js';
export * from './tasks/index.js';
export * from './models/index.js';
export * from './experiments/index.js';
